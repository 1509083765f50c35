import { killAll, startProcess, exited } from '../support/childProcess';
import { createInProcessRelay } from '../support/inProcessRelay';
import { testKafka, waitFor } from '../support/kafkaTopic';
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

const members = async (groupId: string) => {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
};

/**
 * A consumer group of projector PROCESSES on a 12-partition topic: a third joins mid-stream, one
 * is killed with SIGKILL, one stops gracefully, all while events keep arriving. Each rebalance
 * moves partitions between processes; the read model must still equal a fold of the store (no
 * event lost, none applied twice) and the stored offsets must cover every record.
 */
describe('projector group: several processes rebalancing', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  it('projects every event exactly once across joins, a kill -9 and a graceful leave', async () => {
    const { store, topic, relay, close } = await createInProcessRelay(db, 100, 12);
    const sessions = await seedSessions(store, 300);
    await relay.relayOnce('onboarding');
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC: topic,
      PROJECTOR_GROUP_ID: uniqueName('group').replace(/_/g, '-'),
    };
    const start = () => startProcess('services/projector/main.ts', env);
    const p1 = start();
    const p2 = start();
    const output = () => [p1, p2].map((p) => p.output()).join('\n');
    let feeding = true;
    // Sessions keep being written and relayed through every join and leave.
    const feeder = (async () => {
      while (feeding) {
        sessions.push(...(await seedSessions(store, 15)));
        while ((await relay.relayOnce('onboarding')) > 0);
        await sleep(100);
      }
    })();
    await waitFor(async () => (await projected(db).catch(() => 0)) > 400, 60_000, 'progress').catch(
      (e: unknown) => {
        throw new Error(`${String(e)}\n${output()}`);
      },
    );
    const p3 = start();
    await waitFor(async () => (await members(env.PROJECTOR_GROUP_ID)) === 3, 60_000, '3 members');
    p1.kill('SIGKILL');
    await exited(p1);
    const writtenAtKill = sessions.length;
    // The group notices the dead member after CONSUMER_SESSION_TIMEOUT_MS and rebalances.
    await waitFor(async () => (await members(env.PROJECTOR_GROUP_ID)) === 2, 60_000, '2 members');
    p2.kill('SIGTERM');
    const p2Exit = await exited(p2);
    feeding = false;
    await feeder;
    expect({ p2Exit, output: p2Exit === 0 ? '' : p2.output() }).toEqual({ p2Exit: 0, output: '' });
    expect(sessions.length).toBeGreaterThan(writtenAtKill);
    while ((await relay.relayOnce('onboarding')) > 0);
    await close();
    const total = sessions.length * 8;
    await waitFor(async () => (await projected(db)) >= total, 120_000, 'catch-up').catch(
      (e: unknown) => {
        throw new Error(`${String(e)}\n${p3.output()}`);
      },
    );
    p3.kill('SIGTERM');
    await exited(p3);

    expect(await summaryMismatches(db.sql, store, sessions)).toEqual([]);
    const offsets = await db.sql.query<{ partitions: string; n: string }>(
      "SELECT count(*) AS partitions, sum(next_position) AS n FROM waymark.reader_positions WHERE reader = $1 AND starts_with(source, 'kafka/')",
      [env.PROJECTOR_GROUP_ID],
    );
    expect(Number(offsets[0]?.partitions)).toBe(12);
    expect(Number(offsets[0]?.n)).toBe(total);
  });
});
