import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../infra/config/loadConfig';
import { withAppendMetrics } from '../../infra/eventStore/meteredEventStore';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { onShutdown } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { serveWorkerMetrics } from '../../infra/observability/metricsServer';
import { createModelRepository } from '../risk/modelRepository';
import { readModelMigrationDirs } from '../../projections/migrations';
import { createCommandHandler } from '../sessions/handleCommand';
import { startDetectorLoop } from './detectorLoop';

/** npm run start:detector: the abandonment detector as its own process (service mode). */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, 'waymark-detector', readModelMigrationDirs, {
    schema: 'await',
    logger,
  });
  const { store } = openEventStore(config, database);
  const metrics = createMetrics();
  const metricsClosers = await serveWorkerMetrics(
    metrics.registry,
    config.metricsPort,
    config.http.host,
  );
  const loop = startDetectorLoop(
    {
      sql: database.sql,
      handle: createCommandHandler({
        eventStore: withAppendMetrics(store, metrics),
        newId: () => randomUUID(),
      }),
      metrics,
      clock: () => new Date(),
      models: createModelRepository(database.sql, config.risk.modelRefreshMs),
      ...config.abandonment,
    },
    logger,
    config.abandonment.scanIntervalMs,
  );
  logger.info(
    { thresholdSeconds: config.abandonment.thresholdSeconds },
    'abandonment detector running',
  );
  onShutdown(
    logger,
    [
      { name: 'detector', close: loop.stop },
      ...metricsClosers,
      { name: 'database', close: () => database.sql.close() },
    ],
    config.shutdownTimeoutMs,
  );
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark detector failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
