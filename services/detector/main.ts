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
import { startHeartbeat } from '../health/heartbeat';
import { campaign, leaderGauges, leadershipReport } from '../../infra/lifecycle/leadership';
import { fencedSqlClient } from '../../infra/postgres/fencedSqlClient';

/** npm run start:detector: the abandonment detector as its own process (service mode). */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, 'waymark-detector', readModelMigrationDirs, {
    schema: 'await',
    logger,
  });
  const metrics = createMetrics();
  const holder = config.leadership.instanceId;
  const lease = campaign({
    sql: database.sql,
    name: 'detector:abandonment',
    holder,
    settings: config.leadership,
    logger,
    onChange: leaderGauges(metrics, 'detector:abandonment', holder),
  });
  // The detector's appends (and the reads before them) run on a fenced connection: each statement
  // checks the lease in its own transaction, so a deposed detector cannot append.
  const { store } = openEventStore(
    { ...config, eventStore: { ...config.eventStore, groupCommit: false } },
    { ...database, sql: fencedSqlClient(database.sql, lease.assertHeld) },
  );
  const metricsClosers = await serveWorkerMetrics(
    metrics.registry,
    config.metricsPort,
    config.http.host,
    () => leadershipReport([lease], holder),
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
    lease.isLeader,
  );
  logger.info(
    { thresholdSeconds: config.abandonment.thresholdSeconds, holder },
    'abandonment detector running (passes only while it holds the detector lease)',
  );
  const heartbeat = startHeartbeat(
    { sql: database.sql, logger, intervalMs: config.heartbeats.intervalMs },
    'detector',
  );
  onShutdown(
    logger,
    [
      { name: 'detector', close: loop.stop },
      { name: 'leader lease', close: lease.stop },
      ...metricsClosers,
      { name: 'heartbeat', close: heartbeat.stop },
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
