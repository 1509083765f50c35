import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { signToken } from '../../infra/auth/jwt';
import { readFunnelData } from '../../projections/funnel/funnelRead';
import { liveFunnelTable } from '../../projections/funnel/funnelTable';
import type { SessionScope } from '../../projections/sessionSummary/funnelQueries';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { liveSessionSummaryTable } from '../../projections/sessionSummary/sessionSummaryTable';
import { fillDropOffReadModel, fillFunnelReadModel, fillReadModel } from './lib/analyticsData';
import { fillRiskReadModel } from './lib/riskData';
import { createBenchDatabase } from './lib/benchDatabase';
import { pgbenchLatencies } from './lib/baselines';
import { run } from './lib/processes';
import { benchAuth, startBenchApi } from './lib/benchApi';
import { percentile, report } from './lib/report';

/**
 * bench:analytics (B8): p95 of each analytics endpoint (uncached, one request at a time) over a
 * read model of BENCH_SESSIONS (1,000,000) sessions in BENCH_TENANTS (50) tenants, and the
 * funnel's p95 against pgbench running the same SQL (same literals) one client at a time.
 * EXPLAIN ANALYZE of the funnel SQL is written to bench-results/. Env: BENCH_REQUESTS (200).
 */
const sessions = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const tenants = Number(process.env.BENCH_TENANTS ?? 50);
const requests = Number(process.env.BENCH_REQUESTS ?? 200);

/** Records the SQL the query functions send, with their parameters inlined as literals. */
const recorder = () => {
  const statements: string[] = [];
  // The query functions pass strings, numbers and null only.
  const literal = (v: unknown) =>
    v === null
      ? 'NULL'
      : typeof v === 'number'
        ? String(v)
        : `'${(v as string).replace(/'/g, "''")}'`;
  const sql: SqlExecutor = {
    query: (text, params = []) => {
      statements.push(
        text
          .replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]))
          .replace(/\s+/g, ' '),
      );
      return Promise.resolve([]);
    },
  };
  return { sql, statements };
};

const main = async () => {
  await run('taskset', ['-cp', '1', String(process.pid)]).catch(() => undefined);
  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  console.log(`filling the read model with ${sessions} sessions…`);
  await fillReadModel(db.sql, sessions, tenants);
  await fillFunnelReadModel(db.sql, tenants);
  await fillDropOffReadModel(db.sql);
  const { tickRowsPerSecond } = await fillRiskReadModel(db.sql);
  const server = await startBenchApi(db.url);
  const token = await signToken(
    benchAuth,
    { role: 'admin', tenantId: 't7', subject: 'bench' },
    '1h',
  );
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const start = new Date(end.getTime() - 30 * 86_400_000);
  const period = `start_date=${start.toISOString()}&end_date=${end.toISOString()}`;
  const endpoints = [
    `analytics/funnel/?${period}`,
    `analytics/recommendations/?${period}`,
    `analytics/drop-off-heatmap/?${period}&granularity=daily`,
    `analytics/cohort-comparison/?${period}&cohort_by=channel`,
    'analytics/comparison/',
    'analytics/realtime/',
    'dashboard/overview/',
    `dashboard/cohort-trends/?${period}`,
    'admin/at-risk-sessions/?risk_level=medium&limit=50',
  ];
  const p95: Record<string, number> = {};
  for (const endpoint of endpoints) {
    const times: number[] = [];
    // The first requests of an endpoint warm the process and the database: not measured.
    const warmUp = 5;
    for (let i = 0; i < warmUp + requests; i += 1) {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/onboarding/${endpoint}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${endpoint} answered ${res.status}`);
      if (i >= warmUp) times.push(performance.now() - t);
    }
    p95[endpoint.split('?')[0] ?? endpoint] = percentile(times, 95);
    console.log(
      `${endpoint.split('?')[0] ?? ''}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
    );
  }
  await server.stop();

  // The same funnel reads through pgbench (one client), with the API's exact literals: the funnel
  // read model's day rows and the summaries of the period's partial days.
  const scope: SessionScope = {
    table: liveSessionSummaryTable,
    tenantId: 't7',
    flowId: 'default',
    from: start,
    to: end,
  };
  const rec = recorder();
  await readFunnelData(rec.sql, liveFunnelTable, scope, 3);
  const raw = await pgbenchLatencies(db.url, rec.statements.map((s) => `${s};`).join('\n'), [
    '-t',
    String(requests),
  ]);
  const rawP95 = percentile(raw, 95);
  const explain = await db.sql.query<Record<string, string>>(
    `EXPLAIN (ANALYZE, BUFFERS) ${rec.statements[0] ?? ''}`,
  );
  const artifact = path.resolve(
    __dirname,
    '../../bench-results',
    `analytics-explain-${Date.now()}.txt`,
  );
  writeFileSync(artifact, explain.map((r) => String(Object.values(r)[0] ?? '')).join('\n'));
  console.log(
    `pgbench funnel SQL (the API's statements): p95 ${rawP95.toFixed(1)} ms; EXPLAIN ANALYZE in ${artifact}`,
  );
  await db.drop();
  const funnelP95 = p95['analytics/funnel/'] ?? NaN;
  report(
    'analytics',
    { sessions, tenants, requests, p95, rawP95, tickRowsPerSecond },
    {
      'B8 worst endpoint p95 (ms)': { value: Math.max(...Object.values(p95)), goal: '<= 100' },
      'B8 funnel API p95 ÷ pgbench same SQL p95': { value: funnelP95 / rawP95, goal: '<= 1.25' },
    },
  );
};

void main();
