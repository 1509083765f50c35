/** Percent (0–100, 2 dp) and minutes (2 dp): the one unit of rates and durations in the API. */
export const pct = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100;

export const minutesOf = (seconds: number | null): number | null =>
  seconds === null ? null : Math.round(seconds / 0.6) / 100;

/** `information_collection` → `Information Collection`; `started` is the documented first stage. */
export const stageName = (stage: string): string =>
  stage === 'started'
    ? 'Session Started'
    : stage
        .split('_')
        .map((w) => (w.length === 0 ? w : `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`))
        .join(' ');
