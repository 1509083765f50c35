import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/loadConfig';
import type { Logger } from '../observability/logger';
import { awaitSchema } from '../postgres/awaitSchema';
import { migrate } from '../postgres/migrate';
import { createPgSqlClient } from '../postgres/pgSqlClient';
import { createPgliteSqlClient } from '../postgres/pgliteSqlClient';
import type { SqlClient } from '../postgres/sqlClient';
import { createEsdbEventStore } from './esdbEventStore';
import type { EventStore } from './eventStore';
import { createMessageDbEventStore } from './messageDbEventStore';

export type Database = Readonly<{
  sql: SqlClient;
  kind: 'postgresql' | 'embedded-pglite';
  location: string;
  /** The migrations this process applied (none when it awaited the migrator). */
  applied: readonly string[];
}>;

/**
 * How a process gets the schema it needs. `migrate`: it applies pending migrations itself
 * (`npm run db:migrate`, and `npm start`, the one process of its deployment). `await`: a service
 * process, one of many, waits for the migrator (infra/postgres/awaitSchema.ts). Embedded PGlite
 * always migrates: no other process can open it.
 */
export type SchemaMode = Readonly<{ schema: 'migrate' | 'await'; logger?: Logger }>;

/**
 * PostgreSQL when DATABASE_URL is set, else embedded PGlite under the data dir; with the core
 * migrations and those of the given read-model directories applied or awaited.
 */
export const openDatabase = async (
  config: Config,
  applicationName: string,
  readModelMigrations: readonly string[] = [],
  mode: SchemaMode = { schema: 'await' },
): Promise<Database> => {
  const url = config.database.url;
  if (url === undefined) await mkdir(config.dataDir, { recursive: true });
  const database: Database =
    url === undefined
      ? {
          sql: await createPgliteSqlClient(path.join(config.dataDir, 'pglite')),
          kind: 'embedded-pglite',
          location: path.join(config.dataDir, 'pglite'),
          applied: [],
        }
      : {
          sql: createPgSqlClient({
            connectionString: url,
            maxConnections: config.database.poolSize,
            applicationName,
          }),
          kind: 'postgresql',
          location: new URL(url).host + new URL(url).pathname,
          applied: [],
        };
  if (mode.schema === 'migrate' || database.kind === 'embedded-pglite') {
    return { ...database, applied: await migrate(database.sql, readModelMigrations) };
  }
  await awaitSchema(database.sql, readModelMigrations, {
    timeoutMs: config.database.schemaWaitTimeoutMs,
    onWait: (pending, reason) =>
      mode.logger?.warn(
        { pending: pending?.length ?? null, reason },
        'waiting for the database schema: run npm run db:migrate',
      ),
  });
  return database;
};

/** EventStoreDB when EVENTSTORE_CONNECTION_STRING is set, else Message DB on the database. */
export const openEventStore = (
  config: Config,
  database: Database,
): { store: EventStore; kind: string } =>
  config.eventStore.esdbConnectionString === undefined
    ? {
        store: createMessageDbEventStore({
          sql: database.sql,
          groupCommit: config.eventStore.groupCommit,
        }),
        kind: `message-db (${database.kind})`,
      }
    : { store: createEsdbEventStore(config.eventStore.esdbConnectionString), kind: 'eventstoredb' };
