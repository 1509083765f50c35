import type { CommandMetadata } from '../../events/envelope';
import type { Sealed } from '../../events/sealed';
import type { OnboardingCommand } from '../../events/onboarding/commands';
import type { Activity } from './schemas';

/**
 * Maps a client activity to a domain command. An answer's text is personal data: it arrives here
 * already sealed with the subject's key (`answer`), never in clear (see README, "Privacy").
 */
export const toCommand = (
  activity: Activity,
  metadata: CommandMetadata,
  answer: Sealed | null = null,
): OnboardingCommand => {
  switch (activity.type) {
    case 'step_entered':
      return { type: 'EnterStep', data: { step: activity.step }, metadata };
    case 'step_completed':
      return { type: 'CompleteStep', data: { step: activity.step }, metadata };
    case 'question_asked':
      return {
        type: 'AskQuestion',
        data: { step: activity.step, questionId: activity.question_id },
        metadata,
      };
    case 'question_answered':
      return {
        type: 'AnswerQuestion',
        data: {
          step: activity.step,
          questionId: activity.question_id,
          answerLength: activity.answer_length ?? [...(activity.answer ?? '')].length,
          answer,
        },
        metadata,
      };
    case 'error_occurred':
      return {
        type: 'RecordError',
        data: {
          step: activity.step,
          category: activity.category,
          code: activity.code,
          retryable: activity.retryable,
        },
        metadata,
      };
    case 'session_completed':
      return { type: 'CompleteSession', data: {}, metadata };
    case 'session_cancelled':
      return { type: 'CancelSession', data: { reason: activity.reason }, metadata };
    default: {
      const unknownActivity: never = activity;
      return unknownActivity;
    }
  }
};
