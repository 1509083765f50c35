/**
 * The window of a report whose request names no `time_range_hours`: the seed's
 * ANALYTICS_DEFAULT_TIME_RANGE_HOURS is a deployment setting, so the query schemas leave the
 * parameter optional (their description says so) and the use case fills it from the config.
 */
export const defaultTimeRangeNote =
  'absent → ANALYTICS_DEFAULT_TIME_RANGE_HOURS (24 unless the deployment configures another)';
