import { randomUUID } from 'node:crypto';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { campaign } from '../../infra/lifecycle/leadership';
import { createLogger } from '../../infra/observability/logger';
import { fencedSqlClient } from '../../infra/postgres/fencedSqlClient';
import { assertLeaseHeld, LeaseLostError, listLeases } from '../../infra/postgres/leaderLease';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { createFencedCategoryCheckpoints, readPosition } from '../../infra/postgres/positions';
import { waitFor } from '../support/kafkaTopic';
import { toNewEvents, sessionHistory } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The lease itself, in one process with two campaigns: one leader at a time, a takeover bumps
 * the fencing token, and writes fenced by a lost lease (a relay checkpoint, a detector append)
 * do not land.
 */
describe('leader lease', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());
  const logger = createLogger('silent');
  const settings = { ttlMs: 3_000, renewMs: 500 };
  /** `a`'s lease traffic (not its writes) can be cut off, as by a partition. */
  let partitioned = false;
  const cutOff = (): SqlExecutor => ({
    query: (text, params) =>
      partitioned ? Promise.reject(new Error('partitioned')) : db.sql.query(text, params),
  });

  it('elects one holder; a deposed holder can neither checkpoint nor append', async () => {
    const name = `relay:${randomUUID()}:onboarding`;
    const a = campaign({ sql: cutOff(), name, holder: 'a', settings, logger });
    await waitFor(async () => Promise.resolve(a.isLeader()), 5_000, 'a to lead');
    const b = campaign({ sql: db.sql, name, holder: 'b', settings, logger });
    await new Promise((r) => setTimeout(r, 1_000));
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    const tokenA = a.token();

    const checkpointsA = createFencedCategoryCheckpoints(db.sql, 'relay:x', (_c, tx) =>
      a.assertHeld(tx),
    );
    await checkpointsA.save('onboarding', 10);
    const store = createMessageDbEventStore({
      sql: fencedSqlClient(db.sql, a.assertHeld),
      groupCommit: false,
    });
    const id = randomUUID();
    const [first, ...rest] = toNewEvents(sessionHistory(id, 1));
    if (first === undefined) throw new Error('no history');
    await store.appendToStream(`onboarding-${id}`, [first], { expectedVersion: -1 });

    // `a` is cut off and the database expires its lease at once (as if the cut had lasted past the
    // expiry); `a` believes it leads until its local deadline, which is what the fence is for.
    partitioned = true;
    await db.sql.query(
      "UPDATE waymark.leader_leases SET expires_at = now() - interval '1 second' WHERE name = $1",
      [name],
    );
    await waitFor(async () => Promise.resolve(b.isLeader()), 5_000, 'b to take over');
    expect(b.token()).toBe((tokenA ?? 0) + 1);
    await expect(
      db.sql.transaction((tx) => assertLeaseHeld(tx, { name, holder: 'a' }, tokenA ?? 0, 1_000)),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(checkpointsA.save('onboarding', 99)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await readPosition(db.sql, 'relay:x', 'category/onboarding', 1)).toBe(10);
    await expect(
      store.appendToStream(`onboarding-${id}`, rest, { expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    const unfenced = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    expect((await unfenced.readStream(`onboarding-${id}`)).version).toBe(0);

    // `a` is back, notices at its next renewal and stands by; a clean stop hands the lease over.
    partitioned = false;
    await waitFor(async () => Promise.resolve(!a.isLeader()), 5_000, 'a to stand by');
    await b.stop();
    await waitFor(async () => Promise.resolve(a.isLeader()), 5_000, 'a to lead again');
    expect((await listLeases(db.sql)).find((l) => l.name === name)).toMatchObject({
      holder: 'a',
      token: (tokenA ?? 0) + 2,
      valid: true,
    });
    await a.stop();
    expect((await listLeases(db.sql)).find((l) => l.name === name)?.valid).toBe(false);
  });
});
