import { Client, type Pool } from 'pg';
import { createPgSqlClient } from '../../infra/postgres/pgSqlClient';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { databaseUrl, testEnv } from './testEnv';
import { uniqueName } from './uniqueName';

export type TestDatabase = Readonly<{
  name: string;
  url: string;
  sql: SqlClient & { pool: Pool };
  drop: () => Promise<void>;
}>;

const adminQuery = async (text: string): Promise<void> => {
  const admin = new Client({ connectionString: testEnv.adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
};

/** A fresh database cloned from the migrated template: Message DB and Waymark's schema ready. */
export const createTestDatabase = async (prefix = 'waymark_t'): Promise<TestDatabase> => {
  const name = uniqueName(prefix);
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${testEnv.templateDatabase}`);
  const url = databaseUrl(name);
  const sql = createPgSqlClient({
    connectionString: url,
    maxConnections: 8,
    applicationName: 'waymark-test',
  });
  return {
    name,
    url,
    sql,
    drop: async () => {
      await sql.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
};
