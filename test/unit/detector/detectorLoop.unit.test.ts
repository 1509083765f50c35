import { setTimeout as sleep } from 'node:timers/promises';
import { loopPasses } from '../../../services/detector/detectorLoop';

describe('the detector loop', () => {
  it('waits between passes when a full batch makes no progress, instead of spinning', async () => {
    let passes = 0;
    const loop = loopPasses(
      () => ((passes += 1), Promise.resolve({ candidates: 500, abandoned: 0 })),
      { batchSize: 500, intervalMs: 100 },
    );
    await sleep(250);
    await loop.stop();
    expect(passes).toBeGreaterThanOrEqual(2);
    expect(passes).toBeLessThanOrEqual(4);
  });

  it('goes straight on while full batches are abandoned, and stops without waiting out the interval', async () => {
    let passes = 0;
    const loop = loopPasses(
      async () => {
        passes += 1;
        await sleep(1);
        return passes < 20 ? { candidates: 500, abandoned: 500 } : { candidates: 3, abandoned: 3 };
      },
      { batchSize: 500, intervalMs: 60_000 },
    );
    await sleep(200);
    const started = Date.now();
    await loop.stop();
    expect(passes).toBe(20);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
