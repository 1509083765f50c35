import { killAll, startProcess, exited } from '../support/childProcess';
import { createInProcessRelay } from '../support/inProcessRelay';
import { waitFor } from '../support/kafkaTopic';
import { summaryMismatches } from '../support/readModelCheck';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const projected = async (db: TestDatabase) =>
  Number(
    (
      await db.sql.query<{ n: string }>(
        'SELECT coalesce(sum(last_position + 1), 0) AS n FROM waymark.session_summary_v1',
      )
    )[0]?.n ?? 0,
  );

/** kill -9 of the projector in the middle of its work; restart; the read model must equal a fold of the store. */
describe('projector: Kafka → session summary, effectively once', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  it('projects every stored event exactly once across a kill -9 and a restart', async () => {
    const { store, topic, relay, close } = await createInProcessRelay(db, 100);
    const sessions = await seedSessions(store, 800);
    const total = sessions.length * 8;
    await relay.relayOnce('onboarding');
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC: topic,
      PROJECTOR_GROUP_ID: uniqueName('proj').replace(/_/g, '-'),
    };

    // Events keep arriving while the projector works, so the kill lands mid-stream, not after it.
    const first = startProcess('services/projector/main.ts', env);
    let feeding = true;
    const feeder = (async () => {
      await waitFor(async () => (await projected(db).catch(() => 0)) > 0, 60_000, 'first rows');
      while (feeding && (await relay.relayOnce('onboarding')) > 0) await sleep(40);
    })();
    await waitFor(
      async () => (await projected(db).catch(() => 0)) > 300,
      60_000,
      `first rows\n${first.output()}`,
    );
    first.kill('SIGKILL');
    feeding = false;
    await Promise.all([exited(first), feeder]);
    const before = await projected(db);
    expect(before).toBeLessThan(total);
    while ((await relay.relayOnce('onboarding')) > 0);
    await close();

    const second = startProcess('services/projector/main.ts', env);
    await waitFor(
      async () => (await projected(db)) >= total,
      90_000,
      `catch-up\n${second.output()}`,
    );
    second.kill('SIGTERM');
    await exited(second);
    expect(await summaryMismatches(db.sql, store, sessions)).toEqual([]);
    const offsets = await db.sql.query<{ n: string }>(
      "SELECT sum(next_position) AS n FROM waymark.reader_positions WHERE reader = $1 AND starts_with(source, 'kafka/')",
      [env.PROJECTOR_GROUP_ID],
    );
    expect(Number(offsets[0]?.n)).toBe(total);
  });
});
