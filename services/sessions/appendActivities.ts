import type { SessionState } from '../../events/onboarding/state';
import { subjectOf } from '../../events/sealed';
import type { Principal } from '../../infra/auth/jwt';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import type { CommandContext } from '../shared/commandContext';
import { toIntent } from './activityCommands';
import { findReadableSession, requireWritable } from './findSession';
import type { CommandHandler, SessionLoader } from './handleCommand';
import type { Activity } from './schemas';

export type AppendActivitiesDeps = Readonly<{
  load: SessionLoader;
  handle: CommandHandler;
  cipher: FieldCipher;
}>;

/** An answer's text, sealed with the session subject's key before anything stores it. */
const sealAnswer = (cipher: FieldCipher, state: SessionState, activity: Activity) =>
  activity.type === 'question_answered' && activity.answer !== undefined
    ? cipher.seal(subjectOf(state.tenantId, state.userId), activity.answer)
    : Promise.resolve(null);

/**
 * Records what a user did (steps, questions, answers, errors, the end) as one atomic batch of
 * commands on their session; with `expectedVersion` the batch applies only to that version.
 */
export const createAppendActivities =
  (deps: AppendActivitiesDeps) =>
  async (
    who: Principal,
    sessionId: string,
    request: Readonly<{ activities: readonly Activity[]; expectedVersion: number | undefined }>,
    ctx: CommandContext,
  ) => {
    const { state, loaded } = await findReadableSession(deps.load, who, sessionId);
    requireWritable(who, state);
    const intents = await Promise.all(
      request.activities.map(async (a) => toIntent(a, await sealAnswer(deps.cipher, state, a))),
    );
    const result = await deps.handle(sessionId, intents, ctx, {
      ...(request.expectedVersion === undefined
        ? {}
        : { expectedVersion: request.expectedVersion }),
      loaded,
    });
    return { sessionId, version: result.version, appended: result.events.length };
  };

export type AppendActivities = ReturnType<typeof createAppendActivities>;
