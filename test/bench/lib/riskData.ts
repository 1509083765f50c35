import type { SqlClient } from '../../../infra/postgres/sqlClient';
import { riskListener } from '../../../projections/risk/riskProjection';
import type { RiskScorer } from '../../../projections/risk/riskScorer';
import { liveRiskTable } from '../../../projections/risk/riskTable';
import type { SessionSummary } from '../../../projections/sessionSummary/sessionSummary';
import { upcastState } from '../../../projections/sessionSummary/sessionSummaryTable';
import { createMetrics } from '../../../infra/observability/metrics';
import { createModelRepository } from '../../../services/risk/modelRepository';
import { liveRiskTables, rescoreStale } from '../../../services/risk/rescore';
import { createRiskScorer } from '../../../services/risk/riskScorer';

/**
 * Builds the risk read model from the summaries `fillReadModel` wrote (that bypasses the
 * projector) through the projector's own listener, as if each active session had just had its
 * last event; then times one tick over every row (all stale at `now` + 2 minutes).
 */
export const fillRiskReadModel = async (sql: SqlClient) => {
  const scorer: RiskScorer = createRiskScorer(createModelRepository(sql, 60_000));
  const listener = riskListener(liveRiskTable, scorer);
  let after = '';
  let scored = 0;
  let listening = 0;
  for (;;) {
    const rows = await sql.query<{
      session_id: string;
      last_position: string;
      state: SessionSummary['state'];
    }>(
      `SELECT session_id, last_position, state FROM waymark.session_summary_v1
        WHERE status = 'active' AND session_id > $1 ORDER BY session_id LIMIT 5000`,
      [after],
    );
    if (rows.length === 0) break;
    const changes = rows.map((r) => ({
      before: null,
      after: {
        sessionId: r.session_id,
        lastPosition: Number(r.last_position),
        state: upcastState(r.state, Number(r.last_position)),
        furthestStepReachedAt: null,
        stages: { reachedAt: [], errors: [], uploadRejections: [], rateLimitHits: [] },
      },
    }));
    const started = performance.now();
    await sql.transaction((tx) => listener(tx, changes));
    listening += performance.now() - started;
    scored += changes.length;
    after = rows.at(-1)?.session_id ?? after;
  }
  // The projector's side: what scoring and upserting costs per changed active session.
  console.log(
    `risk listener: ${scored} sessions scored and upserted in ${(listening / 1000).toFixed(1)} s (${((1000 * scored) / listening).toFixed(0)} sessions/s, batches of 5,000)`,
  );
  await sql.query('ANALYZE waymark.session_risk_v1');
  const t = performance.now();
  const { read, written } = await rescoreStale(
    {
      sql,
      scorer,
      tables: liveRiskTables,
      metrics: createMetrics(),
      intervalMs: 60_000,
      pageSize: 500,
    },
    Date.now() + 120_000,
  );
  const seconds = (performance.now() - t) / 1000;
  console.log(
    `risk tick: ${read} rows read, ${written} written in ${seconds.toFixed(1)} s (${(read / seconds).toFixed(0)} rows/s)`,
  );
  await sql.query('ANALYZE waymark.session_risk_v1');
  return { tickRowsPerSecond: read / seconds };
};
