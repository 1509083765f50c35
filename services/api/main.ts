import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createJwtVerifier } from '../../infra/auth/jwt';
import { resolveJwtSecret } from '../../infra/auth/resolveSecret';
import { loadConfig } from '../../infra/config/loadConfig';
import { loadFlows } from '../../infra/config/loadFlows';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { createKafka } from '../../infra/kafka/createKafka';
import { createKafkaProbe } from '../../infra/kafka/kafkaProbe';
import { onShutdown, type Closer } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { createRedis } from '../../infra/redis/createRedis';
import { createCommandHandler } from '../commands/handleCommand';
import { createStartSession } from '../commands/startSession';
import { buildApp } from './app';

/** Composition root of the API process: config → adapters → app → listen → graceful shutdown. */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const secret = await resolveJwtSecret(config.auth.secret, config.dataDir);
  const verifyToken = createJwtVerifier({ ...config.auth, secret });
  const flows = await loadFlows(config.flowsFile);
  const database = await openDatabase(config, 'waymark-api');
  const { store, kind } = openEventStore(config, database);
  const kafka = config.kafka.brokers
    ? createKafkaProbe(
        createKafka(
          { brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-api` },
          logger,
        ),
      )
    : null;
  const redis = config.redis.url ? createRedis(config.redis.url) : null;
  redis?.on('error', () => undefined);

  const newId = () => randomUUID();
  const handle = createCommandHandler({
    eventStore: store,
    newId,
    onConflict: () => metrics.appendConflicts.inc(),
  });
  const app = buildApp({
    logger,
    metrics,
    verifyToken,
    bodyLimitBytes: config.http.bodyLimitBytes,
    probes: {
      event_store: () => store.ping(),
      database: async () => void (await database.sql.query('SELECT 1')),
      kafka: kafka ? kafka.probe : null,
      redis: redis ? async () => void (await redis.ping()) : null,
    },
    sessions: {
      eventStore: store,
      handle,
      startSession: createStartSession({ eventStore: store, handle, newId }),
      flows,
      clock: () => new Date(),
      maxEventsPerRequest: config.http.maxEventsPerRequest,
    },
  });

  const server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      port,
      eventStore: kind,
      database:
        database.kind === 'embedded-pglite'
          ? `embedded PGlite at ${database.location}`
          : database.location,
      kafka: config.kafka.brokers
        ? config.kafka.brokers.join(',')
        : 'disabled (KAFKA_BROKERS not set)',
      redis: redis ? 'configured' : 'disabled (REDIS_URL not set)',
      flows: [...flows.keys()],
    },
    `waymark api listening on http://${config.http.host}:${port}${'/api/v1/onboarding/'}`,
  );

  const closers: Closer[] = [
    { name: 'http', close: () => new Promise<void>((resolve) => server.close(() => resolve())) },
    ...(kafka ? [{ name: 'kafka', close: kafka.close }] : []),
    ...(redis ? [{ name: 'redis', close: async () => void (await redis.quit()) }] : []),
    {
      name: 'event store',
      close: () => (config.eventStore.esdbConnectionString ? store.close() : Promise.resolve()),
    },
    { name: 'database', close: () => database.sql.close() },
  ];
  onShutdown(logger, closers, config.shutdownTimeoutMs);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark api failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
