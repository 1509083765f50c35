import { minutesOf, pct } from './units';

type RealtimeBody = Readonly<{
  started_sessions: number;
  completed_sessions: number;
  sessions_by_stage: readonly Readonly<{ stage: string; count: number }>[];
  recent_errors: number;
  at_risk_sessions: number | null;
  at_risk_top: readonly object[];
}>;
type ErrorSession = Readonly<{
  sessionId: string;
  lastActivityAt: string;
  stage: string | null;
  errors: number;
}>;

/**
 * `analytics/realtime/` as documented: `at_risk_sessions`, `recent_errors` and
 * `sessions_by_stage` in their documented types; Waymark's counts and list move beside them.
 */
export const realtimeView = <B extends RealtimeBody>(
  body: B,
  extra: Readonly<{ avgCompletionSeconds: number | null; errorSessions: readonly ErrorSession[] }>,
) => ({
  ...body,
  sessions_started_last_hour: body.started_sessions,
  sessions_completed_last_hour: body.completed_sessions,
  current_conversion_rate: pct(body.completed_sessions, body.started_sessions),
  avg_session_duration_minutes: minutesOf(extra.avgCompletionSeconds),
  sessions_by_stage: Object.fromEntries(body.sessions_by_stage.map((s) => [s.stage, s.count])),
  sessions_by_stage_list: body.sessions_by_stage,
  recent_errors: extra.errorSessions.map((e) => ({
    timestamp: e.lastActivityAt,
    session_id: e.sessionId,
    error_type: null,
    stage: e.stage,
    error_count: e.errors,
  })),
  recent_errors_count: body.recent_errors,
  at_risk_sessions: body.at_risk_top,
  at_risk_count: body.at_risk_sessions,
  cache_ttl: 0,
});
