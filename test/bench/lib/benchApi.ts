import { startWaymark } from './processes';

/** The JWT settings every API benchmark signs its tokens with. */
export const benchAuth = {
  secret: 'bench-secret-bench-secret-bench-secret-42',
  issuer: 'waymark',
  audience: 'waymark-api',
};

/** Events in the benchmark database's message store (throughput is counted by row delta). */
export const messageCount = async (sql: { query: (t: string) => Promise<{ n: string }[]> }) =>
  Number((await sql.query('SELECT count(*) AS n FROM message_store.messages'))[0]?.n ?? 0);

/**
 * The API process on CPU 0 over a benchmark database. The rate limits are opened wide: these
 * benchmarks measure their own path, not the limiter (B3 measures that), and with the real
 * limits a run would create 50 sessions and then measure 429s.
 */
export const startBenchApi = (databaseUrl: string, env: Record<string, string> = {}) =>
  startWaymark(
    'services/api/main.ts',
    {
      DATABASE_URL: databaseUrl,
      JWT_SECRET: benchAuth.secret,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '20',
      RATE_LIMITER_STAFF_LIMIT: '1000000000',
      RATE_LIMITER_CRITICAL_LIMIT: '1000000000',
      // Embedded mode runs the abandonment detector in the API process; benchmarks measure the
      // API alone (one pass at start, then not again during a run).
      SESSION_ABANDONMENT_SCAN_INTERVAL_MS: '3600000',
      ...env,
    },
    0,
  );
