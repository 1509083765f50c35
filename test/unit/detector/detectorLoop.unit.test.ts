import { loopPasses, type Wait } from '../../../services/detector/detectorLoop';

/**
 * A controllable wait: each call is recorded and stays pending until the test releases it or
 * the loop's stop signal aborts it. No wall clock: the tests step the loop themselves.
 */
const steppedWait = () => {
  const calls: { ms: number; release: () => void; aborted: boolean }[] = [];
  const wait: Wait = (ms, signal) =>
    new Promise<void>((resolve) => {
      const call = { ms, release: resolve, aborted: false };
      calls.push(call);
      signal.addEventListener('abort', () => {
        call.aborted = true;
        resolve();
      });
    });
  return { wait, calls };
};

/** Lets every pending promise callback run (the passes here do no I/O). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the detector loop', () => {
  it('waits the interval between passes when a full batch makes no progress, instead of spinning', async () => {
    let passes = 0;
    const { wait, calls } = steppedWait();
    const loop = loopPasses(
      () => ((passes += 1), Promise.resolve({ candidates: 500, abandoned: 0 })),
      { batchSize: 500, intervalMs: 100 },
      wait,
    );
    await settle();
    expect({ passes, waits: calls.map((c) => c.ms) }).toEqual({ passes: 1, waits: [100] });
    calls[0]?.release();
    await settle();
    expect({ passes, waits: calls.map((c) => c.ms) }).toEqual({ passes: 2, waits: [100, 100] });
    calls[1]?.release();
    await settle();
    expect(passes).toBe(3);
    await loop.stop();
    expect(calls.at(-1)?.aborted).toBe(true);
    expect(passes).toBe(3);
  });

  it('goes straight on while full batches are abandoned, and stop cuts the wait short', async () => {
    let passes = 0;
    const { wait, calls } = steppedWait();
    const loop = loopPasses(
      async () => {
        passes += 1;
        await settle();
        return passes < 20 ? { candidates: 500, abandoned: 500 } : { candidates: 3, abandoned: 3 };
      },
      { batchSize: 500, intervalMs: 60_000 },
      wait,
    );
    // Wait for the condition (the loop's first wait), with a generous bound on the steps.
    for (let i = 0; i < 10_000 && calls.length === 0; i += 1) await settle();
    expect(passes).toBe(20);
    expect(calls.map((c) => c.ms)).toEqual([60_000]);
    // The wait is never released: stop() returning at all shows it aborted the wait.
    await loop.stop();
    expect(calls[0]?.aborted).toBe(true);
    expect(passes).toBe(20);
  });

  it('waits on the real timer by default, and stop still cuts that wait short', async () => {
    let passes = 0;
    const loop = loopPasses(() => ((passes += 1), Promise.resolve(null)), {
      batchSize: 500,
      intervalMs: 3_600_000,
    });
    await settle();
    // An hour's wait: this returns (within the test's timeout) only because stop aborts it.
    await loop.stop();
    expect(passes).toBe(1);
  });
});
