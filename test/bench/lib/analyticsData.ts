import { fold } from '../../../events/onboarding/state';
import type { SqlClient } from '../../../infra/postgres/sqlClient';
import {
  funnelContribution,
  sumCounts,
  type FunnelCounts,
} from '../../../projections/funnel/funnelCounts';
import { rowsOf } from '../../../projections/funnel/funnelProjection';
import {
  addToDays,
  keyText,
  liveFunnelTable,
  type FunnelKey,
} from '../../../projections/funnel/funnelTable';
import { sessionFunnelFacts } from '../../../projections/sessionSummary/funnelQueries';
import { liveSessionSummaryTable } from '../../../projections/sessionSummary/sessionSummaryTable';
import { sessionStarted } from '../../support/builders/onboarding';

/** A complete folded state to start each row's from (scoring reads it; analytics do not). */
const templateState = JSON.stringify(fold([sessionStarted()]));

/**
 * Fills the session-summary read model with `sessions` generated sessions (default flow) over
 * `tenants` tenants and the last 60 days: outcomes, furthest steps, per-step reach times, errors.
 * About 10 step events per session stand behind each row (entered, completed, questions, errors).
 */
export const fillReadModel = async (sql: SqlClient, sessions: number, tenants: number) => {
  const chunk = 100_000;
  for (let start = 1; start <= sessions; start += chunk) {
    const end = Math.min(sessions, start + chunk - 1);
    await sql.query(
      `INSERT INTO waymark.session_summary_v1
         (session_id, last_position, tenant_id, user_id, flow_id, flow_version, status, current_step,
          current_step_index, furthest_step_index, furthest_step_reached_at, started_at, last_activity_at,
          ended_at, errors, question_repeats, upload_rejections, rate_limit_hits, checkpoints, resumes,
          language, channel, user_type, client_id, state, stages)
       SELECT 'bench-' || g, 10, 't' || (g % $3), 'u' || g, 'default', 1, st, NULL, NULL, fur,
              t0 + (fur + 1) * interval '7 minutes', t0, t0 + (fur + 2) * interval '7 minutes',
              CASE WHEN st = 'active' THEN NULL ELSE t0 + (fur + 2) * interval '7 minutes' END,
              err, 0, 0, 0, 0, 0, (ARRAY['en','nl','de'])[1 + g % 3], (ARRAY['web','ios','android'])[1 + g % 3],
              'standard', NULL,
              $4::jsonb || jsonb_build_object('sessionId', 'bench-' || g, 'tenantId', 't' || (g % $3),
                'userId', 'u' || g, 'status', st, 'startedAt', t0,
                'lastActivityAt', t0 + (fur + 2) * interval '7 minutes', 'errorCount', err),
              jsonb_build_object(
                'reachedAt', jsonb_build_array(
                  CASE WHEN fur >= 0 THEN to_jsonb(t0 + interval '1 minute' * (1 + g % 5)) ELSE 'null'::jsonb END,
                  CASE WHEN fur >= 1 THEN to_jsonb(t0 + interval '1 minute' * (9 + g % 11)) ELSE 'null'::jsonb END,
                  CASE WHEN fur >= 2 THEN to_jsonb(t0 + interval '1 minute' * (25 + g % 17)) ELSE 'null'::jsonb END),
                'errors', jsonb_build_array(err, 0, 0),
                'uploadRejections', jsonb_build_array(0, 0, 0))
         FROM (SELECT g, now() - interval '60 days' * random() AS t0,
                      (g::bigint * 7919 % 4)::int - 1 AS fur, (g % 7 = 0)::int AS err,
                      (ARRAY['completed','cancelled','abandoned','active'])[1 + (g::bigint * 31 % 4)::int] AS st0
                 FROM generate_series($1::int, $2::int) AS g) x
        CROSS JOIN LATERAL (SELECT CASE WHEN st0 = 'completed' AND fur < 2 THEN 'cancelled' ELSE st0 END AS st) y`,
      [start, end, tenants, templateState],
    );
  }
  await sql.query('ANALYZE waymark.session_summary_v1');
};

/**
 * Builds the funnel read model from the summaries `fillReadModel` wrote (that bypasses the
 * projector): per tenant, every session's contribution summed per day, as the projector would.
 */
export const fillFunnelReadModel = async (sql: SqlClient, tenants: number) => {
  for (let t = 0; t < tenants; t += 1) {
    const tenantId = `t${t}`;
    const facts = await sessionFunnelFacts(sql, {
      table: liveSessionSummaryTable,
      tenantId,
      flowId: 'default',
      from: new Date(0),
      to: new Date(Date.now() + 86_400_000),
    });
    const byRow = new Map<string, { key: FunnelKey; parts: FunnelCounts[] }>();
    for (const f of facts) {
      const counts = funnelContribution(f);
      for (const key of rowsOf({ tenantId, flowId: 'default', flowVersion: 1 }, f)) {
        const row = byRow.get(keyText(key)) ?? { key, parts: [] };
        row.parts.push(counts);
        byRow.set(keyText(key), row);
      }
    }
    const deltas = new Map(
      [...byRow].map(([id, { key, parts }]) => [id, { key, counts: sumCounts(parts) }]),
    );
    await addToDays(sql, liveFunnelTable, deltas);
  }
  await sql.query('ANALYZE waymark.funnel_daily_v1');
};

/**
 * Fills the heatmap read model from the generated summaries (their dropped sessions per start
 * day, hour of last activity and furthest step), as the projector would have left it.
 */
export const fillDropOffReadModel = async (sql: SqlClient) => {
  await sql.query(
    `INSERT INTO waymark.dropoff_hourly_v1 (tenant_id, flow_id, start_day, hour, stage, sessions)
     SELECT tenant_id, flow_id, (started_at AT TIME ZONE 'UTC')::date,
            date_trunc('hour', last_activity_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
            furthest_step_index, count(*)
       FROM ${liveSessionSummaryTable}
      WHERE status IN ('cancelled', 'abandoned')
      GROUP BY 1, 2, 3, 4, 5`,
  );
  await sql.query('ANALYZE waymark.dropoff_hourly_v1');
};
