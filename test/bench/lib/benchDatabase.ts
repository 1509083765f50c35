import { Client } from 'pg';
import { migrate } from '../../../infra/postgres/migrate';
import { readModelMigrationDirs } from '../../../projections/migrations';
import { createPgSqlClient } from '../../../infra/postgres/pgSqlClient';

const adminUrl = process.env.WAYMARK_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const admin = async (sql: string): Promise<void> => {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** A fresh, migrated benchmark database (Message DB + Waymark schema), dropped afterwards. */
export const createBenchDatabase = async (name: string) => {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = createPgSqlClient({
    connectionString: url.toString(),
    maxConnections: 4,
    applicationName: 'bench',
  });
  await migrate(sql, readModelMigrationDirs);
  return {
    url: url.toString(),
    sql,
    drop: async () => (
      await sql.close(),
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    ),
  };
};
