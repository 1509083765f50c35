import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { listLeases } from '../../infra/postgres/leaderLease';
import { exited, killAll, startProcess } from '../support/childProcess';
import { createTopic, readTopic, topicSize, waitFor } from '../support/kafkaTopic';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

/**
 * Two relay processes with one RELAY_ID elect one leader per category by a lease in PostgreSQL.
 * While sessions keep being written, the test pauses the leader past its lease (SIGSTOP: a
 * partition as the database sees it), lets it come back as a standby, then kill -9s the new
 * leader. Afterwards every stored event is in Kafka and the duplicates are few: only batches a
 * deposed leader had in flight, which the (session id, stream position) key absorbs.
 */
describe('relay leader election (two processes, kill -9 and pause the leader)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  it('has one leader, fails over within the lease bound, loses nothing', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    await seedSessions(store, 30);
    const topic = uniqueName('leader.events');
    await createTopic(topic);
    const relayId = uniqueName('relay');
    const lease = `relay:${relayId}:onboarding`;
    const env = (id: string) => ({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC: topic,
      RELAY_ID: relayId,
      RELAY_BATCH_SIZE: '50',
      WAYMARK_INSTANCE_ID: id,
    });
    const relays = {
      a: startProcess('services/relay/main.ts', env('a')),
      b: startProcess('services/relay/main.ts', env('b')),
    };
    const output = () => `a: ${relays.a.output()}\nb: ${relays.b.output()}`;
    const holder = async () =>
      (await listLeases(db.sql)).find((l) => l.name === lease && l.valid)?.holder;

    // A writer keeps appending sessions during both faults.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await seedSessions(store, 2);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    await waitFor(async () => (await holder()) !== undefined, 30_000, 'a leader').catch(
      (e: unknown) => {
        throw new Error(`${String(e)}\n${output()}`);
      },
    );
    await waitFor(async () => (await topicSize(topic)) > 0, 30_000, 'first records');
    const first = (await holder()) as 'a' | 'b';
    const second = first === 'a' ? 'b' : 'a';

    // The leader freezes: the standby must take over; the old leader, thawed, must stand by.
    relays[first].kill('SIGSTOP');
    const pausedAt = Date.now();
    await waitFor(async () => (await holder()) === second, 30_000, 'the standby to take over');
    const pauseTakeoverMs = Date.now() - pausedAt;
    relays[first].kill('SIGCONT');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await holder()).toBe(second);

    // The new leader dies: the thawed one takes over.
    relays[second].kill('SIGKILL');
    const killedAt = Date.now();
    await exited(relays[second]);
    await waitFor(async () => (await holder()) === first, 30_000, 'the old leader to take over');
    const killTakeoverMs = Date.now() - killedAt;

    writing = false;
    await writer;
    const stored = await store.readCategory('onboarding', 1, 1_000_000);
    await waitFor(async () => (await topicSize(topic)) >= stored.length, 60_000, 'catch-up').catch(
      (e: unknown) => {
        throw new Error(`${String(e)}\n${output()}`);
      },
    );
    relays[first].kill('SIGTERM');
    expect(await exited(relays[first])).toBe(0);

    const codec = createAvroCodec();
    const published = (await readTopic(topic)).map((m) => codec.decode(m.value));
    const counts = new Map<string, number>();
    published.forEach((e) => counts.set(e.eventId, (counts.get(e.eventId) ?? 0) + 1));
    const missing = stored.filter((e) => !counts.has(e.eventId));
    const duplicates = published.length - counts.size;
    const dedupeKeys = new Set(published.map((e) => `${e.streamName}/${e.streamPosition}`));
    process.stdout.write(
      `relay failover: ${stored.length} events, ${duplicates} duplicates, takeover after pause ${pauseTakeoverMs} ms, after kill -9 ${killTakeoverMs} ms\n`,
    );
    expect(missing).toHaveLength(0);
    expect(dedupeKeys.size).toBe(stored.length);
    // At most one batch per leadership change can be republished (two changes here).
    expect(duplicates).toBeLessThanOrEqual(2 * 50);
    expect(published.length).toBe(stored.length + duplicates);
  });
});
