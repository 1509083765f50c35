import { Client } from 'pg';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { relayReader } from '../../infra/postgres/positions';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { exited, killAll, startProcess } from '../support/childProcess';
import { createTopic, readTopic, topicSize, waitFor } from '../support/kafkaTopic';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

/**
 * At-least-once under a crash between publish and checkpoint. The test holds an uncommitted row on
 * the relay's checkpoint key, so the relay's checkpoint write blocks right after Kafka acknowledged
 * its first batch; then the relay is killed with SIGKILL. A restarted relay must publish
 * everything else (no loss) and, having found that batch in the topic's tail, not send it again.
 */
describe('relay crash (kill -9 between publish and checkpoint)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  it('loses nothing and does not resend the batch Kafka already has', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    await seedSessions(store, 40);
    const stored = await store.readCategory('onboarding', 1, 10_000);
    const topic = uniqueName('crash.events');
    await createTopic(topic);
    const relayId = uniqueName('relay');
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC: topic,
      RELAY_ID: relayId,
      RELAY_BATCH_SIZE: '100',
      LOG_LEVEL: 'info',
    };

    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      "INSERT INTO waymark.reader_positions (reader, source, next_position) VALUES ($1, 'category/onboarding', 1)",
      [relayReader(relayId)],
    );

    const first = startProcess('services/relay/main.ts', env);
    await waitFor(
      async () => (await topicSize(topic)) >= 100,
      30_000,
      'the first batch in Kafka',
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${first.output()}`);
    });
    await waitFor(
      async () => {
        const { rows } = await db.sql.pool.query(
          "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND a.application_name = 'waymark-relay'",
        );
        return (rows[0] as { n: number }).n > 0;
      },
      10_000,
      'the relay to block on its checkpoint',
    );
    first.kill('SIGKILL');
    await exited(first);
    // A backend blocked on a lock does not notice its client died; once unblocked it would still
    // commit the write. End it, as a crash before the checkpoint reached the database would.
    await blocker.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'waymark-relay' AND datname = current_database()",
    );
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect(await topicSize(topic)).toBe(100);

    const second = startProcess('services/relay/main.ts', env);
    await waitFor(
      async () => {
        const { rows } = await db.sql.pool.query(
          'SELECT next_position FROM waymark.reader_positions WHERE reader = $1',
          [relayReader(relayId)],
        );
        const next = Number((rows[0] as { next_position?: string } | undefined)?.next_position);
        return next > (stored.at(-1)?.globalPosition ?? Infinity);
      },
      60_000,
      'the relay to checkpoint past the last event',
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${second.output()}`);
    });
    expect(second.output()).toMatch(/"skipped":100,"of":100/);
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);

    const codec = createAvroCodec();
    const published = (await readTopic(topic)).map((m) => codec.decode(m.value).eventId);
    const counts = new Map<string, number>();
    published.forEach((id) => counts.set(id, (counts.get(id) ?? 0) + 1));
    const missing = stored.filter((e) => !counts.has(e.eventId));
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    expect(missing).toHaveLength(0);
    expect(duplicated).toBe(0);
    expect(published).toHaveLength(stored.length);
  });
});
