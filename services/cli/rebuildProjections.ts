import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { createLogger } from '../../infra/observability/logger';
import { sessionSummaryProjectionId } from '../../projections/sessionSummary/sessionSummary';
import { rebuildSessionSummary } from '../../projections/rebuild';

/** npm run projections:rebuild -- <projection id>: rebuild a read model from the event store. */
const main = async (): Promise<void> => {
  const id = process.argv[2];
  if (id !== sessionSummaryProjectionId)
    throw new Error(`usage: npm run projections:rebuild -- ${sessionSummaryProjectionId}`);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, 'waymark-rebuild');
  const { store } = openEventStore(config, database);
  const { table } = await rebuildSessionSummary({ sql: database.sql, eventStore: store, logger });
  process.stdout.write(`rebuilt ${id} into ${table}\n`);
  await database.sql.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
