import type { EventStore } from '../../infra/eventStore/eventStore';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { loadSession } from '../../services/sessions/loadSession';

/** JSON with sorted keys: equal values compare equal whatever their key order (jsonb reorders). */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );

/**
 * Compares the session-summary read model with a fold of each session's stream in the event store:
 * the oracle for "every stored event projected once, none twice, none missing".
 */
export const summaryMismatches = async (
  sql: SqlExecutor,
  store: EventStore,
  sessionIds: readonly string[],
  table = 'waymark.session_summary_v1',
) => {
  const rows = await sql.query<{ session_id: string; last_position: string; state: unknown }>(
    `SELECT session_id, last_position, state FROM ${table} WHERE session_id = ANY($1::text[])`,
    [sessionIds],
  );
  const byId = new Map(rows.map((r) => [r.session_id, r]));
  const mismatches: string[] = [];
  for (const id of sessionIds) {
    const { state, version } = await loadSession(store, id);
    const row = byId.get(id);
    if (row === undefined) mismatches.push(`${id}: missing`);
    else if (Number(row.last_position) !== version)
      mismatches.push(`${id}: position ${row.last_position} != ${version}`);
    else if (canonical(row.state) !== canonical(state))
      mismatches.push(`${id}: ${canonical(row.state)} != ${canonical(state)}`);
  }
  return mismatches;
};
