import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase } from '../../infra/eventStore/openEventStore';
import { readModelMigrationDirs } from '../../projections/migrations';

/**
 * `npm run db:migrate`: installs Message DB and applies every pending migration under the
 * migration advisory lock (safe to run from several places at once), then exits. Service
 * processes wait for it; `npm start` migrates by itself.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const database = await openDatabase(config, 'waymark-migrate', readModelMigrationDirs, {
    schema: 'migrate',
  });
  const applied = database.applied.length === 0 ? 'up to date' : database.applied.join(', ');
  process.stdout.write(`migrated ${database.kind} at ${database.location}: ${applied}\n`);
  await database.sql.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
