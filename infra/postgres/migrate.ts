import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CodedError } from '../../events/codedError';
import { installMessageDb } from './installMessageDb';
import type { SqlClient, SqlExecutor } from './sqlClient';

/** Waymark's own tables (positions, DLQ, keys, snapshots, models); read models bring theirs. */
export const coreMigrationsDir = path.join(__dirname, 'migrations');

/**
 * The advisory-lock key every migrator takes (any constant; this one is "wymk" in ASCII).
 * Session-level, so it is held across the per-file transactions and dropped if the migrator dies.
 */
export const migrationLockKey = 0x77796d6b;

/** The database has migrations this code does not know: it was migrated by a newer release. */
export class SchemaTooNewError extends CodedError {
  constructor(unknown: readonly string[]) {
    super(
      { code: 'schema_too_new', category: 'unrecoverable' },
      `the database schema is newer than this release: it has ${unknown.join(', ')}, ` +
        'which this code does not know; run a release that includes them',
    );
  }
}

const migrationFiles = async (dirs: readonly string[]) => {
  const found = await Promise.all(
    dirs.map(async (dir) =>
      (await readdir(dir)).filter((f) => f.endsWith('.sql')).map((f) => ({ name: f, dir })),
    ),
  );
  const files = found.flat().sort((a, b) => a.name.localeCompare(b.name));
  const dup = files.find((f, i) => files[i + 1]?.name === f.name);
  if (dup) throw new Error(`two migrations are named ${dup.name}`);
  return files;
};

const appliedNames = async (sql: SqlExecutor): Promise<Set<string>> => {
  const [table] = await sql.query<{ present: boolean }>(
    "SELECT to_regclass('waymark.schema_migrations') IS NOT NULL AS present",
  );
  if (table?.present !== true) return new Set();
  const rows = await sql.query<{ name: string }>('SELECT name FROM waymark.schema_migrations');
  return new Set(rows.map((r) => r.name));
};

export type SchemaStatus = Readonly<{ pending: string[]; unknown: string[] }>;

/** What this code's migrations (core + the given read models) say about the database. */
export const schemaStatus = async (
  sql: SqlExecutor,
  readModelDirs: readonly string[] = [],
): Promise<SchemaStatus> => {
  const known = (await migrationFiles([coreMigrationsDir, ...readModelDirs])).map((f) => f.name);
  const applied = await appliedNames(sql);
  const [store] = await sql.query<{ present: boolean }>(
    "SELECT to_regclass('message_store.messages') IS NOT NULL AS present",
  );
  const pending = known.filter((n) => !applied.has(n));
  return {
    pending: store?.present === true ? pending : ['message-db', ...pending],
    unknown: [...applied].filter((n) => !known.includes(n)).sort(),
  };
};

/**
 * Brings a database up to date: Message DB first (from its npm package), then the numbered
 * core migrations and those of every read-model directory given, in one order by file name,
 * each once, each in its own transaction, recorded in waymark.schema_migrations. Everything runs
 * on one connection holding pg_advisory_lock(migrationLockKey): a second migrator waits for the
 * first and then finds nothing to do. A database with migrations this code does not know is
 * refused (SchemaTooNewError), never half-migrated by an older release.
 */
export const migrate = (sql: SqlClient, readModelDirs: readonly string[] = []): Promise<string[]> =>
  sql.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      const { unknown } = await schemaStatus(session, readModelDirs);
      if (unknown.length > 0) throw new SchemaTooNewError(unknown);
      await installMessageDb(session);
      await session.exec(`CREATE SCHEMA IF NOT EXISTS waymark;
        CREATE TABLE IF NOT EXISTS waymark.schema_migrations (
          name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());`);
      const files = await migrationFiles([coreMigrationsDir, ...readModelDirs]);
      const applied = await appliedNames(session);
      const done: string[] = [];
      for (const file of files.filter((f) => !applied.has(f.name))) {
        const script = await readFile(path.join(file.dir, file.name), 'utf8');
        const name = file.name.replace(/'/g, "''");
        await session.exec(
          `BEGIN;\n${script}\nINSERT INTO waymark.schema_migrations (name) VALUES ('${name}') ON CONFLICT DO NOTHING;\nCOMMIT;`,
        );
        done.push(file.name);
      }
      return done;
    } finally {
      // A failed script leaves its transaction open on this connection: end it before unlocking.
      await session.exec('ROLLBACK').catch(() => undefined);
      await session
        .query('SELECT pg_advisory_unlock($1)', [migrationLockKey])
        .catch(() => undefined);
    }
  });
