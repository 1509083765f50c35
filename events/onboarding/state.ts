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

/** Applies one event to a live session (never called before SessionStarted). */
const apply = (s: SessionState, event: OnboardingEvent): SessionState => {
  const at = event.data.at;
  switch (event.type) {
    case 'SessionStarted':
      return s;
    case 'StepEntered':
      return {
        ...touch(s, at),
        currentStep: event.data.step,
        currentStepEnteredAt: at,
        furthestStepIndex: Math.max(s.furthestStepIndex, event.data.stepIndex),
      };
    case 'StepCompleted':
      return {
        ...touch(s, at),
        completedSteps: s.completedSteps.includes(event.data.step)
          ? s.completedSteps
          : [...s.completedSteps, event.data.step],
      };
    case 'QuestionAsked': {
      const asked = (s.questionsAsked[event.data.questionId] ?? 0) + 1;
      return {
        ...touch(s, at),
        questionsAsked: { ...s.questionsAsked, [event.data.questionId]: asked },
      };
    }
    case 'QuestionAnswered':
      return { ...touch(s, at), questionsAnswered: s.questionsAnswered + 1 };
    case 'ErrorOccurred':
      return { ...touch(s, at), errorCount: s.errorCount + 1 };
    case 'UploadAccepted':
      return {
        ...touch(s, at),
        uploadsAccepted: s.uploadsAccepted + 1,
        uploadBytes: s.uploadBytes + event.data.sizeBytes,
      };
    case 'UploadRejected':
      return { ...touch(s, at), uploadsRejected: s.uploadsRejected + 1 };
    case 'CheckpointSaved':
      return { ...touch(s, at), checkpointVersion: event.data.checkpointVersion };
    case 'SessionResumed':
      return { ...touch(s, at), resumeCount: s.resumeCount + 1 };
    case 'SessionCompleted':
      return ended(s, 'completed', at);
    case 'SessionCancelled':
      return ended(s, 'cancelled', at);
    case 'SessionAbandoned':
      return ended(s, 'abandoned', at);
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
};

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
