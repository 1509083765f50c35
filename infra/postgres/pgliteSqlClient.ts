import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import type { Row, SqlClient, SqlExecutor } from './sqlClient';

/**
 * SqlClient on PGlite, PostgreSQL compiled to WebAssembly and run in-process. This is the embedded
 * default for `npm start` with no DATABASE_URL: the same Message DB SQL, persisted under dataDir.
 * PGlite has one connection, so transactions run one at a time (appends in one category are
 * serialised by Message DB's lock anyway).
 */
export const createPgliteSqlClient = async (dataDir: string): Promise<SqlClient> => {
  const db = await PGlite.create({ dataDir, extensions: { pgcrypto } });
  await db.exec('SET search_path = message_store, public');
  const asExecutor = (target: Pick<PGlite, 'query'>): SqlExecutor => ({
    query: async <R extends Row = Row>(text: string, params?: readonly unknown[]) =>
      (await target.query<R>(text, params ? [...params] : undefined)).rows,
  });
  const exec = async (script: string): Promise<void> => {
    await db.exec(script);
  };
  return {
    ...asExecutor(db),
    exec,
    // One connection only: a session is the database itself.
    session: (fn) => fn({ ...asExecutor(db), exec }),
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) =>
      db.transaction((tx) => fn(asExecutor(tx))),
    close: () => db.close(),
  };
};
