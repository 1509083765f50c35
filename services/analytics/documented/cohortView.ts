type Cohort = Readonly<{ cohort: string; sessions: number; completed: number }>;
type CohortBody = Readonly<{
  cohorts: readonly Cohort[];
  best_cohort: Cohort | null | undefined;
  worst_cohort: Cohort | null | undefined;
}>;

const documented = <C extends Cohort>(c: C) => ({
  ...c,
  cohort_id: c.cohort,
  cohort_name: c.cohort,
  total_sessions: c.sessions,
  completed_sessions: c.completed,
  avg_completion_time_minutes: null,
});

/** `analytics/cohort-comparison/` with the documented cohort fields and best/worst names. */
export const cohortView = <B extends CohortBody>(body: B) => ({
  ...body,
  cohorts: body.cohorts.map(documented),
  best_cohort: body.best_cohort ? documented(body.best_cohort) : null,
  worst_cohort: body.worst_cohort ? documented(body.worst_cohort) : null,
  best_performing_cohort: body.best_cohort ? documented(body.best_cohort) : null,
  worst_performing_cohort: body.worst_cohort ? documented(body.worst_cohort) : null,
});
