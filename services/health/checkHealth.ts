/** A dependency probe: resolves when healthy. null = that part is not configured ("disabled"). */
export type Probe = (() => Promise<void>) | null;
export type HealthProbes = Readonly<{
  event_store: Probe;
  database: Probe;
  kafka: Probe;
  redis: Probe;
}>;

export type CheckResult = 'pass' | 'fail' | 'disabled';

const withTimeout = async (probe: () => Promise<void>, ms: number): Promise<CheckResult> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('fail'), ms);
  });
  try {
    return await Promise.race([
      probe().then(
        (): CheckResult => 'pass',
        (): CheckResult => 'fail',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

export type HealthDeps = Readonly<{
  probes: HealthProbes;
  /** Read-model lag (events and seconds behind), when projections run. */
  projectionLag?: () => Promise<Record<string, unknown>>;
  timeoutMs?: number;
}>;

/**
 * `pass` when every configured part answers, `degraded` when only optional parts fail, `fail`
 * when the event store is down (nothing can be accepted then).
 */
export const checkHealth = async (deps: HealthDeps) => {
  const names = Object.keys(deps.probes) as (keyof HealthProbes)[];
  const results = await Promise.all(
    names.map(async (name): Promise<[string, CheckResult]> => {
      const probe = deps.probes[name];
      return [
        name,
        probe === null ? 'disabled' : await withTimeout(probe, deps.timeoutMs ?? 2_000),
      ];
    }),
  );
  const checks = Object.fromEntries(results) as Record<keyof HealthProbes, CheckResult>;
  const status =
    checks.event_store === 'fail'
      ? 'fail'
      : results.some(([, r]) => r === 'fail')
        ? 'degraded'
        : 'pass';
  const projections = deps.projectionLag
    ? await deps.projectionLag().catch(() => ({ error: 'unavailable' }))
    : undefined;
  return { status, checks, ...(projections ? { projections } : {}) };
};
