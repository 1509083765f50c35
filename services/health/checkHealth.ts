import { workerNames, type WorkerName } from './heartbeat';

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

export type Heartbeats = ReadonlyMap<string, Readonly<{ beatAt: string; ageSeconds: number }>>;

/** The workers this deployment runs, how to read their heartbeats and when one is stale. */
export type WorkerWatch = Readonly<{
  expected: readonly WorkerName[];
  staleAfterSeconds: number;
  read: () => Promise<Heartbeats>;
}>;

export type HealthDeps = Readonly<{
  probes: HealthProbes;
  /** Read-model lag (events and seconds behind), when projections run. */
  projectionLag?: () => Promise<Record<string, unknown>>;
  /** The rate limiter's Redis breaker: open means critical actions are refused (503). */
  breakerState?: () => 'closed' | 'open' | 'half-open';
  workers?: WorkerWatch;
  timeoutMs?: number;
}>;

type WorkerDetail = { last_heartbeat_at: string | null; age_seconds: number | null };

const workerCheck = (watch: WorkerWatch | undefined, beats: Heartbeats, worker: WorkerName) => {
  if (!(watch?.expected.includes(worker) ?? false)) return null;
  const beat = beats.get(worker);
  const fresh = beat !== undefined && beat.ageSeconds <= (watch?.staleAfterSeconds ?? 0);
  const detail: WorkerDetail = {
    last_heartbeat_at: beat?.beatAt ?? null,
    age_seconds: beat === undefined ? null : Math.round(beat.ageSeconds * 10) / 10,
  };
  return { result: (fresh ? 'pass' : 'fail') as CheckResult, detail };
};

const workerChecks = async (watch: WorkerWatch | undefined) => {
  const beats: Heartbeats = watch && watch.expected.length > 0 ? await watch.read() : new Map();
  const detail: Record<string, WorkerDetail> = {};
  const checks: Record<string, CheckResult> = {};
  for (const worker of workerNames) {
    const c = workerCheck(watch, beats, worker);
    checks[`${worker}_worker`] = c?.result ?? 'disabled';
    if (c !== null) detail[worker] = c.detail;
  }
  const results = Object.values(checks).filter((c) => c !== 'disabled');
  // The documented `celery_workers` check: Waymark's background workers taken together.
  checks.celery_workers =
    results.length === 0 ? 'disabled' : results.includes('fail') ? 'fail' : 'pass';
  return { checks, detail };
};

/** The heartbeats cannot be read (database down): the workers cannot be vouched for. */
const unreadableHeartbeats = () => {
  const checks: Record<string, CheckResult> = { celery_workers: 'fail' };
  return { checks, detail: {} };
};

/**
 * The documented health: `healthy` when every configured part answers, `degraded` when some
 * part fails but writes are still accepted (Kafka, Redis, a stale worker, the breaker open),
 * `unhealthy` (503) only when the event store is down: then nothing can be accepted.
 */
export const checkHealth = async (deps: HealthDeps) => {
  const names = Object.keys(deps.probes) as (keyof HealthProbes)[];
  const [results, workers] = await Promise.all([
    Promise.all(
      names.map(async (name): Promise<[string, CheckResult]> => {
        const probe = deps.probes[name];
        return [
          name,
          probe === null ? 'disabled' : await withTimeout(probe, deps.timeoutMs ?? 2_000),
        ];
      }),
    ),
    workerChecks(deps.workers).catch(unreadableHeartbeats),
  ]);
  const breaker = deps.breakerState?.() ?? null;
  const checks: Record<string, CheckResult> = {
    ...Object.fromEntries(results),
    rate_limiter: breaker === null ? 'disabled' : breaker === 'open' ? 'fail' : 'pass',
    ...workers.checks,
  };
  const status =
    checks.event_store === 'fail'
      ? 'unhealthy'
      : Object.values(checks).includes('fail')
        ? 'degraded'
        : 'healthy';
  const projections = deps.projectionLag
    ? await deps.projectionLag().catch(() => ({ error: 'unavailable' }))
    : undefined;
  return {
    status,
    checks,
    rate_limiter_breaker: breaker,
    workers: workers.detail,
    timestamp: new Date().toISOString(),
    ...(projections ? { projections } : {}),
  };
};

/** `health/quick/`: liveness only (no dependency is asked), as the seed documents it. */
export const quickHealth = () => ({
  status: 'healthy',
  message: 'the API process is up',
  feature_enabled: true,
  timestamp: new Date().toISOString(),
});
