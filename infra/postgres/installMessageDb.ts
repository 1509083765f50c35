import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlSession } from './sqlClient';

/**
 * Installs Message DB from the `@eventide/message-db` npm package: the same SQL files, in the order
 * its `install.sh` runs them, in one transaction, so nothing is copied by hand and a failed install
 * leaves nothing behind. Skipped when the message store already exists.
 */
const installOrder = [
  'roles/message-store.sql',
  'schema/message-store.sql',
  'extensions/pgcrypto.sql',
  'tables/messages.sql',
  'types/message.sql',
  'functions/message-store-version.sql',
  'functions/hash-64.sql',
  'functions/acquire-lock.sql',
  'functions/category.sql',
  'functions/is-category.sql',
  'functions/id.sql',
  'functions/cardinal-id.sql',
  'functions/stream-version.sql',
  'functions/write-message.sql',
  'functions/get-stream-messages.sql',
  'functions/get-category-messages.sql',
  'functions/get-last-stream-message.sql',
  'indexes/messages-id.sql',
  'indexes/messages-stream.sql',
  'indexes/messages-category.sql',
  'views/stream-summary.sql',
  'views/type-summary.sql',
  'views/stream-type-summary.sql',
  'views/type-stream-summary.sql',
  'views/category-type-summary.sql',
  'views/type-category-summary.sql',
  'privileges/schema.sql',
  'privileges/table.sql',
  'privileges/sequence.sql',
  'privileges/functions.sql',
  'privileges/views.sql',
];

const packageDatabaseDir = (): string =>
  path.join(path.dirname(require.resolve('@eventide/message-db/package.json')), 'database');

export const installMessageDb = async (sql: SqlSession): Promise<'installed' | 'present'> => {
  const [row] = await sql.query<{ present: boolean }>(
    "SELECT to_regclass('message_store.messages') IS NOT NULL AS present",
  );
  if (row?.present === true) return 'present';
  const dir = packageDatabaseDir();
  const parts = await Promise.all(
    installOrder.map((file) => readFile(path.join(dir, file), 'utf8')),
  );
  await sql.exec(
    ['BEGIN;', "SET LOCAL client_min_messages = 'warning';", ...parts, 'COMMIT;'].join('\n'),
  );
  return 'installed';
};
