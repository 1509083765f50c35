import express, { type Express } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import { createAuthenticate } from './middleware/authenticate';
import { createErrorHandler, notFound } from './middleware/errorHandler';
import { createRequestContext } from './middleware/requestContext';
import { createHealthRoutes, type HealthProbes } from './routes/health';
import { createAdminDlqRoutes, type AdminDlqDeps } from './routes/adminDlq';
import { createAdminDlqMaintenanceRoutes } from './routes/adminDlqMaintenance';
import { createSessionRoutes, type SessionRoutesDeps } from './routes/sessions';
import { createUploadRoutes } from './routes/uploads';
import { createAnalyticsRoutes } from './routes/analytics';
import { createDashboardRoutes } from './routes/dashboard';
import type { AnalyticsDeps } from './analyticsScope';
import { createCachedQuery } from '../analytics/cachedQuery';
import type { ResponseCache } from '../../infra/redis/responseCache';
import { createPrivacyRoutes, type PrivacyDeps } from './routes/privacy';
import type { UploadDeps } from './uploadIntake';
import { createRecoveryRoutes, type RecoveryDeps } from './routes/recovery';
import { createReplayRoutes } from './routes/replay';

export const apiBasePath = '/api/v1/onboarding';

export type AppDeps = Readonly<{
  logger: Logger;
  metrics: Metrics;
  verifyToken: (token: string) => Promise<Principal>;
  probes: HealthProbes;
  bodyLimitBytes: number;
  sessions: SessionRoutesDeps;
  /** Export, erasure and audit trail; absent in unit tests without a database. */
  privacy?: Omit<PrivacyDeps, 'limit' | 'eventStore' | 'cipher' | 'storage'>;
  /** Analytics over the read models; absent in unit tests without a database. */
  analytics?: Omit<AnalyticsDeps, 'flows' | 'clock' | 'cached'> & {
    cache: ResponseCache;
    cacheTtlSeconds: number;
  };
  /** Upload routes (observation, documents); absent in unit tests that do not upload. */
  uploads?: UploadDeps;
  /** Checkpoints and resume; absent in unit tests that do not recover sessions. */
  recovery?: Pick<RecoveryDeps, 'restore' | 'snapshotter' | 'settings'>;
  /** DLQ admin API; absent in unit tests that only exercise sessions. */
  dlq?: Omit<AdminDlqDeps, 'basePath'>;
  /** Read-model lag for health/ (events and seconds behind), when projections run. */
  projectionLag?: () => Promise<Record<string, unknown>>;
}>;

/** Builds the Express app from its dependencies: no listen, no env, no adapters chosen here. */
export const buildApp = (deps: AppDeps): Express => {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(createRequestContext(deps));
  app.use(express.json({ limit: deps.bodyLimitBytes, strict: true }));

  app.use(apiBasePath, createHealthRoutes(deps.probes, deps.projectionLag));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  const authenticate = createAuthenticate(deps.verifyToken);
  app.use(apiBasePath, authenticate, createSessionRoutes(deps.sessions));
  if (deps.recovery) {
    const recovery = { ...deps.sessions, ...deps.recovery, metrics: deps.metrics };
    app.use(apiBasePath, authenticate, createRecoveryRoutes(recovery));
  }
  if (deps.uploads) {
    app.use(
      apiBasePath,
      authenticate,
      createUploadRoutes({ ...deps.sessions, uploads: deps.uploads }),
    );
  }
  if (deps.dlq || deps.privacy) {
    // One rate-limit decision per admin request (staff policy), before any admin router.
    app.use(`${apiBasePath}/admin`, authenticate, deps.sessions.limit('admin'));
  }
  if (deps.analytics) {
    const { cache, cacheTtlSeconds, ...rest } = deps.analytics;
    const analytics = {
      ...rest,
      flows: deps.sessions.flows,
      clock: deps.sessions.clock,
      cached: createCachedQuery(cache, deps.metrics, cacheTtlSeconds),
    };
    const limited = [authenticate, deps.sessions.limit('analytics')];
    app.use(apiBasePath, ...limited, createAnalyticsRoutes(analytics));
    app.use(apiBasePath, ...limited, createDashboardRoutes(analytics));
  }
  if (deps.privacy) {
    const { eventStore, limit } = deps.sessions;
    const replay = createReplayRoutes({ eventStore, limit, sql: deps.privacy.sql });
    app.use(apiBasePath, authenticate, replay);
  }
  if (deps.privacy && deps.uploads) {
    const privacy = { ...deps.privacy, ...deps.sessions, storage: deps.uploads.storage };
    app.use(apiBasePath, authenticate, createPrivacyRoutes(privacy));
  }
  if (deps.dlq) {
    app.use(
      apiBasePath,
      authenticate,
      createAdminDlqRoutes({ ...deps.dlq, basePath: apiBasePath }),
    );
    app.use(apiBasePath, authenticate, createAdminDlqMaintenanceRoutes(deps.dlq));
  }
  app.use(notFound);
  app.use(createErrorHandler(deps.logger));
  return app;
};
