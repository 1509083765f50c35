import { loadConfig } from '../../infra/config/loadConfig';
import { onShutdown } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { openApiAdapters } from '../../infra/openApiAdapters';
import { readModelMigrationDirs } from '../../projections/migrations';
import { composeApi } from './composeApi';
import { serveApi } from './serve';

/**
 * `npm run start:api`: the API alone (service mode). Its read models are kept by the relay and
 * projector processes, and idle sessions are abandoned by the detector process.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const adapters = await openApiAdapters(config, {
    applicationName: 'waymark-api',
    logger,
    metrics,
    migrationDirs: readModelMigrationDirs,
    schema: 'await',
  });
  // Service mode: the relay, projector and detector run beside the API and beat in the database.
  const { app } = composeApi(config, {
    ...adapters,
    expectedWorkers: ['relay', 'projector', 'detector'],
  });
  const http = await serveApi(app, config, logger, {
    ...adapters.describe,
    flows: [...adapters.flows.keys()],
  });
  onShutdown(logger, [http, ...adapters.closers], config.shutdownTimeoutMs);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark api failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
