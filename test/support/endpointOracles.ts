import type { OnboardingEvent } from '../../events/onboarding/events';

/**
 * Plain computations over raw events for the analytics endpoints other than the funnel: each is
 * written from the endpoint's documented meaning, not from its SQL.
 */
type Session = {
  started: number;
  status: 'active' | 'completed' | 'cancelled' | 'abandoned';
  furthest: number;
  ended: number | null;
  lastActivity: number;
  channel: string;
  language: string;
  errors: number;
};

const ms = (iso: string) => Date.parse(iso);
const ends = {
  SessionCompleted: 'completed',
  SessionCancelled: 'cancelled',
  SessionAbandoned: 'abandoned',
} as const;

export const plainSessions = (histories: readonly OnboardingEvent[][]): Session[] =>
  histories.map((events) => {
    const s: Session = {
      started: 0,
      status: 'active',
      furthest: -1,
      ended: null,
      lastActivity: 0,
      channel: '',
      language: '',
      errors: 0,
    };
    for (const e of events) {
      s.lastActivity = ms(e.data.at);
      if (e.type === 'SessionStarted') {
        s.started = ms(e.data.at);
        s.channel = e.data.channel;
        s.language = e.data.language;
      }
      if (e.type === 'StepEntered') s.furthest = Math.max(s.furthest, e.data.stepIndex);
      if (e.type === 'ErrorOccurred') s.errors += 1;
      if (e.type in ends) {
        s.status = ends[e.type as keyof typeof ends];
        s.ended = ms(e.data.at);
      }
    }
    return s;
  });

const inPeriod = (s: Session, from: number, to: number) => s.started >= from && s.started < to;

/** UTC start of the day or ISO week (Monday) of a time. */
export const bucketStart = (t: number, unit: 'day' | 'week'): number => {
  const d = new Date(t);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return unit === 'day' ? day : day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
};

/** Dropped sessions (ended unfinished; never those still running) per day × stage. */
export const oracleHeatmap = (
  sessions: readonly Session[],
  period: { from: number; to: number },
  steps: number,
) => {
  const matrix = new Map<string, number[]>();
  for (const s of sessions.filter((x) => inPeriod(x, period.from, period.to))) {
    const dropped = s.status === 'cancelled' || s.status === 'abandoned';
    if (!dropped) continue;
    const key = new Date(bucketStart(s.lastActivity, 'day')).toISOString();
    const row = matrix.get(key) ?? new Array<number>(steps + 1).fill(0);
    row[s.furthest + 1] = (row[s.furthest + 1] ?? 0) + 1;
    matrix.set(key, row);
  }
  return new Map([...matrix].sort(([a], [b]) => a.localeCompare(b)));
};

/** Sessions and completions per value of one attribute. */
export const oracleCohorts = (
  sessions: readonly Session[],
  period: { from: number; to: number },
  by: 'channel' | 'language',
) => {
  const cohorts = new Map<string, { total: number; completed: number }>();
  for (const s of sessions.filter((x) => inPeriod(x, period.from, period.to))) {
    const c = cohorts.get(s[by]) ?? { total: 0, completed: 0 };
    c.total += 1;
    c.completed += s.status === 'completed' ? 1 : 0;
    cohorts.set(s[by], c);
  }
  return Object.fromEntries(cohorts);
};

/** Totals of sessions started in [from, to). */
export const oracleTotals = (sessions: readonly Session[], from: number, to: number) => {
  const started = sessions.filter((s) => inPeriod(s, from, to));
  return {
    total: started.length,
    completed: started.filter((s) => s.status === 'completed').length,
  };
};

/** The realtime window: sessions touched since `since`. */
export const oracleWindow = (sessions: readonly Session[], since: number) => {
  const touched = sessions.filter((s) => s.lastActivity >= since);
  return {
    started: touched.filter((s) => s.started >= since).length,
    completed: touched.filter((s) => s.status === 'completed' && (s.ended ?? 0) >= since).length,
    active: touched.filter((s) => s.status === 'active').length,
    errors: touched.reduce((sum, s) => sum + s.errors, 0),
  };
};

/** Cohorts by start week: sessions and completions. */
export const oracleStartWeeks = (sessions: readonly Session[], from: number, to: number) => {
  const weeks = new Map<string, { total: number; completed: number }>();
  for (const s of sessions.filter((x) => inPeriod(x, from, to))) {
    const key = new Date(bucketStart(s.started, 'week')).toISOString();
    const w = weeks.get(key) ?? { total: 0, completed: 0 };
    w.total += 1;
    w.completed += s.status === 'completed' ? 1 : 0;
    weeks.set(key, w);
  }
  return [...weeks].sort(([a], [b]) => a.localeCompare(b));
};

/** Mean minutes from start to completion of each start week's completed sessions (null: none). */
export const oracleWeekCompletionMinutes = (
  sessions: readonly Session[],
  from: number,
  to: number,
) => {
  const weeks = new Map<string, number[]>();
  for (const s of sessions.filter((x) => inPeriod(x, from, to))) {
    const key = new Date(bucketStart(s.started, 'week')).toISOString();
    const took = weeks.get(key) ?? [];
    if (s.status === 'completed' && s.ended !== null) took.push((s.ended - s.started) / 60_000);
    weeks.set(key, took);
  }
  return new Map(
    [...weeks].map(([k, t]) => [
      k,
      t.length === 0 ? null : t.reduce((a, b) => a + b, 0) / t.length,
    ]),
  );
};
