import type { Sealed } from '../sealed';
import type { Event } from '../envelope';

/**
 * Everything an onboarding session can record. Every event carries `at`, the time it happened
 * (from the command's clock or an imported log), separate from the store's `recordedAt`.
 *
 * Personal data: none of these fields hold what a person typed. Answers are recorded by length
 * only, and `userId` is a pseudonymous id chosen by the calling service.
 */
export type UploadKind = 'photo' | 'document' | 'audio';
export type ErrorCategory = 'validation' | 'network' | 'database' | 'llm_api' | 'upload' | 'other';

export type SessionStarted = Event<
  'SessionStarted',
  {
    sessionId: string;
    tenantId: string;
    userId: string;
    flowId: string;
    flowVersion: number;
    steps: readonly string[];
    language: string;
    channel: string;
    userType: string;
    clientId: string | null;
    at: string;
  }
>;
export type StepEntered = Event<'StepEntered', { step: string; stepIndex: number; at: string }>;
export type StepCompleted = Event<
  'StepCompleted',
  { step: string; stepIndex: number; durationMs: number | null; at: string }
>;
export type QuestionAsked = Event<
  'QuestionAsked',
  { step: string; questionId: string; at: string }
>;
export type QuestionAnswered = Event<
  'QuestionAnswered',
  {
    step: string;
    questionId: string;
    answerLength: number;
    /** The answer text, sealed with the subject's key; null when the client sent only a length. */
    answer: Sealed | null;
    at: string;
  }
>;
export type ErrorOccurred = Event<
  'ErrorOccurred',
  { step: string | null; category: ErrorCategory; code: string; retryable: boolean; at: string }
>;
export type UploadAccepted = Event<
  'UploadAccepted',
  { uploadId: string; kind: UploadKind; sizeBytes: number; contentType: string; at: string }
>;
export type UploadRejected = Event<
  'UploadRejected',
  { kind: UploadKind; reason: string; at: string }
>;
/**
 * A client checkpoint: the client's own resumable state (its `state` label and `data`). The version
 * is assigned here (previous + 1); `checkpointHash` is a keyed digest of the canonical payload, so
 * it cannot be tested against guesses once the subject's key is erased. `data` is sealed.
 */
export type CheckpointSaved = Event<
  'CheckpointSaved',
  {
    checkpointVersion: number;
    checkpointHash: string;
    clientState: string;
    dataVersion: number;
    data: Sealed | null;
    sizeBytes: number;
    at: string;
  }
>;
export type SessionResumed = Event<
  'SessionResumed',
  { fromCheckpointVersion: number | null; at: string }
>;
/** A request for this session was refused by a rate limit (recorded at most once a minute). */
export type RateLimitHit = Event<'RateLimitHit', { resource: string; at: string }>;
export type SessionCompleted = Event<'SessionCompleted', { at: string }>;
export type SessionCancelled = Event<'SessionCancelled', { reason: string; at: string }>;
/**
 * `at` is when the session ended, in event time: for inactivity its last activity plus the
 * threshold. `detectedAt` is when the detector (or an import) declared it; absent on events
 * recorded before it existed, whose `at` was the detection time.
 */
export type SessionAbandoned = Event<
  'SessionAbandoned',
  { reason: string; idleSeconds: number; detectedAt?: string | null; at: string }
>;

export type OnboardingEvent =
  | SessionStarted
  | StepEntered
  | StepCompleted
  | QuestionAsked
  | QuestionAnswered
  | ErrorOccurred
  | UploadAccepted
  | UploadRejected
  | CheckpointSaved
  | SessionResumed
  | RateLimitHit
  | SessionCompleted
  | SessionCancelled
  | SessionAbandoned;

export type OnboardingEventType = OnboardingEvent['type'];

/** Every event type, in one list the compiler checks against the union (see schemas). */
export const onboardingEventTypes = [
  'SessionStarted',
  'StepEntered',
  'StepCompleted',
  'QuestionAsked',
  'QuestionAnswered',
  'ErrorOccurred',
  'UploadAccepted',
  'UploadRejected',
  'CheckpointSaved',
  'SessionResumed',
  'RateLimitHit',
  'SessionCompleted',
  'SessionCancelled',
  'SessionAbandoned',
] as const satisfies readonly OnboardingEventType[];

export const isOnboardingEventType = (type: string): type is OnboardingEventType =>
  (onboardingEventTypes as readonly string[]).includes(type);
