import type { SessionStatus } from '../../events/onboarding/state';
import type { StageStats } from '../sessionSummary/stageStats';
import type { CohortFacts } from './cohortKeys';
import { bucketOf } from './timeHistogram';

/**
 * What one session contributes to the funnel read model, as sparse counts by key; a day's row is
 * the sum of its sessions' contributions, and a session that moves on replaces its old
 * contribution by its new one (the projection adds new − old). Counts are integers (durations in
 * milliseconds), so adding and subtracting is exact and a live row equals a rebuilt one.
 *
 * Keys (i a step index, b a histogram bucket of `timeHistogram.ts`): `started`, `completed`,
 * `cancelled`, `abandoned`, `in_progress`; `completion_ms` (sum) and `ct.b` (histogram) of the
 * completion time; `dropped_start` / `running_start` (ended / running before any step);
 * `reached_nc.i` (not completed, furthest step ≥ i: a completed session reaches every step of
 * whatever flow version is asked for, so it is added at query time), `dropped.i` / `running.i`
 * (ended / running with i as furthest step), `errors.i`, `rejects.i`, `limited.i` (sums in the
 * step), `dropped_err.i`, `reached_err.i`, and the same for `rej` and `lim` (the odds ratios of
 * the recommendations), and `t.i.b`, the time-in-step histogram.
 */
export type FunnelCounts = Readonly<Record<string, number>>;

/** What the contribution depends on: the session summary's columns (and its cohort values). */
export type FunnelFacts = CohortFacts &
  Readonly<{
    status: SessionStatus;
    startedAt: string;
    endedAt: string | null;
    furthestStepIndex: number;
    stages: StageStats;
  }>;

const ms = (iso: string) => Date.parse(iso);

/** Time in step i in seconds (services/analytics/README.md, "Definitions"), or null. */
export const timeInStep = (facts: FunnelFacts, i: number): number | null => {
  const reached = facts.stages.reachedAt[i];
  if (reached === null || reached === undefined) return null;
  const from = ms(reached);
  const later = facts.stages.reachedAt
    .slice(i + 1)
    .filter((v): v is string => v !== null && ms(v) > from)
    .map(ms);
  const until =
    later.length > 0
      ? Math.min(...later)
      : facts.status === 'completed' && facts.endedAt !== null
        ? ms(facts.endedAt)
        : null;
  return until === null ? null : (until - from) / 1000;
};

type Adder = (key: string, n?: number) => void;

const troubles = [
  ['err', 'errors', (s: StageStats) => s.errors],
  ['rej', 'rejects', (s: StageStats) => s.uploadRejections],
  ['lim', 'limited', (s: StageStats) => s.rateLimitHits],
] as const;

type Roles = Readonly<{ completed: boolean; dropped: boolean; running: boolean; f: number }>;

/** Where the session stands at step i: reached it, ended or runs there. */
const positionAt = (r: Roles, i: number, add: Adder) => {
  if (!r.completed && r.f >= i) add(`reached_nc.${i}`);
  if (r.f === i && r.dropped) add(`dropped.${i}`);
  if (r.f === i && r.running) add(`running.${i}`);
};

/** Errors, upload rejections and rate-limit hits in step i, and the odds-ratio cells. */
const troubleAt = (facts: FunnelFacts, r: Roles, i: number, add: Adder) => {
  for (const [name, sum, of] of troubles) {
    const n = of(facts.stages)[i] ?? 0;
    add(`${sum}.${i}`, n);
    if (n > 0 && r.f === i && r.dropped) add(`dropped_${name}.${i}`);
    if (n > 0 && (r.completed || r.f >= i)) add(`reached_${name}.${i}`);
  }
};

const stepCounts = (facts: FunnelFacts, add: Adder) => {
  const roles: Roles = {
    completed: facts.status === 'completed',
    dropped: facts.status === 'cancelled' || facts.status === 'abandoned',
    running: facts.status === 'active',
    f: facts.furthestStepIndex,
  };
  facts.stages.reachedAt.forEach((_, i) => {
    positionAt(roles, i, add);
    troubleAt(facts, roles, i, add);
    const secs = timeInStep(facts, i);
    if (secs !== null) add(`t.${i}.${bucketOf(secs)}`);
  });
};

/** Pure: one session's contribution. */
export const funnelContribution = (facts: FunnelFacts): FunnelCounts => {
  const out: Record<string, number> = {};
  const add: Adder = (key, n = 1) => {
    if (n !== 0) out[key] = (out[key] ?? 0) + n;
  };
  add('started');
  add(facts.status === 'active' ? 'in_progress' : facts.status);
  if (facts.status === 'completed' && facts.endedAt !== null) {
    const took = ms(facts.endedAt) - ms(facts.startedAt);
    add('completion_ms', took);
    add(`ct.${bucketOf(took / 1000)}`);
  }
  const neverStepped = facts.furthestStepIndex < 0 && facts.status !== 'completed';
  if (neverStepped && facts.status === 'active') add('running_start');
  else if (neverStepped) add('dropped_start');
  stepCounts(facts, add);
  return out;
};

/** a + sign·b, without zero entries (so equal sums are equal maps). */
export const addCounts = (a: FunnelCounts, b: FunnelCounts, sign: 1 | -1 = 1): FunnelCounts => {
  const out: Record<string, number> = { ...a };
  for (const [k, n] of Object.entries(b)) {
    const v = (out[k] ?? 0) + sign * n;
    if (v === 0) delete out[k];
    else out[k] = v;
  }
  return out;
};

/** The sum of many count maps (one pass, no copies: a period reads many day rows). */
export const sumCounts = (parts: readonly FunnelCounts[]): FunnelCounts => {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [k, n] of Object.entries(part)) out[k] = (out[k] ?? 0) + n;
  return out;
};
