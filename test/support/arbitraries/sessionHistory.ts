import fc from 'fast-check';
import type { OnboardingCommand } from '../../../events/onboarding/commands';
import { decide } from '../../../events/onboarding/decide';
import { DomainError } from '../../../events/onboarding/errors';
import type { OnboardingEvent } from '../../../events/onboarding/events';
import { defaultFlow } from '../../../events/onboarding/flows';
import { evolve, type OnboardingState } from '../../../events/onboarding/state';
import { at, sessionStarted } from '../builders/onboarding';

const steps = defaultFlow.steps;
const stepArb = fc.constantFrom(...steps);

/** One user action; run through decide, so only legal histories come out. */
const actionArb = fc.oneof(
  stepArb.map((step) => ({ type: 'EnterStep' as const, data: { step } })),
  stepArb.map((step) => ({ type: 'CompleteStep' as const, data: { step } })),
  fc.record({ step: stepArb, questionId: fc.constantFrom('q1', 'q2', 'q3') }).map((data) => ({
    type: 'AskQuestion' as const,
    data,
  })),
  fc.record({ step: stepArb, questionId: fc.constantFrom('q1', 'q2') }).map((data) => ({
    type: 'AnswerQuestion' as const,
    data: { ...data, answerLength: 3, answer: null },
  })),
  fc
    .record({ category: fc.constantFrom('network', 'validation'), step: fc.option(stepArb) })
    .map(({ category, step }) => ({
      type: 'RecordError' as const,
      data: { step, category, code: 'x', retryable: true } as const,
    })),
  fc.nat({ max: 5_000_000 }).map((sizeBytes) => ({
    type: 'AcceptUpload' as const,
    data: { uploadId: `u-${sizeBytes}`, kind: 'photo', sizeBytes, contentType: 'image/jpeg' },
  })),
  fc.constantFrom('too_large', 'bad_type').map((reason) => ({
    type: 'RejectUpload' as const,
    data: { kind: 'document', reason },
  })),
  fc.constantFrom('session_read', 'session_events').map((resource) => ({
    type: 'RecordRateLimitHit' as const,
    data: { resource },
  })),
  fc.record({ hash: fc.constantFrom('h1', 'h2', 'h3'), force: fc.boolean() }).map((c) => ({
    type: 'SaveCheckpoint' as const,
    data: {
      checkpointHash: c.hash,
      clientState: 'in_progress',
      dataVersion: 1,
      data: null,
      sizeBytes: 12,
      minIntervalMs: 30_000,
      force: c.force,
    },
  })),
  fc.constantFrom(null, 1).map((v) => ({
    type: 'ResumeSession' as const,
    data: { fromCheckpointVersion: v },
  })),
  fc.constantFrom(
    { type: 'CompleteSession' as const, data: {} },
    { type: 'CancelSession' as const, data: { reason: 'user_cancelled' } },
    { type: 'AbandonSession' as const, data: { reason: 'idle', idleSeconds: 3_600 } },
  ),
);

/** Folds actions through decide: refused actions are skipped, like a client that got a 4xx. */
export const historyOf = (
  actions: readonly { type: string; data: unknown }[],
  sessionId: string,
): OnboardingEvent[] => {
  const events: OnboardingEvent[] = [sessionStarted({ sessionId })];
  let state: OnboardingState = evolve(null, events[0] as OnboardingEvent);
  actions.forEach((action, i) => {
    const command = {
      ...action,
      metadata: { now: at(20 * (i + 1)), correlationId: 'prop' },
    } as OnboardingCommand;
    try {
      for (const event of decide(command, state)) {
        events.push(event);
        state = evolve(state, event);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  });
  return events;
};

/** Raw actions; combine with historyOf(actions, sessionId). */
export const actionsArb = (maxLength = 60) => fc.array(actionArb, { maxLength });
