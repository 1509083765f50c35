import express from 'express';
import { Writable } from 'node:stream';
import request from 'supertest';
import { DependencyUnavailableError } from '../../../infra/dependencies/dependencyUnavailable';
import { createLogger } from '../../../infra/observability/logger';
import { setCorrelationId } from '../../../services/api/http/context';
import { createErrorHandler } from '../../../services/api/middleware/errorHandler';

/** An app whose one route throws the given error, and the log lines the handler wrote. */
const throwing = (error: unknown) => {
  const lines: { level: string; msg: string; dependency?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
      done();
    },
  });
  const app = express();
  app.get('/x', (_req, res) => {
    setCorrelationId(res, 'c-1');
    throw error;
  });
  app.use(createErrorHandler(createLogger('info', sink)));
  return { app, lines };
};

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('outages answered as outages', () => {
  it.each([
    [
      'PostgreSQL, named by its adapter',
      new DependencyUnavailableError('postgresql', 'ECONNREFUSED'),
      'database_unavailable',
      'postgresql',
    ],
    [
      'kafkajs, retriable',
      Object.assign(new Error('Connection error'), {
        name: 'KafkaJSConnectionError',
        retriable: true,
      }),
      'kafka_unavailable',
      'kafka',
    ],
    [
      'a socket no adapter named',
      withCode('connect ECONNREFUSED 10.0.0.1:1', 'ECONNREFUSED'),
      'dependency_unavailable',
      'a dependency',
    ],
  ])(
    '%s: 503 with Retry-After and its own code, a warning naming it',
    async (_, error, code, dependency) => {
      const { app, lines } = throwing(error);
      const res = await request(app).get('/x');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ error: code, correlation_id: 'c-1' });
      await new Promise((r) => setImmediate(r));
      expect(lines.map((l) => [l.level, l.dependency])).toEqual([['warn', dependency]]);
    },
  );

  it('a bug is still 500 internal_error, logged as unhandled', async () => {
    const { app, lines } = throwing(new TypeError('x is undefined'));
    const res = await request(app).get('/x');
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('internal_error');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['error', 'unhandled error']]);
  });
});
