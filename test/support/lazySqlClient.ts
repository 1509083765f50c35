import { createPgliteSqlClient } from '../../infra/postgres/pgliteSqlClient';
import { migrate } from '../../infra/postgres/migrate';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { readModelMigrationDirs } from '../../projections/migrations';

let opened: Promise<SqlClient> | null = null;

/**
 * A SqlClient that opens its database on first use: an in-memory PGlite, migrated, one per test
 * file (Jest gives each file its own module registry). Unit tests compose the whole API over
 * it, and only the files that reach a query pay for starting PostgreSQL. Tests that look at
 * the database pass one of their own.
 */
export const lazyPgliteSqlClient = (): SqlClient => {
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
    session: async (fn) => (await open()).session(fn),
    // Shared by the file's apps: it lives as long as the file's module registry.
    close: () => Promise.resolve(),
  };
};
