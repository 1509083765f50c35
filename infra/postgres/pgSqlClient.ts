import { Pool, type PoolConfig } from 'pg';
import { isConnectionFailure, rethrowUnavailable } from './connectionFailure';
import type { Row, SqlClient, SqlExecutor, SqlSession } from './sqlClient';

export type PgSqlClientOptions = Readonly<{
  connectionString: string;
  maxConnections: number;
  applicationName: string;
}>;

/**
 * SqlClient on a node-postgres pool. Message DB's functions call each other unqualified, so every
 * connection gets `search_path=message_store,public` (what `install.sh` gets from its role).
 */
export const createPgSqlClient = (options: PgSqlClientOptions): SqlClient & { pool: Pool } => {
  const config: PoolConfig = {
    connectionString: options.connectionString,
    max: options.maxConnections,
    application_name: options.applicationName,
    options: '-c search_path=message_store,public',
    connectionTimeoutMillis: 5_000,
  };
  const pool = new Pool(config);
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const query = async <R extends Row = Row>(
    text: string,
    params?: readonly unknown[],
  ): Promise<R[]> =>
    (await pool.query<R>(text, params ? [...params] : undefined).catch(rethrowUnavailable)).rows;

  return {
    pool,
    query,
    exec: async (script) => {
      await pool.query(script).catch(rethrowUnavailable);
    },
    transaction: async <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
      const client = await pool.connect().catch(rethrowUnavailable);
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx: SqlExecutor = {
          query: async <R extends Row = Row>(text: string, params?: readonly unknown[]) =>
            (await client.query<R>(text, params ? [...params] : undefined)).rows,
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = isConnectionFailure(error);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        // A connection lost mid-transaction surfaces from fn or COMMIT: name the outage either way.
        return rethrowUnavailable(error);
      } finally {
        // A client whose connection broke is destroyed, not handed to the next caller.
        client.release(broken);
      }
    },
    session: async <T>(fn: (session: SqlSession) => Promise<T>): Promise<T> => {
      const client = await pool.connect().catch(rethrowUnavailable);
      let broken = false;
      try {
        return await fn({
          query: async <R extends Row = Row>(text: string, params?: readonly unknown[]) =>
            (await client.query<R>(text, params ? [...params] : undefined)).rows,
          exec: async (script) => void (await client.query(script)),
        });
      } catch (error) {
        broken = isConnectionFailure(error);
        return rethrowUnavailable(error);
      } finally {
        // Destroyed rather than reused when broken; session locks end with the connection anyway.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
};
