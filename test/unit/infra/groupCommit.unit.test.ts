import { randomUUID } from 'node:crypto';
import {
  createGroupCommit,
  inLockOrder,
  type AppendGroup,
  type GroupOutcome,
} from '../../../infra/eventStore/groupCommit';

const group = (events: number): AppendGroup => ({
  streamName: `s-${randomUUID()}`,
  expectedVersion: 'any',
  events: Array.from({ length: events }, () => ({
    eventId: randomUUID(),
    type: 'E',
    data: {},
    metadata: { correlationId: 'c', tenantId: 't', actor: 'a' },
  })),
});

describe('group commit', () => {
  it('writes the first append at once and batches those that arrive while it is written', async () => {
    const batches: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const write = createGroupCommit(
      async (groups) => {
        batches.push(groups.length);
        if (batches.length === 1) await gate;
        return groups.map((): GroupOutcome => ({ ok: true, version: 0 }));
      },
      { maxEvents: 10 },
    );
    const first = write(group(1));
    const rest = Array.from({ length: 6 }, () => write(group(2)));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([1, 5, 1]);
  });

  it('gives each group its own outcome and fails only the batch whose write failed', async () => {
    let call = 0;
    const write = createGroupCommit(
      (groups) => {
        call += 1;
        if (call === 2) return Promise.reject(new Error('database down'));
        return Promise.resolve(
          groups.map((_, i): GroupOutcome => ({ ok: i % 2 === 0, version: i })),
        );
      },
      { maxEvents: 100 },
    );
    const first = write(group(1));
    const second = write(group(1));
    await expect(first).resolves.toEqual({ ok: true, version: 0 });
    await expect(second).rejects.toThrow('database down');
    await expect(write(group(1))).resolves.toEqual({ ok: true, version: 0 });
  });
});

describe('lock order of a batch', () => {
  it('writes groups in stream-name order (categories in one order) and answers in the caller order', async () => {
    const named = (streamName: string) => ({ ...group(1), streamName });
    const batch = [
      named('usersessions-t/u1'),
      named('onboarding-b'),
      named('onboarding-a'),
      named('usersessions-t/u0'),
      named('onboarding-b'),
    ];
    const written: string[] = [];
    // Each outcome's version names the position the group was written at.
    const run = inLockOrder((groups) => {
      written.push(...groups.map((g) => g.streamName));
      return Promise.resolve(groups.map((_, i) => ({ ok: true, version: i })));
    });
    const outcomes = await run(batch);
    expect(written).toEqual([
      'onboarding-a',
      'onboarding-b',
      'onboarding-b',
      'usersessions-t/u0',
      'usersessions-t/u1',
    ]);
    // The caller's i-th group gets the outcome of where it was written; one stream keeps its order.
    expect(outcomes.map((o) => o.version)).toEqual([4, 1, 0, 3, 2]);
  });
});
