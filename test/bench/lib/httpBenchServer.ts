import http from 'node:http';
import express from 'express';
import { createJwtVerifier } from '../../../infra/auth/jwt';
import { createLogDestination, createLogger } from '../../../infra/observability/logger';
import { createMetrics } from '../../../infra/observability/metrics';
import { createAuthenticate } from '../../../services/api/middleware/authenticate';
import { createErrorHandler, notFound } from '../../../services/api/middleware/errorHandler';
import { createRequestContext } from '../../../services/api/middleware/requestContext';
import { appendEventsBody } from '../../../services/sessions/schemas';
import { validate } from '../../../services/shared/validate';

/**
 * The B2 server: one POST route whose store call is stubbed, in three builds (argv[2]):
 * `node` (node:http), `bare` (Express 5 + express.json) and `full` (Waymark's stack without the
 * limiter: correlation id, pino request log, prom-client histogram, JSON body limit, JWT, zod,
 * error envelope). Prints `listening <port>`.
 */
export const benchSecret = 'bench-http-secret-bench-http-secret-42';
const mode = process.argv[2] ?? 'bare';
const reply = JSON.stringify({ session_id: 'x', version: 1, appended: 1 });

const full = () => {
  const app = express();
  const logger = createLogger('info', createLogDestination('/dev/null'));
  const metrics = createMetrics();
  const schema = appendEventsBody(100);
  // As services/api/app.ts builds it: no ETag (a hash of every body), the simple query parser.
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(createRequestContext({ logger, metrics }));
  app.use(express.json({ limit: 256 * 1024 }));
  app.use(
    createAuthenticate(
      createJwtVerifier({ secret: benchSecret, issuer: 'waymark', audience: 'waymark-api' }),
    ),
  );
  app.post('/bench', (req, res) => {
    validate(schema, req.body);
    res.status(201).type('json').send(reply);
  });
  app.use(notFound);
  app.use(createErrorHandler(logger));
  return app;
};

const bare = () => {
  const app = express();
  // The same ETag setting as the full build (Waymark turns it off): the ratio is the middleware's.
  app.set('etag', false);
  app.use(express.json());
  app.post('/bench', (_req, res) => void res.status(201).type('json').send(reply));
  return app;
};

const node = () =>
  http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      JSON.parse(body);
      res.writeHead(201, { 'content-type': 'application/json' }).end(reply);
    });
  });

// Only when run as the server: http.bench.ts imports this module for benchSecret, and a server
// started there kept the benchmark process from exiting.
if (require.main === module) {
  const server = mode === 'node' ? node() : http.createServer(mode === 'full' ? full() : bare());
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `listening ${typeof address === 'object' && address ? address.port : 0}\n`,
    );
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
