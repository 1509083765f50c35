/**
 * The small SQL port the Message DB adapter and the relay checkpoint store run on. Two drivers
 * implement it: node-postgres (a real server) and PGlite (embedded, for `npm start` with nothing
 * installed). Both run the same SQL, so Message DB behaves the same on either.
 */
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  /** One parameterised statement. */
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** Statements and scripts on one connection (session-level locks and settings hold). */
export interface SqlSession extends SqlExecutor {
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends SqlSession {
  /** Runs fn in one transaction on one connection; commits if it resolves, rolls back if not. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs fn on one connection of its own, outside any transaction (e.g. pg_advisory_lock). */
  session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
