import { Router } from 'express';

/** A dependency probe: resolves when healthy. null = that part is not configured ("disabled"). */
export type Probe = (() => Promise<void>) | null;
export type HealthProbes = Readonly<{
  event_store: Probe;
  database: Probe;
  kafka: Probe;
  redis: Probe;
}>;

type CheckResult = 'pass' | 'fail' | 'disabled';

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

/**
 * GET health/: 200 `pass` when every configured part answers, 200 `degraded` when only optional
 * parts fail, 503 `fail` when the event store is down (nothing can be accepted then).
 */
export const createHealthRoutes = (
  probes: HealthProbes,
  projectionLag?: () => Promise<Record<string, unknown>>,
  timeoutMs = 2_000,
): Router => {
  const router = Router();
  router.get('/health/', async (_req, res) => {
    const names = Object.keys(probes) as (keyof HealthProbes)[];
    const results = await Promise.all(
      names.map(async (name): Promise<[string, CheckResult]> => {
        const probe = probes[name];
        return [name, probe === null ? 'disabled' : await withTimeout(probe, timeoutMs)];
      }),
    );
    const checks = Object.fromEntries(results) as Record<keyof HealthProbes, CheckResult>;
    const status =
      checks.event_store === 'fail'
        ? 'fail'
        : results.some(([, r]) => r === 'fail')
          ? 'degraded'
          : 'pass';
    const projections = projectionLag
      ? await projectionLag().catch(() => ({ error: 'unavailable' }))
      : undefined;
    res
      .status(status === 'fail' ? 503 : 200)
      .json({ status, checks, ...(projections ? { projections } : {}) });
  });
  return router;
};
