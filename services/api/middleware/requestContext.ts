import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../../infra/observability/logger';
import type { Metrics } from '../../../infra/observability/metrics';
import { callerIdentityOf, mountPathOf, setCorrelationId } from '../http/context';

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;
export const correlationHeader = 'X-Correlation-ID';

/**
 * Correlation id (accepted when well-formed, otherwise generated), echoed in the response and
 * carried into event metadata and Kafka headers; one log line and one metric per request. The log
 * line holds method, route template, status, duration and the caller's subject id and role once
 * authenticated (the subject is the token's `sub`, an opaque id): never bodies, queries, headers
 * or the token.
 */
export const createRequestContext =
  (deps: Readonly<{ logger: Logger; metrics: Metrics }>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.get(correlationHeader);
    const correlationId =
      offered !== undefined && acceptable.test(offered) ? offered : randomUUID();
    setCorrelationId(res, correlationId);
    res.setHeader(correlationHeader, correlationId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path;
      // An error leaves its router before the response: req.baseUrl is then the app's (''), so
      // the mount remembered on the way in keeps one series per route for 2xx and 4xx/5xx alike.
      const labels = {
        method: req.method,
        route: route === undefined ? 'unmatched' : `${mountPathOf(res) ?? req.baseUrl}${route}`,
        status: String(res.statusCode),
      };
      deps.metrics.httpRequestDuration.observe(labels, seconds);
      const ms = Math.round(seconds * 1e4) / 10;
      deps.logger.info({ correlationId, ...labels, ms, ...callerIdentityOf(res) }, 'request');
    });
    next();
  };
