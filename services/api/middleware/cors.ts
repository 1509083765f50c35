import type { NextFunction, Request, Response } from 'express';
import { correlationHeader } from './requestContext';

export type CorsSettings = Readonly<{
  /** Origins exactly as browsers send them (`https://app.example.com`), or `*`; empty: no CORS. */
  allowedOrigins: readonly string[];
  maxAgeSeconds: number;
}>;

/** What the API's routes use: no PUT or PATCH. */
const methods = 'GET, POST, DELETE';
/** The request headers a browser client sends beyond the CORS-safelisted ones. */
const requestHeaders = ['Authorization', 'Content-Type', correlationHeader].join(', ');
/** Response headers a browser script may read (the CORS-safelisted ones need no listing). */
const exposedHeaders = [
  correlationHeader,
  'RateLimit',
  'RateLimit-Policy',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'WWW-Authenticate',
].join(', ');

const isPreflight = (req: Request) =>
  req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;

/**
 * CORS for the listed origins only. A listed origin gets `Access-Control-Allow-Origin` (its own
 * value, or `*` when `*` is listed) on every response, errors included, so its scripts can read
 * them; any other origin gets no CORS header and the browser withholds the response. Preflights
 * are answered here, 204, before authentication and rate limits (a browser sends no token with
 * them, and they must not cost the user's budget). No credentials mode: the API authenticates
 * with a bearer token, not cookies. `Vary: Origin`, since the answer depends on it.
 */
export const createCors = (settings: CorsSettings) => {
  const any = settings.allowedOrigins.includes('*');
  const listed = new Set(settings.allowedOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    res.vary('Origin');
    const origin = req.get('origin');
    const allowed = origin !== undefined && (any || listed.has(origin));
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    }
    if (!isPreflight(req)) {
      next();
      return;
    }
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', methods);
      res.setHeader('Access-Control-Allow-Headers', requestHeaders);
      res.setHeader('Access-Control-Max-Age', String(settings.maxAgeSeconds));
    }
    res.status(204).end();
  };
};
