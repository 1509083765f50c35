import { parseArgs } from 'node:util';
import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { createLogger } from '../../infra/observability/logger';
import { readModelMigrationDirs } from '../../projections/migrations';
import { allReadModels, readModelIds } from '../../projections/readModels';
import { rebuildReadModel } from '../../projections/rebuild';
import { createModelRepository } from '../risk/modelRepository';
import { createRiskScorer } from '../risk/riskScorer';

const usage = `usage: npm run projections:rebuild -- [--only <id>] (ids: ${readModelIds.join(', ')})`;

/**
 * `npm run projections:rebuild`: rebuilds read models from the event store into fresh tables and
 * swaps them in (every read model, or the one named by --only or as the argument).
 */
const main = async (): Promise<void> => {
  const { values, positionals } = parseArgs({
    options: { only: { type: 'string' } },
    allowPositionals: true,
  });
  const wanted = values.only ?? positionals[0];
  if ((wanted !== undefined && !readModelIds.includes(wanted)) || positionals.length > 1)
    throw new Error(usage);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, 'waymark-rebuild', readModelMigrationDirs);
  // The risk rows are scored with the tenants' active models, as the projector scores them.
  const models = allReadModels(
    createRiskScorer(createModelRepository(database.sql, config.risk.modelRefreshMs)),
  );
  const chosen = wanted === undefined ? models : models.filter((m) => m.id === wanted);
  const { store } = openEventStore(config, database);
  for (const model of chosen) {
    const { table } = await rebuildReadModel(
      { sql: database.sql, eventStore: store, logger },
      model,
    );
    process.stdout.write(`rebuilt ${model.id} into ${table}\n`);
  }
  await database.sql.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
