import type { Flow } from '../../events/onboarding/flows';
import type { Principal } from '../../infra/auth/jwt';
import type { Metrics } from '../../infra/observability/metrics';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import type { SessionScope } from '../../projections/sessionSummary/funnelQueries';
import { AppError } from '../shared/appError';
import { requireAdmin, scopeOf } from '../shared/tenantScope';
import type { CachedQuery } from './cachedQuery';

export type AnalyticsDeps = Readonly<{
  sql: SqlClient;
  table: string;
  /** The funnel read model (projections/funnel/). */
  funnelTable: string;
  /** The heatmap read model (projections/heatmap/). */
  dropOffTable: string;
  flows: ReadonlyMap<string, Flow>;
  clock: () => Date;
  cached: CachedQuery;
  metrics: Pick<Metrics, 'analyticsQueryDuration'>;
  /** ANALYTICS_DEFAULT_TIME_RANGE_HOURS: the overview's window when the request names none. */
  defaultTimeRangeHours: number;
  /** Active sessions at high risk or above (count and the top five); absent without risk. */
  atRisk?: (tenantId: string | null) => Promise<{ count: number; top: readonly object[] }>;
}>;

export const day = 86_400_000;
const maxSpanDays = 366;

export type ScopeQuery = Readonly<{
  start_date?: Date | undefined;
  end_date?: Date | undefined;
  client_id?: string | undefined;
  flow_id: string;
  /** Days a default period spans (30; an endpoint's documented default may differ). Not a query parameter. */
  default_days?: number | undefined;
}>;

/** Admin-only, tenant-scoped, with a bounded period: the common part of every analytics query. */
export const scopeFor = (deps: AnalyticsDeps, who: Principal, q: ScopeQuery) => {
  const { tenantId } = scopeOf(requireAdmin(who), q.client_id);
  const flow = deps.flows.get(q.flow_id);
  if (!flow)
    throw new AppError('invalid', 'unknown_flow', 'no flow with that id', {
      fieldErrors: { flow_id: ['unknown flow'] },
    });
  // A default period ends now, to the millisecond: a session started a second ago is in it once
  // projected. Its cache key says `now`, and cachedQuery reuses it only while no projection moved.
  const now = deps.clock();
  const to = q.end_date ?? now;
  const span = q.default_days ?? 30;
  const from = q.start_date ?? new Date(to.getTime() - span * day);
  if (from >= to)
    throw new AppError('invalid', 'invalid_range', 'start_date must be before end_date');
  if (to.getTime() - from.getTime() > maxSpanDays * day)
    throw new AppError(
      'invalid',
      'invalid_range',
      `the period may span at most ${maxSpanDays} days`,
    );
  const scope: SessionScope = {
    table: deps.table,
    tenantId,
    flowId: flow.id,
    from,
    to,
  };
  return {
    scope,
    flow,
    /** The period as the cache key names it: defaults by name, so they share one key. */
    period: [
      q.start_date?.toISOString() ?? `${span}d`,
      q.end_date?.toISOString() ?? 'now',
    ] as const,
    live: q.end_date === undefined,
    time_range: { start_date: from.toISOString(), end_date: to.toISOString() },
  };
};

/** The cache key of a scoped query: endpoint, tenant, flow, period and the extra parameters. */
export const cacheKey = (
  endpoint: string,
  scoped: Readonly<{ scope: SessionScope; period: readonly [string, string] }>,
  ...extra: (string | number)[]
) =>
  [
    'analytics',
    endpoint,
    scoped.scope.tenantId ?? 'all',
    scoped.scope.flowId,
    ...scoped.period,
    ...extra,
  ].join(':');
