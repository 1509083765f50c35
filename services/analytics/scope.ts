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
  flows: ReadonlyMap<string, Flow>;
  clock: () => Date;
  inactiveMinutes: number;
  cached: CachedQuery;
  metrics: Pick<Metrics, 'analyticsQueryDuration'>;
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
}>;

/** Admin-only, tenant-scoped, with a bounded period: the common part of every analytics query. */
export const scopeFor = (deps: AnalyticsDeps, who: Principal, q: ScopeQuery) => {
  const { tenantId } = scopeOf(requireAdmin(who), q.client_id);
  const flow = deps.flows.get(q.flow_id);
  if (!flow)
    throw new AppError('invalid', 'unknown_flow', 'no flow with that id', {
      fieldErrors: { flow_id: ['unknown flow'] },
    });
  // Whole minutes, so a default period maps to one cache key for a minute.
  const now = new Date(Math.floor(deps.clock().getTime() / 60_000) * 60_000);
  const to = q.end_date ?? now;
  const from = q.start_date ?? new Date(to.getTime() - 30 * day);
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
    inactiveBefore: new Date(now.getTime() - deps.inactiveMinutes * 60_000),
  };
  return {
    scope,
    flow,
    time_range: { start_date: from.toISOString(), end_date: to.toISOString() },
  };
};

/** The cache key of a scoped query: endpoint, tenant, flow, period and the extra parameters. */
export const cacheKey = (endpoint: string, scope: SessionScope, ...extra: (string | number)[]) =>
  [
    'analytics',
    endpoint,
    scope.tenantId ?? 'all',
    scope.flowId,
    scope.from.toISOString(),
    scope.to.toISOString(),
    ...extra,
  ].join(':');
