import { createInProcessRelay } from '../support/inProcessRelay';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { readTopic } from '../support/kafkaTopic';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const metadata = JSON.stringify({ correlationId: 'late', tenantId: 'tenant-a', actor: 'test' });
const writeSql = 'SELECT message_store.write_message($1, $2, $3, $4, $5)';
const stepEntered = (i: number) =>
  JSON.stringify({ step: 'approval', stepIndex: i, at: new Date().toISOString() });

/** The reader the design forbids: the whole table by global_position, one checkpoint. */
const naiveReader = (db: TestDatabase) => {
  let next = 1;
  const seen: string[] = [];
  return {
    seen,
    poll: async () => {
      const { rows } = await db.sql.pool.query<{
        id: string;
        global_position: string;
        stream_name: string;
      }>(
        'SELECT id, global_position, stream_name FROM message_store.messages WHERE global_position >= $1 ORDER BY global_position LIMIT 1000',
        [next],
      );
      rows.forEach((r) => r.stream_name.startsWith('onboarding-') && seen.push(r.id));
      next = rows.length > 0 ? Number(rows.at(-1)?.global_position) + 1 : next;
    },
  };
};

/** A deterministic pseudo-random sequence, so a failing schedule can be replayed from its seed. */
const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

describe('relay: late commits (a transaction that takes a position early and commits late)', () => {
  let db: TestDatabase;
  const clients: Client[] = [];
  const connect = async () => {
    const client = new Client({
      connectionString: db.url,
      options: '-c search_path=message_store,public',
    });
    await client.connect();
    clients.push(client);
    return client;
  };
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await db.drop();
  });

  it('the category relay neither skips nor reorders; a naive global_position poller skips', async () => {
    const seed = Date.now() % 100_000;
    const rand = random(seed);
    const { store, topic, codec, relay, close } = await createInProcessRelay(db, 50);
    const naive = naiveReader(db);
    const [late, blocked, other] = [await connect(), await connect(), await connect()];

    for (let round = 0; round < 12; round += 1) {
      await late.query('BEGIN');
      await late.query(writeSql, [
        randomUUID(),
        `onboarding-${randomUUID()}`,
        'StepEntered',
        stepEntered(round),
        metadata,
      ]);
      // Writers in the same category wait for the category lock; writers elsewhere commit now.
      const waiting = blocked.query(writeSql, [
        randomUUID(),
        `onboarding-${randomUUID()}`,
        'StepEntered',
        stepEntered(round),
        metadata,
      ]);
      for (let i = 0; i < 1 + Math.floor(rand() * 3); i += 1) {
        await other.query(writeSql, [
          randomUUID(),
          `othercat-${randomUUID()}`,
          'Noise',
          '{}',
          metadata,
        ]);
      }
      if (rand() < 0.3) {
        await other.query('BEGIN');
        await other.query(writeSql, [
          randomUUID(),
          `othercat-${randomUUID()}`,
          'Burned',
          '{}',
          metadata,
        ]);
        await other.query('ROLLBACK');
      }
      await relay.relayOnce('onboarding');
      await naive.poll();
      await late.query(rand() < 0.8 ? 'COMMIT' : 'ROLLBACK');
      await waiting;
      await relay.relayOnce('onboarding');
      await naive.poll();
    }
    while ((await relay.relayOnce('onboarding')) > 0);
    await naive.poll();
    await close();

    const stored = await store.readCategory('onboarding', 1, 10_000);
    const messages = await readTopic(topic);
    const published = messages.map((m) => ({
      partition: m.partition,
      offset: m.offset,
      event: codec.decode(m.value),
    }));
    const context = `seed ${seed}`;
    const ids = published.map((p) => p.event.eventId).sort();
    expect({ context, ids }).toEqual({ context, ids: stored.map((e) => e.eventId).sort() });
    // No reordering: within every partition, offsets follow the store's commit order.
    for (const partition of new Set(published.map((p) => p.partition))) {
      const inPartition = published
        .filter((p) => p.partition === partition)
        .sort((a, b) => a.offset - b.offset);
      const positions = inPartition.map((p) => p.event.globalPosition);
      expect({ context, positions }).toEqual({
        context,
        positions: [...positions].sort((a, b) => a - b),
      });
    }
    const naiveMissed = stored.filter((e) => !naive.seen.includes(e.eventId));
    expect(naiveMissed.length).toBeGreaterThan(0);
  });
});
