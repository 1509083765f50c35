/**
 * The one unit of every rate in every analytics and dashboard response: a percentage 0–100 with
 * two decimals (services/analytics/README.md). Changes of a rate are percentage points.
 */
export const pct = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100;

/** A difference of two percentages, in percentage points with two decimals. */
export const points = (a: number, b: number): number => Math.round(100 * (a - b)) / 100;

/** Seconds as minutes with two decimals. */
export const minutes = (seconds: number | null): number | null =>
  seconds === null ? null : Math.round(seconds / 0.6) / 100;
