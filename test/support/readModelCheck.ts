import type { EventStore } from '../../infra/eventStore/eventStore';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { referenceRow, referenceState } from './oracles/referenceSession';
import { plainSummaryRow } from './specs/sessionSummarySpec';

/** JSON with sorted keys: equal values compare equal whatever their key order (jsonb reorders). */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );

/**
 * Compares the session-summary read model with what the reference fold
 * (support/oracles/referenceSession.ts, which shares no code with `evolve`) computes from each
 * session's stream in the event store: every column and the folded state. The oracle for "every
 * stored event projected once, none twice, none missing", and for "projected correctly".
 */
export const summaryMismatches = async (
  sql: SqlExecutor,
  store: EventStore,
  sessionIds: readonly string[],
  table = 'waymark.session_summary_v1',
) => {
  const rows = await sql.query<Record<string, unknown> & { session_id: string }>(
    `SELECT * FROM ${table} WHERE session_id = ANY($1::text[])`,
    [sessionIds],
  );
  const byId = new Map(rows.map((r) => [r.session_id, plainSummaryRow(r)]));
  const mismatches: string[] = [];
  for (const id of sessionIds) {
    const { events, version } = await store.readStream(`onboarding-${id}`);
    const row = byId.get(id);
    if (row === undefined) {
      mismatches.push(`${id}: missing`);
      continue;
    }
    const { state, ...columns } = row;
    const expected = referenceRow(events, version);
    if (columns.last_position !== version)
      mismatches.push(`${id}: position ${String(columns.last_position)} != ${version}`);
    else if (canonical(columns) !== canonical(expected))
      mismatches.push(`${id}: columns ${canonical(columns)} != ${canonical(expected)}`);
    else if (canonical(state) !== canonical(referenceState(events)))
      mismatches.push(`${id}: state ${canonical(state)} != ${canonical(referenceState(events))}`);
  }
  return mismatches;
};
