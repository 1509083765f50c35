import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import { createHealthRoutes } from '../health/routes';
import type { HealthDeps } from '../health/checkHealth';
import { createAuthenticate } from './middleware/authenticate';
import { createErrorHandler, notFound } from './middleware/errorHandler';
import { rememberMountPath } from './http/context';
import { createRequestContext } from './middleware/requestContext';

export const apiBasePath = '/api/v1/onboarding';

/** What the app is made of: the shared middleware's needs and every feature's router. */
export type AppParts = Readonly<{
  logger: Logger;
  metrics: Metrics;
  verifyToken: (token: string) => Promise<Principal>;
  bodyLimitBytes: number;
  health: HealthDeps;
  /** Gauges measured when scraped (read-model lag); must not throw. */
  beforeScrape?: () => Promise<void>;
  /** One rate-limit decision per admin request (staff policy), before any admin router. */
  limitAdmin: RequestHandler;
  limitAnalytics: RequestHandler;
  /** Session routes (activity, recovery, uploads, risk, replay, export). */
  sessionRouters: readonly Router[];
  analyticsRouter: Router;
  /** Admin routes (privacy, DLQ). */
  adminRouters: readonly Router[];
  /** Routers outside the API's base path and its authentication (the web console's files). */
  publicRouters?: readonly Router[];
}>;

/** Builds the Express app from its parts: no listen, no env, no adapters chosen here. */
export const buildApp = (parts: AppParts): Express => {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(createRequestContext(parts));
  app.use(express.json({ limit: parts.bodyLimitBytes, strict: true }));

  // Every router below is mounted here: the request metric's route label needs the mount.
  app.use(apiBasePath, rememberMountPath);
  app.use(apiBasePath, createHealthRoutes(parts.health));
  for (const router of parts.publicRouters ?? []) app.use(router);
  app.get('/metrics', async (_req, res) => {
    await parts.beforeScrape?.();
    res.type(parts.metrics.registry.contentType).send(await parts.metrics.registry.metrics());
  });
  const authenticate = createAuthenticate(parts.verifyToken);
  app.use(`${apiBasePath}/admin`, authenticate, parts.limitAdmin);
  for (const router of parts.sessionRouters) app.use(apiBasePath, authenticate, router);
  app.use(apiBasePath, authenticate, parts.limitAnalytics, parts.analyticsRouter);
  for (const router of parts.adminRouters) app.use(apiBasePath, authenticate, router);
  app.use(notFound);
  app.use(createErrorHandler(parts.logger));
  return app;
};
