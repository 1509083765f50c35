import express, { type Express, type Router } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import { createHealthRoutes } from '../health/routes';
import type { HealthDeps } from '../health/checkHealth';
import { createDocsRoutes } from './contract/docsRoutes';
import type { OpenApiDocument } from './contract/openApiDocument';
import { createAuthenticate } from './middleware/authenticate';
import { createCors, type CorsSettings } from './middleware/cors';
import { createErrorHandler, notFound } from './middleware/errorHandler';
import { createJsonDepthLimit } from './middleware/jsonDepth';
import { rememberMountPath } from './http/context';
import { createRequestContext } from './middleware/requestContext';

export const apiBasePath = '/api/v1/onboarding';

/** What the app is made of: the shared middleware's needs and every feature's router. */
export type AppParts = Readonly<{
  logger: Logger;
  metrics: Metrics;
  verifyToken: (token: string) => Promise<Principal>;
  bodyLimitBytes: number;
  /** Origins whose browsers may call the API (none: no CORS headers at all). */
  cors: CorsSettings;
  /** Deepest JSON nesting accepted, checked before any recursive walk of the body. */
  bodyMaxDepth: number;
  health: HealthDeps;
  /** The OpenAPI document served at openapi.json (and rendered at docs/). */
  openApi: OpenApiDocument;
  /** Gauges measured when scraped (read-model lag); must not throw. */
  beforeScrape?: () => Promise<void>;
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
  // Before the body parser and authentication: a preflight has neither body nor token.
  if (parts.cors.allowedOrigins.length > 0) app.use(apiBasePath, createCors(parts.cors));
  app.use(express.json({ limit: parts.bodyLimitBytes, strict: true }));
  app.use(createJsonDepthLimit(parts.bodyMaxDepth));

  // Every router below is mounted here: the request metric's route label needs the mount.
  app.use(apiBasePath, rememberMountPath);
  app.use(apiBasePath, createHealthRoutes(parts.health));
  app.use(apiBasePath, createDocsRoutes(parts.openApi));
  for (const router of parts.publicRouters ?? []) app.use(router);
  app.get('/metrics', async (_req, res) => {
    await parts.beforeScrape?.();
    res.type(parts.metrics.registry.contentType).send(await parts.metrics.registry.metrics());
  });
  // One authentication per request; each route charges its own rate limit (none on a mount).
  app.use(apiBasePath, createAuthenticate(parts.verifyToken));
  for (const router of parts.sessionRouters) app.use(apiBasePath, router);
  app.use(apiBasePath, parts.analyticsRouter);
  for (const router of parts.adminRouters) app.use(apiBasePath, router);
  app.use(notFound);
  app.use(createErrorHandler(parts.logger));
  return app;
};
