/**
 * The cohort dimensions the funnel read model keeps rows for, besides the whole flow (key ''):
 * each session's funnel contribution is also added to one row per dimension, under its value
 * ('' when the session has none, e.g. no client). Flow, flow version and start day (so week and
 * month) are key columns of every row already.
 */
export const cohortDimensions = ['client', 'language', 'channel'] as const;
export type CohortDimension = (typeof cohortDimensions)[number];

export type CohortFacts = Readonly<{
  clientId: string | null;
  language: string | null;
  channel: string | null;
}>;

export const cohortValuesOf = (f: CohortFacts): Record<CohortDimension, string> => ({
  client: f.clientId ?? '',
  language: f.language ?? '',
  channel: f.channel ?? '',
});
