import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { installMessageDb } from './installMessageDb';
import type { SqlClient } from './sqlClient';

/** Waymark's own tables (positions, DLQ, keys, snapshots, models); read models bring theirs. */
export const coreMigrationsDir = path.join(__dirname, 'migrations');

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

/**
 * Brings a database up to date: Message DB first (from its npm package), then the numbered
 * core migrations and those of every read-model directory given, in one order by file name, each once, each in its own transaction, recorded in waymark.schema_migrations.
 */
export const migrate = async (
  sql: SqlClient,
  readModelDirs: readonly string[] = [],
): Promise<string[]> => {
  await installMessageDb(sql);
  await sql.exec(`CREATE SCHEMA IF NOT EXISTS waymark;
    CREATE TABLE IF NOT EXISTS waymark.schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());`);
  const files = await migrationFiles([coreMigrationsDir, ...readModelDirs]);
  const applied = new Set(
    (await sql.query<{ name: string }>('SELECT name FROM waymark.schema_migrations')).map(
      (r) => r.name,
    ),
  );
  const done: string[] = [];
  for (const file of files.filter((f) => !applied.has(f.name))) {
    const script = await readFile(path.join(file.dir, file.name), 'utf8');
    const name = file.name.replace(/'/g, "''");
    await sql.exec(
      `BEGIN;\n${script}\nINSERT INTO waymark.schema_migrations (name) VALUES ('${name}') ON CONFLICT DO NOTHING;\nCOMMIT;`,
    );
    done.push(file.name);
  }
  return done;
};
