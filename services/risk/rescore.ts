import type { Metrics } from '../../infra/observability/metrics';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import type { RiskScorer } from '../../projections/risk/riskScorer';
import { liveRiskTable } from '../../projections/risk/riskTable';
import { liveSessionSummaryTable } from '../../projections/sessionSummary/sessionSummaryTable';
import {
  riskRowOf,
  saveRescored,
  staleRisks,
  type ScoredCursor,
} from '../../projections/risk/riskTable';

/** The live tables the tick reads (the summary: each session's folded state) and writes. */
export const liveRiskTables = { risk: liveRiskTable, summary: liveSessionSummaryTable } as const;

export type RescoreDeps = Readonly<{
  sql: SqlClient;
  scorer: RiskScorer;
  tables: Readonly<{ risk: string; summary: string }>;
  metrics: Metrics;
  /** Rows scored longer ago than this are scored again. */
  intervalMs: number;
  pageSize: number;
}>;

/**
 * The clock tick: scores again, at `now`, every active session whose row was scored more than
 * `intervalMs` before (idle time and time in step grow without events), in pages ordered by
 * scored_at. Each page is one transaction; a row an event has moved on since is left to the
 * event's score. Returns how many rows it read and wrote.
 */
export const rescoreStale = async (deps: RescoreDeps, now: number) => {
  const before = new Date(now - deps.intervalMs);
  let after: ScoredCursor | undefined;
  let read = 0;
  let written = 0;
  for (;;) {
    const page = await staleRisks(deps.sql, deps.tables, {
      before,
      limit: deps.pageSize,
      after,
    });
    if (page.length === 0) break;
    read += page.length;
    written += await deps.sql.transaction(async (tx) => {
      const rows = [];
      for (const { state, lastPosition } of page) {
        const scored = await deps.scorer(tx, state, now);
        deps.metrics.riskScored.inc({ scorer: scored.scorer, risk_level: scored.level });
        rows.push(riskRowOf(state, lastPosition, scored, now));
      }
      return saveRescored(tx, deps.tables.risk, rows);
    });
    after = page.at(-1)?.cursor;
    if (page.length < deps.pageSize) break;
  }
  return { read, written };
};
