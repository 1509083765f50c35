import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { installMessageDb } from './installMessageDb';
import type { SqlClient } from './sqlClient';

const migrationsDir = path.join(__dirname, 'migrations');

/**
 * Brings a database up to date: Message DB first (from its npm package), then Waymark's own
 * numbered migrations, each once, each in its own transaction, recorded in waymark.schema_migrations.
 */
export const migrate = async (sql: SqlClient): Promise<string[]> => {
  await installMessageDb(sql);
  await sql.exec(`CREATE SCHEMA IF NOT EXISTS waymark;
    CREATE TABLE IF NOT EXISTS waymark.schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());`);
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  const applied = new Set(
    (await sql.query<{ name: string }>('SELECT name FROM waymark.schema_migrations')).map(
      (r) => r.name,
    ),
  );
  const done: string[] = [];
  for (const file of files.filter((f) => !applied.has(f))) {
    const script = await readFile(path.join(migrationsDir, file), 'utf8');
    const name = file.replace(/'/g, "''");
    await sql.exec(
      `BEGIN;\n${script}\nINSERT INTO waymark.schema_migrations (name) VALUES ('${name}') ON CONFLICT DO NOTHING;\nCOMMIT;`,
    );
    done.push(file);
  }
  return done;
};
