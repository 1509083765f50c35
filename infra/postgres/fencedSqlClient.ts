import type { SqlClient, SqlExecutor } from './sqlClient';

/**
 * A SqlClient whose every statement runs in a transaction that first passes `fence` (a leader
 * lease check that locks the lease row). An adapter built on it (the detector's event store)
 * cannot write once the process has lost its lease, whatever it was doing when it lost it.
 */
export const fencedSqlClient = (
  sql: SqlClient,
  fence: (tx: SqlExecutor) => Promise<void>,
): SqlClient => ({
  query: (text, params) =>
    sql.transaction(async (tx) => {
      await fence(tx);
      return tx.query(text, params);
    }),
  exec: (script) =>
    sql.transaction(async (tx) => {
      await fence(tx);
      await tx.query(script);
    }),
  transaction: (fn) =>
    sql.transaction(async (tx) => {
      await fence(tx);
      return fn(tx);
    }),
  // Sessions serve migrations (an advisory lock on one connection), never the fenced writes.
  session: (fn) => sql.session(fn),
  close: () => sql.close(),
});
