import express, { type Express, type RequestHandler } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import { createAuthenticate } from './middleware/authenticate';
import { createErrorHandler, notFound } from './middleware/errorHandler';
import { createRequestContext } from './middleware/requestContext';
import { createHealthRoutes, type HealthProbes } from '../health/routes';
import { createAdminDlqRoutes, type AdminDlqDeps } from '../dlq/routes';
import { createAdminDlqMaintenanceRoutes } from '../dlq/maintenanceRoutes';
import { createSessionRoutes, type SessionRoutesDeps } from '../sessions/routes';
import { createUploadRoutes } from '../uploads/routes';
import { createAnalyticsRoutes } from '../analytics/routes';
import { createDashboardRoutes } from '../analytics/dashboardRoutes';
import type { AnalyticsDeps } from '../analytics/scope';
import { createCachedQuery } from '../analytics/cachedQuery';
import type { ResponseCache } from '../../infra/redis/responseCache';
import { createPrivacyRoutes, type PrivacyDeps } from '../privacy/routes';
import type { UploadDeps } from '../uploads/intake';
import { createRecoveryRoutes, type RecoveryDeps } from '../recovery/routes';
import { createReplayRoutes } from '../replay/routes';
import { createRiskRoutes, type RiskDeps } from '../risk/routes';
import { atRiskSummary, scoreAtRisk, type AtRiskDeps } from '../risk/atRisk';

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
  /** Risk scoring (with the analytics read model); absent in tests without a database. */
  risk?: Pick<RiskDeps, 'models' | 'candidateCap'>;
  /** DLQ admin API; absent in unit tests that only exercise sessions. */
  dlq?: Omit<AdminDlqDeps, 'basePath'>;
  /** Read-model lag for health/ (events and seconds behind), when projections run. */
  projectionLag?: () => Promise<Record<string, unknown>>;
}>;

/** The dashboards' at-risk figures: sessions scored high or critical now. */
const atRiskFor = (deps: AtRiskDeps, clock: () => Date) => async (tenantId: string | null) => {
  const { atRisk } = await scoreAtRisk(deps, tenantId, clock().getTime(), 'high');
  return { count: atRisk.length, top: atRisk.slice(0, 5).map(atRiskSummary) };
};

type Mount = (app: Express, deps: AppDeps, authenticate: RequestHandler) => void;

/** What a person's session goes through: activity, checkpoints, uploads, risk, replay. */
const mountSessionSide: Mount = (app, deps, authenticate) => {
  app.use(apiBasePath, authenticate, createSessionRoutes(deps.sessions));
  if (deps.recovery) {
    const recovery = { ...deps.sessions, ...deps.recovery, metrics: deps.metrics };
    app.use(apiBasePath, authenticate, createRecoveryRoutes(recovery));
  }
  if (deps.uploads) {
    const uploads = { ...deps.sessions, uploads: deps.uploads };
    app.use(apiBasePath, authenticate, createUploadRoutes(uploads));
  }
  if (deps.risk && deps.recovery && deps.analytics) {
    const { sql, table } = deps.analytics;
    const { clock, limit } = deps.sessions;
    const risk = { ...deps.risk, sql, table, clock, limit, metrics: deps.metrics };
    app.use(
      apiBasePath,
      authenticate,
      createRiskRoutes({ ...risk, restore: deps.recovery.restore }),
    );
  }
  if (deps.privacy) {
    const { eventStore, limit } = deps.sessions;
    const replay = createReplayRoutes({ eventStore, limit, sql: deps.privacy.sql });
    app.use(apiBasePath, authenticate, replay);
  }
};

/** What admins and analysts use: analytics, dashboards, privacy requests, the DLQ. */
const mountAdminSide: Mount = (app, deps, authenticate) => {
  if (deps.analytics) {
    const { cache, cacheTtlSeconds, ...rest } = deps.analytics;
    const analytics = {
      ...rest,
      flows: deps.sessions.flows,
      clock: deps.sessions.clock,
      cached: createCachedQuery(cache, deps.metrics, cacheTtlSeconds),
      ...(deps.risk ? { atRisk: atRiskFor({ ...rest, ...deps.risk }, deps.sessions.clock) } : {}),
    };
    const limited = [authenticate, deps.sessions.limit('analytics')];
    app.use(apiBasePath, ...limited, createAnalyticsRoutes(analytics));
    app.use(apiBasePath, ...limited, createDashboardRoutes(analytics));
  }
  if (deps.privacy && deps.uploads) {
    const privacy = { ...deps.privacy, ...deps.sessions, storage: deps.uploads.storage };
    app.use(apiBasePath, authenticate, createPrivacyRoutes(privacy));
  }
  if (deps.dlq) {
    const dlq = createAdminDlqRoutes({ ...deps.dlq, basePath: apiBasePath });
    app.use(apiBasePath, authenticate, dlq);
    app.use(apiBasePath, authenticate, createAdminDlqMaintenanceRoutes(deps.dlq));
  }
};

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
  if (deps.dlq || deps.privacy) {
    // One rate-limit decision per admin request (staff policy), before any admin router.
    app.use(`${apiBasePath}/admin`, authenticate, deps.sessions.limit('admin'));
  }
  mountSessionSide(app, deps, authenticate);
  mountAdminSide(app, deps, authenticate);
  app.use(notFound);
  app.use(createErrorHandler(deps.logger));
  return app;
};
