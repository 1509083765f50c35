import type { OnboardingEvent } from './events';

export type SessionStatus = 'active' | 'completed' | 'cancelled' | 'abandoned';

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
  errorCount: number;
  questionsAsked: Readonly<Record<string, number>>;
  questionsAnswered: number;
  uploadsAccepted: number;
  uploadsRejected: number;
  uploadBytes: number;
  checkpointVersion: number;
  resumeCount: number;
}>;

/** No events yet. */
export type OnboardingState = SessionState | null;

export const initialState = (): OnboardingState => null;

const touch = (state: SessionState, at: string): SessionState => ({ ...state, lastActivityAt: at });

const started = (event: Extract<OnboardingEvent, { type: 'SessionStarted' }>): SessionState => ({
  ...event.data,
  status: 'active',
  currentStep: null,
  currentStepEnteredAt: null,
  completedSteps: [],
  furthestStepIndex: -1,
  startedAt: event.data.at,
  lastActivityAt: event.data.at,
  endedAt: null,
  errorCount: 0,
  questionsAsked: {},
  questionsAnswered: 0,
  uploadsAccepted: 0,
  uploadsRejected: 0,
  uploadBytes: 0,
  checkpointVersion: 0,
  resumeCount: 0,
});

const ended = (state: SessionState, status: SessionStatus, at: string): SessionState => ({
  ...touch(state, at),
  status,
  endedAt: at,
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
  }),
  SessionResumed: (s, e) => ({ ...touch(s, e.data.at), resumeCount: s.resumeCount + 1 }),
  SessionCompleted: (s, e) => ended(s, 'completed', e.data.at),
  SessionCancelled: (s, e) => ended(s, 'cancelled', e.data.at),
  SessionAbandoned: (s, e) => ended(s, 'abandoned', e.data.at),
};

/** Applies one event to a live session (never called before SessionStarted). */
const apply = <E extends OnboardingEvent>(s: SessionState, event: E): SessionState =>
  (appliers[event.type] as (s: SessionState, e: E) => SessionState)(s, event);

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
