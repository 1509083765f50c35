import fc from 'fast-check';
import {
  bucketOf,
  histogramAbove,
  histogramPercentile,
  histogramRelativeError,
  mergeHistograms,
  type Histogram,
} from '../../../projections/funnel/timeHistogram';

const histogramOf = (values: readonly number[]): Histogram =>
  mergeHistograms(values.map((v) => ({ [bucketOf(v)]: 1 })));

/** PostgreSQL's percentile_cont over the raw values. */
const percentileCont = (values: readonly number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const low = sorted[lower] ?? 0;
  return low + (position - lower) * ((sorted[Math.ceil(position)] ?? low) - low);
};

describe('time histogram', () => {
  it('states its bucket error bound: 2^(1/32) − 1, about 2.19 %', () => {
    expect(histogramRelativeError).toBeCloseTo(0.0219, 5);
  });

  it('keeps zero and a negative clock skew in the bucket of their own, `z` (a stored key)', () => {
    expect([0, -0.5].map(bucketOf)).toEqual(['z', 'z']);
    // 1 ms is the first bucket: 16 · log2(1) = 0.
    expect(bucketOf(0.001)).toBe('0');
  });

  it('reads a negative count (a row caught between old and new contribution) as none', () => {
    // Buckets 0 and 32 stand for 1 ms · 2^(0.5/16) and 1 ms · 2^(32.5/16); −1 in bucket 16 is
    // skipped: the median is halfway between the two others, and one value lies above 2 ms.
    const h = { '0': 1, '16': -1, '32': 1 };
    const [b0, b32] = [0.001 * 2 ** (0.5 / 16), 0.001 * 2 ** (32.5 / 16)];
    expect(histogramPercentile(h, 0.5)).toBeCloseTo((b0 + b32) / 2, 12);
    expect(histogramAbove(h, 0.002)).toBe(1);
  });

  it('answers zero exactly, and nothing for an empty histogram', () => {
    expect(histogramPercentile(histogramOf([0, 0, 0]), 0.5)).toBe(0);
    expect(histogramPercentile({}, 0.5)).toBeNull();
  });

  it('a single value of 60 s is answered by its bucket midpoint, within the bound', () => {
    const median = histogramPercentile(histogramOf([60]), 0.5) ?? NaN;
    expect(Math.abs(median - 60)).toBeLessThanOrEqual(60 * histogramRelativeError);
    expect(median).not.toBe(60);
  });

  it('merging days equals one histogram of every value', () => {
    const a = [1, 2, 3, 500];
    const b = [7, 7, 90_000];
    expect(mergeHistograms([histogramOf(a), histogramOf(b)])).toEqual(histogramOf([...a, ...b]));
  });

  it('median and p90 of merged parts are within the bound of percentile_cont over the values', () => {
    const seconds = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 10_000_000 }).map((ms) => ms / 1000),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(seconds, { maxLength: 30 }), { minLength: 1, maxLength: 5 }),
        (days) => {
          const merged = mergeHistograms(days.map(histogramOf));
          const values = days.flat();
          for (const p of [0.5, 0.9]) {
            const exact = percentileCont(values, p);
            const estimate = histogramPercentile(merged, p);
            if (exact === null) expect(estimate).toBeNull();
            else
              expect(Math.abs((estimate ?? NaN) - exact)).toBeLessThanOrEqual(
                histogramRelativeError * exact + 1e-9,
              );
          }
        },
      ),
    );
  });
});
