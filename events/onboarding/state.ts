import type { OnboardingEvent } from './events';

export type SessionStatus = 'active' | 'completed' | 'cancelled' | 'abandoned';

/**
 * Bump whenever SessionState's shape or evolve's meaning changes: snapshots written under another
 * version are ignored (restore falls back to a full replay), never misread.
 */
export const sessionStateSchemaVersion = 2;

/** How many checkpoint references the state keeps (older ones stay in the stream). */
export const retainedCheckpoints = 50;

/** A checkpoint as the state remembers it: where its event is, not its (sealed) data. */
export type CheckpointRef = Readonly<{
  version: number;
  hash: string;
  clientState: string;
  dataVersion: number;
  sizeBytes: number;
  at: string;
  /** Stream position of its CheckpointSaved event, to fetch the data on resume. */
  position: number;
}>;

/** A session folded from its stream. Shared by the command side and the snapshotter. */
export type SessionState = Readonly<{
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
  status: SessionStatus;
  currentStep: string | null;
  currentStepEnteredAt: string | null;
  completedSteps: readonly string[];
  furthestStepIndex: number;
  startedAt: string;
  lastActivityAt: string;
  endedAt: string | null;
  /** Why it ended: the cancel or abandonment reason (null while active and when completed). */
  endReason: string | null;
  errorCount: number;
  questionsAsked: Readonly<Record<string, number>>;
  questionsAnswered: number;
  uploadsAccepted: number;
  uploadsRejected: number;
  uploadBytes: number;
  rateLimitHits: number;
  checkpointVersion: number;
  checkpoints: readonly CheckpointRef[];
  resumeCount: number;
  /** A step or the session was completed after a resume (the recovery success signal). */
  progressedAfterResume: boolean;
  /** Events folded so far: the stream position of the next event. */
  eventCount: number;
}>;

/** No events yet. */
export type OnboardingState = SessionState | null;

export const initialState = (): OnboardingState => null;

const touch = (state: SessionState, at: string): SessionState => ({ ...state, lastActivityAt: at });

const started = ({
  data: { at, ...data },
}: Extract<OnboardingEvent, { type: 'SessionStarted' }>): SessionState => ({
  // `at` is the start time (startedAt), not a field of the state.
  ...data,
  status: 'active',
  currentStep: null,
  currentStepEnteredAt: null,
  completedSteps: [],
  furthestStepIndex: -1,
  startedAt: at,
  lastActivityAt: at,
  endedAt: null,
  endReason: null,
  errorCount: 0,
  questionsAsked: {},
  questionsAnswered: 0,
  uploadsAccepted: 0,
  uploadsRejected: 0,
  uploadBytes: 0,
  rateLimitHits: 0,
  checkpointVersion: 0,
  checkpoints: [],
  resumeCount: 0,
  progressedAfterResume: false,
  eventCount: 1,
});

const ended = (
  state: SessionState,
  status: SessionStatus,
  at: string,
  reason: string | null = null,
): SessionState => ({ ...touch(state, at), status, endedAt: at, endReason: reason });

const checkpointRef = (
  data: Extract<OnboardingEvent, { type: 'CheckpointSaved' }>['data'],
  position: number,
): CheckpointRef => ({
  version: data.checkpointVersion,
  hash: data.checkpointHash,
  clientState: data.clientState,
  dataVersion: data.dataVersion,
  sizeBytes: data.sizeBytes,
  at: data.at,
  position,
});

type Appliers = {
  [K in OnboardingEvent['type']]: (
    s: SessionState,
    e: Extract<OnboardingEvent, { type: K }>,
  ) => SessionState;
};

/** One applier per event type; the mapped type makes a missing one a compile error. */
const appliers: Appliers = {
  SessionStarted: (s) => s,
  StepEntered: (s, e) => ({
    ...touch(s, e.data.at),
    currentStep: e.data.step,
    currentStepEnteredAt: e.data.at,
    furthestStepIndex: Math.max(s.furthestStepIndex, e.data.stepIndex),
  }),
  StepCompleted: (s, e) => ({
    ...touch(s, e.data.at),
    progressedAfterResume: s.progressedAfterResume || s.resumeCount > 0,
    completedSteps: s.completedSteps.includes(e.data.step)
      ? s.completedSteps
      : [...s.completedSteps, e.data.step],
  }),
  QuestionAsked: (s, e) => ({
    ...touch(s, e.data.at),
    questionsAsked: {
      ...s.questionsAsked,
      [e.data.questionId]: (s.questionsAsked[e.data.questionId] ?? 0) + 1,
    },
  }),
  QuestionAnswered: (s, e) => ({
    ...touch(s, e.data.at),
    questionsAnswered: s.questionsAnswered + 1,
  }),
  ErrorOccurred: (s, e) => ({ ...touch(s, e.data.at), errorCount: s.errorCount + 1 }),
  UploadAccepted: (s, e) => ({
    ...touch(s, e.data.at),
    uploadsAccepted: s.uploadsAccepted + 1,
    uploadBytes: s.uploadBytes + e.data.sizeBytes,
  }),
  UploadRejected: (s, e) => ({ ...touch(s, e.data.at), uploadsRejected: s.uploadsRejected + 1 }),
  CheckpointSaved: (s, e) => ({
    ...touch(s, e.data.at),
    checkpointVersion: e.data.checkpointVersion,
    checkpoints: [...s.checkpoints, checkpointRef(e.data, s.eventCount)].slice(
      -retainedCheckpoints,
    ),
  }),
  SessionResumed: (s, e) => ({ ...touch(s, e.data.at), resumeCount: s.resumeCount + 1 }),
  // A refused request did nothing: it is counted but does not count as activity.
  RateLimitHit: (s) => ({ ...s, rateLimitHits: s.rateLimitHits + 1 }),
  SessionCompleted: (s, e) => ({
    ...ended(s, 'completed', e.data.at),
    progressedAfterResume: s.progressedAfterResume || s.resumeCount > 0,
  }),
  SessionCancelled: (s, e) => ended(s, 'cancelled', e.data.at, e.data.reason),
  SessionAbandoned: (s, e) => ended(s, 'abandoned', e.data.at, e.data.reason),
};

/** Applies one event to a live session (never called before SessionStarted). */
const apply = <E extends OnboardingEvent>(s: SessionState, event: E): SessionState => ({
  ...(appliers[event.type] as (s: SessionState, e: E) => SessionState)(s, event),
  eventCount: s.eventCount + 1,
});

/** Pure fold step: never mutates, ignores events before the session exists. */
export const evolve = (state: OnboardingState, event: OnboardingEvent): OnboardingState => {
  if (state === null) return event.type === 'SessionStarted' ? started(event) : null;
  return apply(state, event);
};

export const fold = (events: Iterable<OnboardingEvent>, from = initialState()): OnboardingState => {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
};
