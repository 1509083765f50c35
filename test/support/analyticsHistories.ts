import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { RecordedEvent } from '../../events/envelope';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { defaultFlow } from '../../events/onboarding/flows';
import { onboardingStream } from '../../events/streamNames';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import type { Projection } from '../../projections/projection';

/** Generated session histories for the analytics oracle tests (fixed clock: `now`). */
export const steps = defaultFlow.steps;
export const now = Date.parse('2026-06-15T12:00:00Z');
export const iso = (t: number) => new Date(t).toISOString();

/** The abandonment threshold the generated abandonments use: they end at last activity + this. */
export const thresholdSeconds = 1800;

/**
 * One generated session: which steps it entered (any subset, in order, so steps are skipped and
 * a completed session may skip the last ones), whether it went back to an earlier step, how it
 * ended (or is still running), when and how fast, and where it erred.
 */
export const sessionArb = fc.record({
  visits: fc.array(fc.boolean(), { minLength: steps.length, maxLength: steps.length }),
  back: fc.boolean(),
  outcome: fc.constantFrom('completed', 'cancelled', 'abandoned', 'active'),
  startMinutesAgo: fc.integer({ min: 1, max: 20 * 24 * 60 }),
  gaps: fc.array(fc.integer({ min: 1, max: 600 }), {
    minLength: steps.length + 1,
    maxLength: steps.length + 1,
  }),
  errorsAt: fc.array(fc.integer({ min: 0, max: steps.length - 1 }), { maxLength: 3 }),
  channel: fc.constantFrom('web', 'mobile', 'kiosk'),
  language: fc.constantFrom('en', 'nl', 'fr'),
});

type Generated = typeof sessionArb extends fc.Arbitrary<infer T> ? T : never;

/** The visited steps in order (going back: the first one again after the furthest), with errors. */
const enterSteps = (events: OnboardingEvent[], g: Generated, start: number): number => {
  const visited = steps.flatMap((_, i) => (g.visits[i] ? [i] : []));
  const first = visited[0];
  const path = g.back && first !== undefined && visited.length > 1 ? [...visited, first] : visited;
  let t = start;
  for (const i of path) {
    t += (g.gaps[i] ?? 1) * 1000;
    const step = steps[i] ?? '';
    events.push({ type: 'StepEntered', data: { step, stepIndex: i, at: iso(t) } });
    if (g.errorsAt.includes(i))
      events.push({
        type: 'ErrorOccurred',
        data: { step, category: 'network', code: 'E', retryable: true, at: iso(t + 1) },
      });
  }
  return t;
};

/**
 * Event time: last activity + threshold, detected a minute later, as the detector does; a session
 * not yet detectable by `now` stays running.
 */
const abandonment = (events: readonly OnboardingEvent[]): OnboardingEvent[] => {
  const last = Date.parse(events.at(-1)?.data.at ?? iso(now));
  if (last + (thresholdSeconds + 60) * 1000 > now) return [];
  return [
    {
      type: 'SessionAbandoned',
      data: {
        reason: 'inactivity',
        idleSeconds: thresholdSeconds + 60,
        detectedAt: iso(last + (thresholdSeconds + 60) * 1000),
        at: iso(last + thresholdSeconds * 1000),
      },
    },
  ];
};

export const historyOf = (tenantId: string, sessionId: string, g: Generated): OnboardingEvent[] => {
  let t = now - g.startMinutesAgo * 60_000;
  const events: OnboardingEvent[] = [
    {
      type: 'SessionStarted',
      data: {
        sessionId,
        tenantId,
        userId: `u-${sessionId.slice(0, 6)}`,
        flowId: 'default',
        flowVersion: 1,
        steps: [...steps],
        language: g.language,
        channel: g.channel,
        userType: 'standard',
        clientId: null,
        at: iso(t),
      },
    },
  ];
  t = enterSteps(events, g, t);
  t += (g.gaps[steps.length] ?? 1) * 1000;
  if (g.outcome === 'completed') events.push({ type: 'SessionCompleted', data: { at: iso(t) } });
  if (g.outcome === 'cancelled')
    events.push({ type: 'SessionCancelled', data: { reason: 'user_cancelled', at: iso(t) } });
  if (g.outcome === 'abandoned') events.push(...abandonment(events));
  return events;
};

export const recorded = (
  sessionId: string,
  events: OnboardingEvent[],
  tenantId: string,
): RecordedEvent[] =>
  events.map((e, i) => ({
    eventId: randomUUID(),
    type: e.type,
    data: e.data,
    metadata: { correlationId: 'oracle', tenantId, actor: 'test' },
    streamName: onboardingStream(sessionId),
    streamPosition: i,
    globalPosition: i,
    recordedAt: e.data.at,
  }));

/**
 * Projects generated sessions of a fresh tenant straight into the session summary (no store or
 * feeder in between) and hands back the tenant and the raw histories for the oracle.
 */
export const projectGenerated = async (
  sql: SqlClient,
  projection: Projection,
  generated: readonly Generated[],
) => {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const histories = generated.map((g) => {
    const id = randomUUID();
    return { id, events: historyOf(tenantId, id, g) };
  });
  await sql.transaction((tx) =>
    projection.applyBatch(
      tx,
      histories.flatMap((h) => recorded(h.id, h.events, tenantId)),
    ),
  );
  return { tenantId, histories };
};
