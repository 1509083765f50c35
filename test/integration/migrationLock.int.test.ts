import path from 'node:path';
import { Client } from 'pg';
import { createPgSqlClient } from '../../infra/postgres/pgSqlClient';
import { schemaStatus } from '../../infra/postgres/migrate';
import { readModelMigrationDirs } from '../../projections/migrations';
import { exited, killAll, startProcess } from '../support/childProcess';
import { waitFor } from '../support/kafkaTopic';
import { databaseUrl, testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const admin = async (text: string): Promise<void> => {
  const client = new Client({ connectionString: testEnv.adminDatabaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
};

/** A database with nothing in it: no Message DB, no Waymark schema. */
const blankDatabase = async () => {
  const name = uniqueName('waymark_blank');
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: databaseUrl(name),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
};

const env = (url: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: url,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  JWT_SECRET: 'migration-secret-migration-secret-migration',
  WAYMARK_DATA_DIR: path.join('/tmp', uniqueName('migrate')),
  ...extra,
});

const statusOf = async (url: string) => {
  const sql = createPgSqlClient({
    connectionString: url,
    maxConnections: 1,
    applicationName: 'migration-test',
  });
  try {
    return await schemaStatus(sql, readModelMigrationDirs);
  } finally {
    await sql.close();
  }
};

/** Migrations run once, under an advisory lock; service processes wait for them. */
describe('migrations under pg_advisory_lock', () => {
  afterAll(() => killAll());

  it('two concurrent npm run db:migrate: both succeed, every migration is applied exactly once', async () => {
    const db = await blankDatabase();
    try {
      const migrators = [0, 1].map(() => startProcess('services/cli/migrate.ts', env(db.url)));
      const codes = await Promise.all(migrators.map(exited));
      const outputs = migrators.map((m) => m.output());
      expect({ codes, outputs }).toEqual({ codes: [0, 0], outputs });
      // One did the work while the other waited on the lock, then found the schema up to date.
      const applied = outputs.map((o) => /: (.*)\n/.exec(o)?.[1] ?? '');
      expect(applied.filter((a) => a === 'up to date')).toHaveLength(1);
      const names = applied.find((a) => a !== 'up to date')?.split(', ') ?? [];
      expect(names).toContain('001_append_batch.sql');
      expect(names).toContain('007_session_summary_v1.sql');
      expect(await statusOf(db.url)).toEqual({ pending: [], unknown: [] });
    } finally {
      await db.drop();
    }
  });

  it('a service process waits for db:migrate, then starts; it refuses a schema newer than it knows', async () => {
    const db = await blankDatabase();
    try {
      const api = startProcess('services/api/main.ts', env(db.url));
      await waitFor(
        () => Promise.resolve(api.output().includes('waiting for the database schema')),
        30_000,
        'the API to report that it waits for the schema',
      );
      expect(api.output()).not.toContain('listening');
      expect((await statusOf(db.url)).pending).toContain('message-db');
      const migrator = startProcess('services/cli/migrate.ts', env(db.url));
      expect(await exited(migrator)).toBe(0);
      await waitFor(
        () => Promise.resolve(api.output().includes('listening')),
        30_000,
        `the API to listen\n${api.output()}`,
      );
      api.kill('SIGTERM');
      await exited(api);

      const sql = createPgSqlClient({
        connectionString: db.url,
        maxConnections: 1,
        applicationName: 'migration-test',
      });
      await sql.query(
        "INSERT INTO waymark.schema_migrations (name) VALUES ('999_from_a_newer_release.sql')",
      );
      await sql.close();
      for (const entry of ['services/api/main.ts', 'services/cli/migrate.ts']) {
        const refused = startProcess(entry, env(db.url));
        expect(await exited(refused)).toBe(1);
        expect(refused.output()).toContain('the database schema is newer than this release');
        expect(refused.output()).toContain('999_from_a_newer_release.sql');
      }
    } finally {
      await db.drop();
    }
  });

  it('gives up with a clear message when the schema does not arrive in SCHEMA_WAIT_TIMEOUT_MS', async () => {
    const db = await blankDatabase();
    try {
      const api = startProcess(
        'services/api/main.ts',
        env(db.url, { SCHEMA_WAIT_TIMEOUT_MS: '1500' }),
      );
      expect(await exited(api)).toBe(1);
      expect(api.output()).toContain('the database schema is not ready');
      expect(api.output()).toContain('npm run db:migrate');
    } finally {
      await db.drop();
    }
  });
});
