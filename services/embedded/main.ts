import { onboardingCategory } from '../../events/streamNames';
import { loadConfig } from '../../infra/config/loadConfig';
import { lockDataDir } from '../../infra/lifecycle/dataDirLock';
import { onShutdown } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { openApiAdapters } from '../../infra/openApiAdapters';
import { readModelMigrationDirs } from '../../projections/migrations';
import { createLiveProjection } from '../../projections/readModels';
import { composeApi } from '../api/composeApi';
import { devSignInLink } from '../console/devSignIn';
import { serveApi } from '../api/serve';
import { startDetectorLoop } from '../detector/detectorLoop';
import { liveRiskTables } from '../risk/rescore';
import { startRiskRescoreLoop } from '../risk/rescoreLoop';
import { startHeartbeat } from '../health/heartbeat';
import { startDlqHousekeeping } from '../dlq/housekeeping';
import { createEmbeddedFeeder } from '../projector/embeddedFeeder';

/**
 * `npm start`: Waymark in one process. The API, its projections fed in-process from the event
 * store's log (no Kafka needed) and the abandonment detector, on embedded PGlite unless
 * DATABASE_URL is set. The same projection and detector code as the service processes.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  // Before anything opens PGlite: a second process on the same directory would corrupt it.
  const releaseDataDir = await lockDataDir(config.dataDir);
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const adapters = await openApiAdapters(config, {
    applicationName: 'waymark-embedded',
    logger,
    metrics,
    migrationDirs: readModelMigrationDirs,
    schema: 'migrate',
  });
  const { app, handle, models, riskScorer } = composeApi(config, {
    ...adapters,
    expectedWorkers: ['projector', 'detector'],
  });
  const beats = { sql: adapters.sql, logger, intervalMs: config.heartbeats.intervalMs };
  // The in-process feed and detector are this process's projector and detector.
  const heartbeats = [startHeartbeat(beats, 'projector'), startHeartbeat(beats, 'detector')];
  const feeder = createEmbeddedFeeder({
    eventStore: adapters.eventStore,
    sql: adapters.sql,
    projection: createLiveProjection(riskScorer),
    logger,
    groupId: config.consumers.projectorGroupId,
    category: onboardingCategory,
    intervalMs: config.consumers.embeddedFeedIntervalMs,
    maxRetries: config.dlq.maxRetries,
    maxQueueSize: config.dlq.maxQueueSize,
    metrics,
  });
  feeder.start();
  // One process owns everything here, the dead-letter table included.
  const housekeeping = await startDlqHousekeeping({
    sql: adapters.sql,
    metrics,
    logger,
    retentionDays: config.dlq.retentionDays,
    recoveryLogRetentionDays: config.dlq.recoveryLogRetentionDays,
  });
  const detector = startDetectorLoop(
    { sql: adapters.sql, handle, metrics, models, clock: adapters.clock, ...config.abandonment },
    logger,
    config.abandonment.scanIntervalMs,
  );
  // The risk tick beside the detector: scores idle sessions again as their idle time grows.
  const rescore = startRiskRescoreLoop(
    {
      sql: adapters.sql,
      scorer: riskScorer,
      tables: liveRiskTables,
      metrics,
      clock: adapters.clock,
      intervalMs: config.risk.rescoreIntervalMs,
      pageSize: config.risk.rescoreBatch,
    },
    logger,
  );
  const http = await serveApi(app, config, logger, {
    mode: 'embedded (projections and detector in this process)',
    ...adapters.describe,
    flows: [...adapters.flows.keys()],
  });
  // Printed to the terminal, not logged: log lines never carry tokens.
  const link = await devSignInLink(config);
  if (link !== null) process.stdout.write(`console (development sign-in): ${link}\n`);
  onShutdown(
    logger,
    [
      http,
      {
        name: 'heartbeats',
        close: async () => void (await Promise.all(heartbeats.map((h) => h.stop()))),
      },
      { name: 'abandonment detector', close: detector.stop },
      { name: 'risk rescore', close: rescore.stop },
      { name: 'embedded projections', close: feeder.stop },
      housekeeping,
      ...adapters.closers,
      { name: 'data directory lock', close: () => Promise.resolve(releaseDataDir()) },
    ],
    config.shutdownTimeoutMs,
  );
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
