import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase } from '../../infra/eventStore/openEventStore';
import { readModelMigrationDirs } from '../../projections/migrations';

/** `npm run db:migrate`: installs Message DB and applies every pending migration, then exits. */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const database = await openDatabase(config, 'waymark-migrate', readModelMigrationDirs);
  process.stdout.write(`migrated ${database.kind} at ${database.location}\n`);
  await database.sql.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
