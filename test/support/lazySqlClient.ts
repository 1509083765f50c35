import { createPgliteSqlClient } from '../../infra/postgres/pgliteSqlClient';
import { migrate } from '../../infra/postgres/migrate';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { readModelMigrationDirs } from '../../projections/migrations';

/**
 * A SqlClient that opens its database on first use: an in-memory PGlite, migrated. Unit tests
 * compose the whole API over it, and only those that reach a query pay for starting PostgreSQL.
 */
export const lazyPgliteSqlClient = (): SqlClient => {
  let opened: Promise<SqlClient> | null = null;
  const open = () =>
    (opened ??= (async () => {
      const sql = await createPgliteSqlClient('memory://');
      await migrate(sql, readModelMigrationDirs);
      return sql;
    })());
  return {
    query: async (text, params) => (await open()).query(text, params),
    exec: async (script) => (await open()).exec(script),
    transaction: async (fn) => (await open()).transaction(fn),
    close: async () => {
      if (opened !== null) await (await opened).close();
    },
  };
};
