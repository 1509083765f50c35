import type { OnboardingCommand, StartSession } from './commands';
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

/** Decides on a command against a live session (anything but StartSession). */
const decideActive = (
  command: Exclude<OnboardingCommand, StartSession>,
  state: SessionState,
): Decision => {
  const at = command.metadata.now;
  switch (command.type) {
    case 'EnterStep':
      return [
        {
          type: 'StepEntered',
          data: { step: command.data.step, stepIndex: stepIndex(state, command.data.step), at },
        },
      ];
    case 'CompleteStep':
      return completeStep(state, command.data.step, at);
    case 'AskQuestion':
      stepIndex(state, command.data.step);
      return [{ type: 'QuestionAsked', data: { ...command.data, at } }];
    case 'AnswerQuestion':
      stepIndex(state, command.data.step);
      requireCount(command.data.answerLength, 'answerLength');
      return [{ type: 'QuestionAnswered', data: { ...command.data, at } }];
    case 'RecordError':
      if (command.data.step !== null) stepIndex(state, command.data.step);
      return [{ type: 'ErrorOccurred', data: { ...command.data, at } }];
    case 'AcceptUpload':
      requireCount(command.data.sizeBytes, 'sizeBytes');
      return [{ type: 'UploadAccepted', data: { ...command.data, at } }];
    case 'RejectUpload':
      return [{ type: 'UploadRejected', data: { ...command.data, at } }];
    case 'SaveCheckpoint':
      if (command.data.checkpointVersion !== state.checkpointVersion + 1) {
        throw new DomainError(
          'illegal_state',
          `next checkpoint version is ${state.checkpointVersion + 1}`,
        );
      }
      return [{ type: 'CheckpointSaved', data: { ...command.data, at } }];
    case 'ResumeSession':
      return [{ type: 'SessionResumed', data: { ...command.data, at } }];
    case 'CompleteSession':
      return completeSession(state, at);
    case 'CancelSession':
      return [{ type: 'SessionCancelled', data: { reason: command.data.reason, at } }];
    case 'AbandonSession':
      requireCount(command.data.idleSeconds, 'idleSeconds');
      return [{ type: 'SessionAbandoned', data: { ...command.data, at } }];
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
};

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
