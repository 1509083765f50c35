import type { Sealed } from '../../events/sealed';
import type { SessionIntent } from './handleCommand';
import type { Activity } from './schemas';

/**
 * Maps a client activity to a command on its session. An answer's text is personal data: it arrives here
 * already sealed with the subject's key (`answer`), never in clear (see README, "Privacy").
 */
export const toIntent = (activity: Activity, answer: Sealed | null = null): SessionIntent => {
  switch (activity.type) {
    case 'step_entered':
      return { type: 'EnterStep', data: { step: activity.step } };
    case 'step_completed':
      return { type: 'CompleteStep', data: { step: activity.step } };
    case 'question_asked':
      return {
        type: 'AskQuestion',
        data: { step: activity.step, questionId: activity.question_id },
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
      };
    case 'session_completed':
      return { type: 'CompleteSession', data: {} };
    case 'session_cancelled':
      return { type: 'CancelSession', data: { reason: activity.reason } };
    default: {
      const unknownActivity: never = activity;
      return unknownActivity;
    }
  }
};
