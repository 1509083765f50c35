import type { Principal } from '../../../infra/auth/jwt';
import { funnelTotals, type Totals } from '../../../projections/sessionSummary/funnelQueries';
import { scopeFor, type AnalyticsDeps } from '../scope';
import { twoProportionZTest } from '../statistics';
import { minutesOf, pct } from './units';

export type PeriodRange = Readonly<{ start: Date; end: Date }>;

const period = (label: string, range: PeriodRange, t: Totals) => ({
  label,
  start: range.start.toISOString(),
  end: range.end.toISOString(),
  total_sessions: t.total,
  completed_sessions: t.completed,
  conversion_rate: pct(t.completed, t.total),
  avg_completion_time_minutes: minutesOf(t.avgSeconds),
});

const relative = (now: number, before: number) =>
  before === 0 ? null : Math.round((10_000 * (now - before)) / before) / 100;

/**
 * The documented period comparison (seed-spec #12): two explicit periods, their totals, the
 * changes (period1 minus period2; rates in points, relative changes in percent) and a pooled
 * two-sided two-proportion z-test of the conversion rates at 95 %.
 */
export const periodComparison = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: Readonly<{
    period1: PeriodRange;
    period2: PeriodRange;
    client_id?: string | undefined;
    flow_id: string;
  }>,
) => {
  const scope = (r: PeriodRange) =>
    scopeFor(deps, who, {
      client_id: q.client_id,
      flow_id: q.flow_id,
      start_date: r.start,
      end_date: r.end,
    });
  const [one, two] = [scope(q.period1), scope(q.period2)];
  const [a, b] = await Promise.all([
    funnelTotals(deps.sql, one.scope),
    funnelTotals(deps.sql, two.scope),
  ]);
  const p1 = period('period1', q.period1, a);
  const p2 = period('period2', q.period2, b);
  const test = twoProportionZTest(a.completed, a.total, b.completed, b.total);
  const change = Math.round((p1.conversion_rate - p2.conversion_rate) * 100) / 100;
  const significant = test.pValue !== null && test.pValue < 0.05;
  return {
    period1: p1,
    period2: p2,
    comparison: {
      conversion_rate_change: change,
      conversion_rate_change_percent: relative(p1.conversion_rate, p2.conversion_rate),
      completion_time_change_minutes:
        p1.avg_completion_time_minutes === null || p2.avg_completion_time_minutes === null
          ? null
          : Math.round((p1.avg_completion_time_minutes - p2.avg_completion_time_minutes) * 100) /
            100,
      sessions_change: a.total - b.total,
      sessions_change_percent: relative(a.total, b.total),
    },
    documented_trend:
      change === 0 || !significant ? 'stable' : change > 0 ? 'improving' : 'declining',
    statistical_significance: {
      test: 'two-proportion z-test (pooled, two-sided)',
      z: test.z,
      p_value: test.pValue,
      is_significant: significant,
      confidence_level: 0.95,
    },
    flow_id: one.flow.id,
  };
};
