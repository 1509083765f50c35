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

/** The funnel computed directly from raw events: the oracle the API must match. */
export const oracleFunnel = (
  histories: readonly OnboardingEvent[][],
  steps: number,
  inactiveBefore: number,
) => {
  const sessions = sessionsOf(histories, steps);
  const dropped = (s: Session) =>
    s.status === 'cancelled' ||
    s.status === 'abandoned' ||
    (s.status === 'active' && s.lastActivity < inactiveBefore);
  const completed = sessions.filter((s) => s.status === 'completed');
  const stageCounts = Array.from(
    { length: steps },
    (_, i) => sessions.filter((s) => s.furthest >= i).length,
  );
  const medians = Array.from({ length: steps }, (_, i) =>
    percentileCont(
      sessions.flatMap((s) => {
        const from = s.reached[i];
        const to =
          s.reached[i + 1] ?? (i === steps - 1 && s.status === 'completed' ? s.ended : null);
        return from === null || from === undefined || to === null || to === undefined
          ? []
          : [(to - from) / 1000];
      }),
      0.5,
    ),
  );
  return {
    total: sessions.length,
    completed: completed.length,
    counts: [sessions.length, ...stageCounts, completed.length],
    droppedHere: Array.from(
      { length: steps },
      (_, i) => sessions.filter((s) => s.furthest === i && dropped(s)).length,
    ),
    droppedAtStart: sessions.filter((s) => s.furthest < 0 && dropped(s)).length,
    medians,
    medianCompletionSeconds: percentileCont(
      completed.map((s) => ((s.ended ?? 0) - s.started) / 1000),
      0.5,
    ),
  };
};
