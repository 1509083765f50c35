import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signToken } from '../../infra/auth/jwt';
import { loadConfig } from '../../infra/config/loadConfig';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createMetrics } from '../../infra/observability/metrics';
import { migrate } from '../../infra/postgres/migrate';
import { createPgSqlClient } from '../../infra/postgres/pgSqlClient';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { readModelMigrationDirs } from '../../projections/migrations';
import { bearer, buildTestApp } from '../support/apiHarness';
import { killAll, startProcess } from '../support/childProcess';
import { waitFor } from '../support/kafkaTopic';
import { startPrivatePostgres } from '../support/privatePostgres';
import { startPrivateRedis } from '../support/privateRedis';
import { uniqueName } from '../support/uniqueName';

const auth = {
  secret: 'outage-secret-outage-secret-outage-secret',
  issuer: 'waymark',
  audience: 'waymark-api',
};

/** Outages are answered as outages: 503 + Retry-After with the dependency's own code. */
describe('outages', () => {
  afterAll(() => killAll());

  it('answers 503 database_unavailable with Retry-After while its PostgreSQL is stopped, and serves again after', async () => {
    const pg = await startPrivatePostgres();
    try {
      const sql = createPgSqlClient({
        connectionString: pg.url,
        maxConnections: 2,
        applicationName: 'outage-test',
      });
      await migrate(sql, readModelMigrationDirs);
      await sql.close();
      const api = startProcess('services/api/main.ts', {
        DATABASE_URL: pg.url,
        JWT_SECRET: auth.secret,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        WAYMARK_DATA_DIR: path.join('/tmp', uniqueName('outage')),
      });
      let port = 0;
      await waitFor(
        () => Promise.resolve((port = Number(/"port":(\d+)/.exec(api.output())?.[1] ?? 0)) > 0),
        30_000,
        `the API to listen\n${api.output()}`,
      );
      const base = `http://127.0.0.1:${port}/api/v1/onboarding`;
      const headers = async (subject: string) => ({
        Authorization: `Bearer ${await signToken(auth, { role: 'user', tenantId: 't-out', subject })}`,
        'Content-Type': 'application/json',
      });
      const start = async (subject: string) =>
        fetch(`${base}/conversation/start/`, {
          method: 'POST',
          headers: await headers(subject),
          body: '{}',
        });
      const before = await start('before');
      expect(before.status).toBe(201);
      const id = ((await before.json()) as { conversation_id: string }).conversation_id;

      pg.stop('fast');
      const refused = await start('during');
      const read = await fetch(`${base}/sessions/${id}/`, { headers: await headers('before') });
      for (const response of [refused, read]) {
        expect(response.status).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await response.json()) as { error: string }).error).toBe('database_unavailable');
      }
      const lines = () =>
        api
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { level: string; msg: string; dependency?: string });
      const warnings = () =>
        lines().filter((l) => l.level === 'warn' && l.dependency === 'postgresql');
      // pino writes asynchronously: the lines may follow the responses by a moment.
      await waitFor(
        () => Promise.resolve(warnings().length >= 2),
        10_000,
        `two warnings\n${api.output()}`,
      );
      expect(lines().filter((l) => l.msg === 'unhandled error')).toEqual([]);
      expect(warnings()[0]?.msg).toBe('postgresql unavailable: answered 503');

      pg.start();
      let after = 0;
      await waitFor(
        async () => (after = (await start('after')).status) === 201,
        30_000,
        `201 after PostgreSQL returned (last ${after})`,
      );
    } finally {
      killAll();
      pg.destroy();
    }
  });

  it('accepts session starts again within 5 s of Redis returning after a 5 s restart, with the default 300 s breaker reset', async () => {
    const server = await startPrivateRedis();
    const redis = createRedis(server.url, 50);
    redis.on('error', () => undefined);
    await redisReady(redis, 3_000);
    const defaults = loadConfig({}).rateLimit;
    expect(defaults.breakerResetMs).toBe(300_000);
    const limiter = createRedisRateLimiter(
      redis,
      { ...defaults, keyPrefix: uniqueName('rl') },
      createMetrics(undefined, false),
    );
    const { app } = buildTestApp(createInMemoryEventStore(), { limiter });
    const http = app.listen(0);
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/v1/onboarding`;
    let n = 0;
    const start = async () => {
      n += 1;
      const res = await fetch(`${url}/conversation/start/`, {
        method: 'POST',
        headers: {
          Authorization: await bearer('user', 'tenant-r', `redis-${n}`),
          'Content-Type': 'application/json',
        },
        body: '{}',
      });
      await res.arrayBuffer();
      return res.status;
    };
    try {
      expect(await start()).toBe(201);
      await server.shutdown();
      const down = Date.now();
      const during: number[] = [];
      while (Date.now() - down < 5_000) {
        during.push(await start());
        await sleep(100);
      }
      // Fail closed while Redis is down, and the breaker did open (else the test proves nothing).
      expect(during.filter((s) => s === 201)).toEqual([]);
      expect(limiter.breakerState()).toBe('open');
      await server.restart();
      const back = Date.now();
      let status = 0;
      while (status !== 201 && Date.now() - back < 5_000) {
        status = await start();
        if (status !== 201) await sleep(100);
      }
      expect(status).toBe(201);
      expect(limiter.breakerState()).toBe('closed');
    } finally {
      http.close();
      redis.disconnect();
      server.stop();
    }
  });
});
