import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../infra/config/loadConfig';
import { withAppendMetrics } from '../../infra/eventStore/meteredEventStore';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { onShutdown } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { serveWorkerMetrics } from '../../infra/observability/metricsServer';
import { createModelRepository } from '../risk/modelRepository';
import { liveRiskTables } from '../risk/rescore';
import { startRiskRescoreLoop } from '../risk/rescoreLoop';
import { createRiskScorer } from '../risk/riskScorer';
import { readModelMigrationDirs } from '../../projections/migrations';
import { createCommandHandler } from '../sessions/handleCommand';
import { startDetectorLoop } from './detectorLoop';
import { startHeartbeat } from '../health/heartbeat';
import { campaign, leaderGauges, leadershipReport } from '../../infra/lifecycle/leadership';
import { fencedSqlClient } from '../../infra/postgres/fencedSqlClient';

/**
 * npm run start:detector: the abandonment detector and the risk tick as their own process
 * (service mode).
 */
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
  const models = createModelRepository(database.sql, config.risk.modelRefreshMs);
  const loop = startDetectorLoop(
    {
      sql: database.sql,
      handle: createCommandHandler({
        eventStore: withAppendMetrics(store, metrics),
        newId: () => randomUUID(),
      }),
      metrics,
      clock: () => new Date(),
      models,
      ...config.abandonment,
    },
    logger,
    config.abandonment.scanIntervalMs,
    lease.isLeader,
  );
  // The risk tick, under the same lease: scores idle sessions again as their idle time grows.
  const rescore = startRiskRescoreLoop(
    {
      sql: database.sql,
      scorer: createRiskScorer(models),
      tables: liveRiskTables,
      metrics,
      clock: () => new Date(),
      intervalMs: config.risk.rescoreIntervalMs,
      pageSize: config.risk.rescoreBatch,
    },
    logger,
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
      { name: 'risk rescore', close: rescore.stop },
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
