import { pct, points } from './rates';

/**
 * How cohorts moved from the first to the last: conversion by more than ±5 percentage points
 * (`conversion_change`, in points) is improving or
 * declining, volume by more than ±10 % is growing or shrinking; fewer than two cohorts say nothing.
 */
export const cohortTrends = (cohorts: readonly { total: number; completed: number }[]) => {
  const [first, last] = [cohorts[0], cohorts.at(-1)];
  if (!first || !last || cohorts.length < 2)
    return {
      conversion_trend: 'insufficient_data',
      conversion_change: null,
      volume_trend: 'insufficient_data',
      volume_change_percent: null,
    };
  const rate = (c: { total: number; completed: number }) => pct(c.completed, c.total);
  const conversion = points(rate(last), rate(first));
  const volume = first.total === 0 ? null : (100 * (last.total - first.total)) / first.total;
  return {
    conversion_trend: conversion > 5 ? 'improving' : conversion < -5 ? 'declining' : 'stable',
    conversion_change: conversion,
    volume_trend:
      volume === null
        ? 'insufficient_data'
        : volume > 10
          ? 'growing'
          : volume < -10
            ? 'shrinking'
            : 'stable',
    volume_change_percent: volume === null ? null : Math.round(volume * 100) / 100,
  };
};
