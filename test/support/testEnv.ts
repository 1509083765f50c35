import { existsSync } from 'node:fs';
import path from 'node:path';
/**
 * Where the tests find their services. Defaults are this machine's local services; the harness
 * (test/run.sh) starts a Kafka broker and exports KAFKA_BROKERS. Nothing here skips: a missing
 * service makes the integration tiers fail loudly.
 */
export const testEnv = {
  adminDatabaseUrl:
    process.env.WAYMARK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  templateDatabase: process.env.WAYMARK_TEST_TEMPLATE_DB ?? 'waymark_test_template',
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  esdbConnectionString: process.env.EVENTSTORE_CONNECTION_STRING,
  /** The KurrentDB image the EventStoreDB contract suite starts through testcontainers. */
  kurrentDbImage:
    process.env.WAYMARK_TEST_KURRENTDB_IMAGE ?? 'docker.kurrent.io/kurrent-latest/kurrentdb:latest',
};

export const databaseUrl = (name: string): string => {
  const url = new URL(testEnv.adminDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * A file of the project's shared data (kept out of git, see ../shared/data/README.md): from
 * WAYMARK_SHARED_DIR, else the `shared/` directory next to this checkout, else /work/shared.
 * Missing data fails the test that needs it, loudly, with the places looked at.
 */
export const sharedDataFile = (name: string): string => {
  const candidates = [
    process.env.WAYMARK_SHARED_DIR,
    path.resolve(__dirname, '../../../shared'),
    '/work/shared',
  ].filter((d): d is string => d !== undefined);
  for (const dir of candidates) {
    const file = path.join(dir, 'data', name);
    if (existsSync(file)) return file;
  }
  throw new Error(
    `shared data ${name} not found in ${candidates.join(', ')} (set WAYMARK_SHARED_DIR)`,
  );
};
