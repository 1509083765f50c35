import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { migrate } from '../../infra/postgres/migrate';
import { readModelMigrationDirs } from '../../projections/migrations';
import { createPgliteSqlClient } from '../../infra/postgres/pgliteSqlClient';
import { eventStoreContract } from '../support/contracts/eventStoreContract';

// The embedded default of `npm start`: the same Message DB SQL on PGlite, installed from the package.
eventStoreContract('Message DB on embedded PGlite', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'waymark-pglite-'));
  const sql = await createPgliteSqlClient(dir);
  await migrate(sql, readModelMigrationDirs);
  return {
    store: createMessageDbEventStore({ sql, groupCommit: { maxEvents: 50 } }),
    close: async () => {
      await sql.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
