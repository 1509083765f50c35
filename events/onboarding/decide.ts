import type { OnboardingCommand, SaveCheckpoint, StartSession } from './commands';
import { DomainError } from './errors';
import type { OnboardingEvent } from './events';
import { flowProblems } from './flows';
import type { OnboardingState, SessionState } from './state';

type Decision = OnboardingEvent[];

const start = (command: StartSession, state: OnboardingState): Decision => {
  if (state !== null) throw new DomainError('session_already_exists', 'session already started');
  const { flow, ...rest } = command.data;
  const problems = flowProblems(flow);
  if (problems.length > 0) throw new DomainError('validation_error', problems.join('; '));
  return [
    {
      type: 'SessionStarted',
      data: {
        ...rest,
        flowId: flow.id,
        flowVersion: flow.version,
        steps: [...flow.steps],
        at: command.metadata.now,
      },
    },
  ];
};

const stepIndex = (state: SessionState, step: string): number => {
  const index = state.steps.indexOf(step);
  if (index < 0)
    throw new DomainError('unknown_step', `step "${step}" is not in flow ${state.flowId}`);
  return index;
};

const elapsedMs = (from: string | null, to: string): number | null =>
  from === null ? null : Math.max(0, Date.parse(to) - Date.parse(from));

const completeStep = (state: SessionState, step: string, at: string): Decision => {
  const index = stepIndex(state, step);
  if (state.currentStep !== step) {
    throw new DomainError('illegal_state', `step "${step}" must be entered before it is completed`);
  }
  return [
    {
      type: 'StepCompleted',
      data: { step, stepIndex: index, durationMs: elapsedMs(state.currentStepEnteredAt, at), at },
    },
  ];
};

const completeSession = (state: SessionState, at: string): Decision => {
  const missing = state.steps.filter((step) => !state.completedSteps.includes(step));
  if (missing.length > 0) {
    throw new DomainError('illegal_state', `steps not completed yet: ${missing.join(', ')}`);
  }
  return [{ type: 'SessionCompleted', data: { at } }];
};

const requireCount = (value: number, name: string): void => {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DomainError('validation_error', `${name} must be a non-negative integer`);
  }
};

/**
 * The checkpoint rules: unless forced, an unchanged payload (same digest as the latest) or one
 * inside the minimum interval records nothing. The version is always the previous one + 1.
 */
const saveCheckpoint = (
  s: SessionState,
  { minIntervalMs, force, ...data }: SaveCheckpoint['data'],
  at: string,
): Decision => {
  requireCount(data.sizeBytes, 'sizeBytes');
  requireCount(data.dataVersion, 'dataVersion');
  const latest = s.checkpoints.at(-1);
  if (!force && latest !== undefined) {
    if (latest.hash === data.checkpointHash) return [];
    if (Date.parse(at) - Date.parse(latest.at) < minIntervalMs) return [];
  }
  return [
    { type: 'CheckpointSaved', data: { ...data, checkpointVersion: s.checkpointVersion + 1, at } },
  ];
};

type ActiveCommand = Exclude<OnboardingCommand, StartSession>;
type Deciders = {
  [K in ActiveCommand['type']]: (
    state: SessionState,
    data: Extract<ActiveCommand, { type: K }>['data'],
    at: string,
  ) => Decision;
};

/** One decider per command on a live session; the mapped type makes a missing one a compile error. */
const deciders: Deciders = {
  EnterStep: (s, { step }, at) => [
    { type: 'StepEntered', data: { step, stepIndex: stepIndex(s, step), at } },
  ],
  CompleteStep: (s, { step }, at) => completeStep(s, step, at),
  AskQuestion: (s, data, at) => {
    stepIndex(s, data.step);
    return [{ type: 'QuestionAsked', data: { ...data, at } }];
  },
  AnswerQuestion: (s, data, at) => {
    stepIndex(s, data.step);
    requireCount(data.answerLength, 'answerLength');
    return [{ type: 'QuestionAnswered', data: { ...data, at } }];
  },
  RecordError: (s, data, at) => {
    if (data.step !== null) stepIndex(s, data.step);
    return [{ type: 'ErrorOccurred', data: { ...data, at } }];
  },
  AcceptUpload: (_s, data, at) => {
    requireCount(data.sizeBytes, 'sizeBytes');
    return [{ type: 'UploadAccepted', data: { ...data, at } }];
  },
  RejectUpload: (_s, data, at) => [{ type: 'UploadRejected', data: { ...data, at } }],
  SaveCheckpoint: (s, data, at) => saveCheckpoint(s, data, at),
  ResumeSession: (_s, data, at) => [{ type: 'SessionResumed', data: { ...data, at } }],
  RecordRateLimitHit: (_s, { resource }, at) => [{ type: 'RateLimitHit', data: { resource, at } }],
  CompleteSession: (s, _data, at) => completeSession(s, at),
  CancelSession: (_s, { reason }, at) => [{ type: 'SessionCancelled', data: { reason, at } }],
  AbandonSession: (s, { endedAt, ...data }, at) => {
    requireCount(data.idleSeconds, 'idleSeconds');
    if (endedAt === undefined) return [{ type: 'SessionAbandoned', data: { ...data, at } }];
    const end = Date.parse(endedAt);
    if (Number.isNaN(end) || end < Date.parse(s.lastActivityAt) || end > Date.parse(at))
      throw new DomainError(
        'validation_error',
        'endedAt must lie between the last activity and the detection',
      );
    return [
      {
        type: 'SessionAbandoned',
        data: { ...data, detectedAt: at, at: new Date(end).toISOString() },
      },
    ];
  },
};

const decideActive = <C extends ActiveCommand>(command: C, state: SessionState): Decision =>
  (deciders[command.type] as (s: SessionState, d: C['data'], at: string) => Decision)(
    state,
    command.data,
    command.metadata.now,
  );

/**
 * Pure: decide(command, state) → events, or a DomainError. No clock, ids or I/O: the time comes
 * from command metadata and ids from the command data.
 */
export const decide = (command: OnboardingCommand, state: OnboardingState): Decision => {
  if (command.type === 'StartSession') return start(command, state);
  if (state === null) throw new DomainError('session_not_found', 'session has not started');
  if (state.status !== 'active') {
    throw new DomainError(
      'session_ended',
      `session is ${state.status}; no further activity is accepted`,
    );
  }
  return decideActive(command, state);
};
