import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/loadConfig';
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
}>;

/**
 * PostgreSQL when DATABASE_URL is set, else embedded PGlite under the data dir; migrated with the
 * core migrations and those of the given read-model directories.
 */
export const openDatabase = async (
  config: Config,
  applicationName: string,
  readModelMigrations: readonly string[] = [],
): Promise<Database> => {
  const url = config.database.url;
  if (url === undefined) await mkdir(config.dataDir, { recursive: true });
  const database: Database =
    url === undefined
      ? {
          sql: await createPgliteSqlClient(path.join(config.dataDir, 'pglite')),
          kind: 'embedded-pglite',
          location: path.join(config.dataDir, 'pglite'),
        }
      : {
          sql: createPgSqlClient({
            connectionString: url,
            maxConnections: config.database.poolSize,
            applicationName,
          }),
          kind: 'postgresql',
          location: new URL(url).host + new URL(url).pathname,
        };
  await migrate(database.sql, readModelMigrations);
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
