import {
  addCounts,
  funnelContribution,
  sumCounts,
  timeInStep,
  type FunnelFacts,
} from '../../../projections/funnel/funnelCounts';

/**
 * One session's contribution to the funnel read model. Expected maps are written out by hand;
 * histogram buckets are floor(16 · log2(seconds / 1 ms)): 10 s → 212, 30 s → 237, 50 s → 249,
 * 100 s → 265 (worked out with a calculator, not with bucketOf).
 */
const at = (s: number) => new Date(Date.parse('2026-01-05T10:00:00.000Z') + s * 1000).toISOString();

const facts = (overrides: Partial<FunnelFacts>): FunnelFacts => ({
  clientId: null,
  language: 'en',
  channel: 'web',
  status: 'active',
  startedAt: at(0),
  endedAt: null,
  furthestStepIndex: -1,
  stages: {
    reachedAt: [null, null, null],
    errors: [0, 0, 0],
    uploadRejections: [0, 0, 0],
    rateLimitHits: [0, 0, 0],
  },
  ...overrides,
});

const completed = facts({
  status: 'completed',
  endedAt: at(100),
  furthestStepIndex: 2,
  stages: {
    reachedAt: [at(10), at(40), at(90)],
    errors: [1, 0, 0],
    uploadRejections: [0, 2, 0],
    rateLimitHits: [0, 0, 0],
  },
});

const abandoned = facts({
  status: 'abandoned',
  endedAt: at(200),
  furthestStepIndex: 1,
  stages: {
    reachedAt: [at(10), at(40), null],
    errors: [0, 1, 1],
    uploadRejections: [0, 0, 0],
    rateLimitHits: [0, 3, 0],
  },
});

describe('funnel contribution of one session', () => {
  it('a completed session: totals, completion time, every step reached with its trouble', () => {
    expect(funnelContribution(completed)).toEqual({
      started: 1,
      completed: 1,
      completion_ms: 100_000,
      'ct.265': 1,
      // completed sessions are not in reached_nc (added at query time)
      'errors.0': 1,
      'reached_err.0': 1,
      'rejects.1': 2,
      'reached_rej.1': 1,
      // time in step: 10→40 s, 40→90 s, 90 s→end at 100 s
      't.0.237': 1,
      't.1.249': 1,
      't.2.212': 1,
    });
  });

  it('an abandoned session: reached up to its furthest step, dropped there', () => {
    expect(funnelContribution(abandoned)).toEqual({
      started: 1,
      abandoned: 1,
      'reached_nc.0': 1,
      'reached_nc.1': 1,
      'dropped.1': 1,
      'errors.1': 1,
      'dropped_err.1': 1,
      'reached_err.1': 1,
      'limited.1': 3,
      'dropped_lim.1': 1,
      'reached_lim.1': 1,
      // an error in a step it never reached counts as an error, not as a reach
      'errors.2': 1,
      't.0.237': 1,
      // step 1 has no end: the session did not complete
    });
  });

  it('a cancelled session is dropped at its furthest step, as an abandoned one', () => {
    // The map pinned above with `cancelled` for `abandoned` (toEqual skips the undefined key).
    const cancelled = funnelContribution({ ...abandoned, status: 'cancelled' });
    expect(cancelled).toEqual({
      ...funnelContribution(abandoned),
      abandoned: undefined,
      cancelled: 1,
    });
    expect(cancelled['dropped.1']).toBe(1);
  });

  it('a running session in its first step', () => {
    expect(
      funnelContribution(
        facts({
          furthestStepIndex: 0,
          stages: {
            reachedAt: [at(5), null, null],
            errors: [0, 0, 0],
            uploadRejections: [0, 0, 0],
            rateLimitHits: [0, 0, 0],
          },
        }),
      ),
    ).toEqual({ started: 1, in_progress: 1, 'reached_nc.0': 1, 'running.0': 1 });
  });

  it('before any step: running or dropped at the start', () => {
    expect(funnelContribution(facts({}))).toEqual({
      started: 1,
      in_progress: 1,
      running_start: 1,
    });
    expect(funnelContribution(facts({ status: 'cancelled', endedAt: at(5) }))).toEqual({
      started: 1,
      cancelled: 1,
      dropped_start: 1,
    });
  });

  it('a completed session with no step is not dropped at the start; no end time, no duration', () => {
    expect(
      funnelContribution(
        facts({
          status: 'completed',
          endedAt: at(0.5),
          stages: { reachedAt: [], errors: [], uploadRejections: [], rateLimitHits: [] },
        }),
      ),
    ).toEqual({ started: 1, completed: 1, completion_ms: 500, 'ct.143': 1 });
    expect(
      funnelContribution(
        facts({
          status: 'completed',
          endedAt: null,
          stages: { reachedAt: [], errors: [], uploadRejections: [], rateLimitHits: [] },
        }),
      ),
    ).toEqual({ started: 1, completed: 1 });
  });
});

describe('time in step', () => {
  it('runs to the next step reached later, or to the completion', () => {
    expect(timeInStep(completed, 0)).toBe(30);
    expect(timeInStep(completed, 1)).toBe(50);
    expect(timeInStep(completed, 2)).toBe(10);
  });

  it('ignores later steps reached before it (a re-entered step), and takes the earliest after', () => {
    const f = facts({
      status: 'completed',
      endedAt: at(300),
      furthestStepIndex: 2,
      stages: { ...completed.stages, reachedAt: [at(50), at(20), at(80)] },
    });
    expect(timeInStep(f, 0)).toBe(30);
    const g = facts({
      stages: { ...completed.stages, reachedAt: [at(10), at(90), at(40)] },
    });
    expect(timeInStep(g, 0)).toBe(30);
    // Step 1 (reached at 20) ends at step 2 (80), not at step 0, reached later (50) but lower.
    expect(timeInStep(f, 1)).toBe(60);
  });

  it('is unknown for an unreached step, a step out of range, or an unfinished last step', () => {
    expect(timeInStep(abandoned, 2)).toBeNull();
    expect(timeInStep(abandoned, 1)).toBeNull();
    expect(timeInStep(abandoned, 7)).toBeNull();
    expect(timeInStep({ ...completed, endedAt: null }, 2)).toBeNull();
    // A completed session's skipped step, and a step out of its range, have no time either.
    const skipped = {
      ...completed,
      stages: { ...completed.stages, reachedAt: [at(10), null, at(90)] },
    };
    expect(timeInStep(skipped, 1)).toBeNull();
    expect(timeInStep(skipped, 0)).toBe(80);
    expect(timeInStep(completed, 3)).toBeNull();
  });
});

describe('adding count maps', () => {
  it('adds and subtracts, dropping entries that reach zero', () => {
    expect(addCounts({ a: 1, b: 2 }, { b: -2, c: 3 })).toEqual({ a: 1, c: 3 });
    expect(addCounts({ a: 1, b: 2 }, { a: 1 }, -1)).toEqual({ b: 2 });
    expect(addCounts({ a: 1 }, { b: 2 }, -1)).toEqual({ a: 1, b: -2 });
    expect(addCounts({}, { a: 4 })).toEqual({ a: 4 });
  });

  it('sums many maps', () => {
    expect(sumCounts([{ a: 1 }, { a: 2, b: 1 }, {}])).toEqual({ a: 3, b: 1 });
    expect(sumCounts([])).toEqual({});
  });
});
