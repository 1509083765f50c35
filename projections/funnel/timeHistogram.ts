/**
 * A mergeable histogram of durations in seconds with fixed log-spaced buckets: bucket k holds
 * [t0·r^k, t0·r^(k+1)) with t0 = 1 ms and r = 2^(1/16), and zero (or a negative clock skew) has a
 * bucket of its own. Because the buckets are fixed, days merge by adding counts, and a period's
 * percentiles come from the merged counts.
 *
 * Error bound: each value is represented by its bucket's geometric midpoint, at most a factor
 * √r = 2^(1/32) from it, so a percentile (interpolated as PostgreSQL's percentile_cont does,
 * between the representatives of the two ranks) is within `histogramRelativeError` (2.19 %) of
 * the exact percentile_cont over the raw values.
 */
const t0 = 0.001;
const perOctave = 16;
export const histogramRelativeError = 2 ** (1 / (2 * perOctave)) - 1;

/** Sparse counts by bucket key (`z` for zero, else the integer k). */
export type Histogram = Readonly<Record<string, number>>;

export const bucketOf = (seconds: number): string =>
  seconds <= 0 ? 'z' : String(Math.floor(perOctave * Math.log2(seconds / t0)));

const representative = (key: string): number =>
  key === 'z' ? 0 : t0 * 2 ** ((Number(key) + 0.5) / perOctave);

/** Merges histograms by adding counts (all keys are comparable: the buckets are fixed). */
export const mergeHistograms = (parts: readonly Histogram[]): Histogram => {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [k, n] of Object.entries(part)) out[k] = (out[k] ?? 0) + n;
  return out;
};

const sortedBuckets = (h: Histogram) =>
  Object.entries(h)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => ({ value: representative(k), n }))
    .sort((a, b) => a.value - b.value);

export const histogramCount = (h: Histogram): number =>
  Object.values(h).reduce((sum, n) => sum + Math.max(0, n), 0);

/** The representative of the value of 0-based rank `rank` in the sorted sample. */
const valueAtRank = (buckets: ReturnType<typeof sortedBuckets>, rank: number): number => {
  let seen = 0;
  for (const b of buckets) {
    seen += b.n;
    if (rank < seen) return b.value;
  }
  return buckets.at(-1)?.value ?? 0;
};

/** percentile_cont(p) over the histogram: null when empty. */
export const histogramPercentile = (h: Histogram, p: number): number | null => {
  const buckets = sortedBuckets(h);
  const n = buckets.reduce((sum, b) => sum + b.n, 0);
  if (n === 0) return null;
  const position = p * (n - 1);
  const lower = Math.floor(position);
  const low = valueAtRank(buckets, lower);
  if (position === lower) return low;
  return low + (position - lower) * (valueAtRank(buckets, lower + 1) - low);
};

/** How many values lie in buckets whose representative is above `threshold` (Mood's test). */
export const histogramAbove = (h: Histogram, threshold: number): number =>
  sortedBuckets(h)
    .filter((b) => b.value > threshold)
    .reduce((sum, b) => sum + b.n, 0);
