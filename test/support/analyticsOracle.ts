import type { OnboardingEvent } from '../../events/onboarding/events';

/** Percentile as PostgreSQL's percentile_cont computes it (linear between closest ranks). */
export const percentileCont = (values: readonly number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (rank - lo);
};

type Session = {
  started: number;
  status: string;
  furthest: number;
  reached: (number | null)[];
  ended: number | null;
  lastActivity: number;
};

const ms = (iso: string) => Date.parse(iso);

/** Folds raw events per session the plain way, independent of the projection code. */
const sessionsOf = (histories: readonly OnboardingEvent[][], steps: number): Session[] =>
  histories.map((events) => {
    const s: Session = {
      started: 0,
      status: 'active',
      furthest: -1,
      reached: Array(steps).fill(null),
      ended: null,
      lastActivity: 0,
    };
    for (const e of events) {
      const at = ms(e.data.at);
      s.lastActivity = at;
      if (e.type === 'SessionStarted') s.started = at;
      if (e.type === 'StepEntered') {
        s.furthest = Math.max(s.furthest, e.data.stepIndex);
        s.reached[e.data.stepIndex] ??= at;
      }
      if (
        e.type === 'SessionCompleted' ||
        e.type === 'SessionCancelled' ||
        e.type === 'SessionAbandoned'
      ) {
        s.status = {
          SessionCompleted: 'completed',
          SessionCancelled: 'cancelled',
          SessionAbandoned: 'abandoned',
        }[e.type];
        s.ended = at;
      }
    }
    return s;
  });

/**
 * The funnel computed directly from raw events, from the documented definition
 * (services/analytics/README.md, "Definitions"): the oracle the API must match.
 */
export const oracleFunnel = (histories: readonly OnboardingEvent[][], steps: number) => {
  const sessions = sessionsOf(histories, steps);
  // A completed session has reached every step, also those its log skipped.
  const furthest = (s: Session) => (s.status === 'completed' ? steps - 1 : s.furthest);
  const ended = (s: Session) => s.status === 'cancelled' || s.status === 'abandoned';
  const completed = sessions.filter((s) => s.status === 'completed');
  const stageCounts = Array.from(
    { length: steps },
    (_, i) => sessions.filter((s) => furthest(s) >= i).length,
  );
  /** From first reaching step i to the first later step reached after it, else completion. */
  const timeIn = (s: Session, i: number): number | null => {
    const from = s.reached[i];
    if (from === null || from === undefined) return null;
    const later = s.reached
      .slice(i + 1)
      .filter((t): t is number => t !== null && t > from)
      .sort((a, b) => a - b)[0];
    const to = later ?? (s.status === 'completed' ? s.ended : null);
    return to === null ? null : (to - from) / 1000;
  };
  const timed = (i: number) =>
    sessions.flatMap((s) => {
      const t = timeIn(s, i);
      return t === null ? [] : [t];
    });
  const at = (i: number, keep: (s: Session) => boolean) =>
    sessions.filter((s) => s.status !== 'completed' && s.furthest === i && keep(s)).length;
  return {
    total: sessions.length,
    completed: completed.length,
    abandoned: sessions.filter((s) => s.status === 'abandoned').length,
    counts: [sessions.length, ...stageCounts, completed.length],
    /** Per stage (started, each step, completed): ended there, still running there. */
    dropOffs: [...Array.from({ length: steps + 1 }, (_, i) => at(i - 1, ended)), 0],
    inProgress: [
      ...Array.from({ length: steps + 1 }, (_, i) => at(i - 1, (s) => s.status === 'active')),
      0,
    ],
    medians: Array.from({ length: steps }, (_, i) => percentileCont(timed(i), 0.5)),
    p90s: Array.from({ length: steps }, (_, i) => percentileCont(timed(i), 0.9)),
    medianCompletionSeconds: percentileCont(
      completed.map((s) => ((s.ended ?? 0) - s.started) / 1000),
      0.5,
    ),
  };
};
