import type { CommandMetadata } from '../../../events/envelope';
import type { OnboardingCommand } from '../../../events/onboarding/commands';
import type { OnboardingEvent, SessionStarted } from '../../../events/onboarding/events';
import { defaultFlow } from '../../../events/onboarding/flows';

/** Builders with sensible defaults, so a test states only what it is about. */
export const t0 = '2026-01-05T10:00:00.000Z';
export const at = (seconds: number): string =>
  new Date(Date.parse(t0) + seconds * 1000).toISOString();
export const meta = (seconds = 0): CommandMetadata => ({
  now: at(seconds),
  correlationId: 'corr-test',
});

export const sessionStarted = (
  overrides: Partial<SessionStarted['data']> = {},
): SessionStarted => ({
  type: 'SessionStarted',
  data: {
    sessionId: '9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11',
    tenantId: 'tenant-a',
    userId: 'user-1',
    flowId: defaultFlow.id,
    flowVersion: defaultFlow.version,
    steps: [...defaultFlow.steps],
    language: 'en',
    channel: 'web',
    userType: 'standard',
    clientId: null,
    at: t0,
    ...overrides,
  },
});

export const command = <T extends OnboardingCommand['type']>(
  type: T,
  data: Extract<OnboardingCommand, { type: T }>['data'],
  seconds = 1,
): OnboardingCommand => ({ type, data, metadata: meta(seconds) }) as OnboardingCommand;

/** One instance of every event type, for schema round trips. */
export const oneOfEach = (): OnboardingEvent[] => [
  sessionStarted({ clientId: 'client-7' }),
  { type: 'StepEntered', data: { step: 'information_collection', stepIndex: 0, at: at(1) } },
  {
    type: 'StepCompleted',
    data: { step: 'information_collection', stepIndex: 0, durationMs: 1500, at: at(2) },
  },
  { type: 'QuestionAsked', data: { step: 'information_collection', questionId: 'q-1', at: at(3) } },
  {
    type: 'QuestionAnswered',
    data: {
      step: 'information_collection',
      questionId: 'q-1',
      answerLength: 42,
      answer: null,
      at: at(4),
    },
  },
  {
    type: 'ErrorOccurred',
    data: { step: null, category: 'network', code: 'timeout', retryable: true, at: at(5) },
  },
  {
    type: 'UploadAccepted',
    data: {
      uploadId: 'u-1',
      kind: 'photo',
      sizeBytes: 123456,
      contentType: 'image/jpeg',
      at: at(6),
    },
  },
  {
    type: 'UploadRejected',
    data: { kind: 'document', reason: 'session_document_limit', at: at(7) },
  },
  {
    type: 'CheckpointSaved',
    data: {
      checkpointVersion: 1,
      checkpointHash: 'ab12',
      clientState: 'in_progress',
      dataVersion: 1,
      data: null,
      sizeBytes: 42,
      at: at(8),
    },
  },
  { type: 'SessionResumed', data: { fromCheckpointVersion: null, at: at(9) } },
  { type: 'RateLimitHit', data: { resource: 'session_events', at: at(9) } },
  { type: 'SessionCompleted', data: { at: at(10) } },
  { type: 'SessionCancelled', data: { reason: 'user_cancelled', at: at(11) } },
  {
    type: 'SessionAbandoned',
    data: { reason: 'idle_timeout', idleSeconds: 1800, detectedAt: at(13), at: at(12) },
  },
];
