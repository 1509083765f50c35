import { createHash } from 'node:crypto';
import type { OnboardingEvent } from '../../events/onboarding/events';
import type { Flow } from '../../events/onboarding/flows';
import type { ImportMapping } from './mappingSchema';
import type { Trace } from './processLog';

export type { ImportMapping } from './mappingSchema';

/** A stable session id per tenant and case (UUID-shaped SHA-1): importing twice is a no-op. */
export const sessionIdFor = (tenantId: string, caseId: string): string => {
  const h = createHash('sha1').update(`${tenantId}\u0000${caseId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

type Context = Readonly<{
  tenantId: string;
  flow: Flow;
  mapping: ImportMapping;
  /** A case without outcome idle this long (by `now`) ended then: abandoned, in event time. */
  abandonAfterSeconds: number;
  now: Date;
}>;

/**
 * A case that never reached an outcome ended, like a live session the detector abandons, at its
 * last activity plus the threshold; `detectedAt` is the import. One still inside the threshold
 * stays active (the detector takes over).
 */
const abandonment = (lastAt: string, ctx: Context): OnboardingEvent[] => {
  const last = Date.parse(lastAt);
  const end = last + ctx.abandonAfterSeconds * 1000;
  if (end > ctx.now.getTime()) return [];
  return [
    {
      type: 'SessionAbandoned',
      data: {
        reason: 'inactivity',
        idleSeconds: Math.floor((ctx.now.getTime() - last) / 1000),
        detectedAt: ctx.now.toISOString(),
        at: new Date(end).toISOString(),
      },
    },
  ];
};

/** The case's start; its attribute columns, when mapped, are the session's cohort keys. */
const startedEvent = (
  trace: Trace,
  ctx: Context,
  sessionId: string,
  at: string,
): OnboardingEvent => {
  const attributes = trace.attributes ?? {};
  return {
    type: 'SessionStarted',
    data: {
      sessionId,
      tenantId: ctx.tenantId,
      userId: `case-${trace.caseId}`,
      flowId: ctx.flow.id,
      flowVersion: ctx.flow.version,
      steps: [...ctx.flow.steps],
      language: attributes.language ?? ctx.mapping.language,
      channel: attributes.channel ?? ctx.mapping.channel,
      userType: attributes.userType ?? 'imported',
      clientId: attributes.clientId ?? null,
      at,
    },
  };
};

const outcomeEvent = (outcome: ImportMapping['outcomes'][string], at: string): OnboardingEvent =>
  outcome === 'completed'
    ? { type: 'SessionCompleted', data: { at } }
    : { type: 'SessionCancelled', data: { reason: outcome, at } };

/** An error activity of the log: an error in the step the case is in (null before any step). */
const errorAt = (step: string | null, activity: string, at: string): OnboardingEvent => ({
  type: 'ErrorOccurred',
  data: { step, category: 'other', code: activity, retryable: true, at },
});

/**
 * One case as onboarding events: started at its first counted event; a mapped activity enters
 * its step (forward only; the step before is completed); the first outcome ends the session
 * (approved → completed, declined or cancelled → cancelled with that reason); later events are
 * ignored; a case without outcome is abandoned at its last counted event + the threshold.
 * Historical facts are recorded as they happened, not re-decided.
 */
export const toSessionEvents = (trace: Trace, ctx: Context): OnboardingEvent[] => {
  const counted = trace.events.filter(
    (e) => e.lifecycle === ctx.mapping.lifecycle && e.timestamp !== '',
  );
  const first = counted[0];
  if (!first) return [];
  const at0 = new Date(first.timestamp).toISOString();
  const events: OnboardingEvent[] = [
    startedEvent(trace, ctx, sessionIdFor(ctx.tenantId, trace.caseId), at0),
  ];
  let current = -1;
  let enteredAt = at0;
  const completeCurrent = (at: string) => {
    const step = ctx.flow.steps[current];
    if (step === undefined) return;
    const durationMs = Math.max(0, Date.parse(at) - Date.parse(enteredAt));
    events.push({ type: 'StepCompleted', data: { step, stepIndex: current, durationMs, at } });
  };
  for (const e of counted) {
    const at = new Date(e.timestamp).toISOString();
    const outcome = ctx.mapping.outcomes[e.activity];
    if (outcome !== undefined) {
      if (outcome === 'completed') completeCurrent(at);
      return [...events, outcomeEvent(outcome, at)];
    }
    if (ctx.mapping.errors.includes(e.activity)) {
      events.push(errorAt(ctx.flow.steps[current] ?? null, e.activity, at));
      continue;
    }
    const index = ctx.flow.steps.indexOf(ctx.mapping.steps[e.activity] ?? '');
    if (index > current) {
      completeCurrent(at);
      current = index;
      enteredAt = at;
      events.push({
        type: 'StepEntered',
        data: { step: ctx.flow.steps[index] ?? '', stepIndex: index, at },
      });
    }
  }
  const lastAt = new Date(counted.at(-1)?.timestamp ?? first.timestamp).toISOString();
  return [...events, ...abandonment(lastAt, ctx)];
};
