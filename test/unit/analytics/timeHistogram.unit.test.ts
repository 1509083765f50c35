import fc from 'fast-check';
import {
  bucketOf,
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
