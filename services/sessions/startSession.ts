import type { EventMetadata } from '../../events/envelope';
import type { StartSession } from '../../events/onboarding/commands';
import type { SessionState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import { userSessionsStream, type SessionClaimed } from '../../events/userSessions/userSessions';
import { WrongExpectedVersionError, type EventStore } from '../../infra/eventStore/eventStore';
import type { CommandHandler } from './handleCommand';
import { loadSession } from './loadSession';

export type StartSessionInput = Readonly<{
  data: Omit<StartSession['data'], 'sessionId'>;
  resumeExisting: boolean;
  now: string;
  metadata: EventMetadata;
}>;

export type StartSessionResult =
  | Readonly<{ outcome: 'started' | 'resumed'; session: SessionState; version: number }>
  | Readonly<{ outcome: 'active_session_exists'; session: SessionState }>;

/**
 * Starts a session unless the user already has an active one (then: resume it when asked, else
 * report it). The claim on the user's index stream is appended with its expected version before
 * the session's first event, so concurrent starts for one user yield one session. If the process
 * dies between the two appends, the claim points at a session with no events, which counts as
 * not active: the next start simply claims again.
 */
export const createStartSession =
  (deps: Readonly<{ eventStore: EventStore; handle: CommandHandler; newId: () => string }>) =>
  async (input: StartSessionInput): Promise<StartSessionResult> => {
    const { tenantId, userId } = input.data;
    const indexStream = userSessionsStream(tenantId, userId);
    for (let attempt = 1; ; attempt += 1) {
      const index = await deps.eventStore.readStream(indexStream);
      const claimed = (index.events.at(-1) as SessionClaimed | undefined)?.data.sessionId;
      if (claimed !== undefined) {
        const existing = await loadSession(deps.eventStore, onboardingStream(claimed));
        if (existing.state?.status === 'active') {
          return input.resumeExisting
            ? { outcome: 'resumed', session: existing.state, version: existing.version }
            : { outcome: 'active_session_exists', session: existing.state };
        }
      }
      const sessionId = deps.newId();
      const claim: SessionClaimed = { type: 'SessionClaimed', data: { sessionId, at: input.now } };
      try {
        await deps.eventStore.appendToStream(
          indexStream,
          [{ eventId: deps.newId(), type: claim.type, data: claim.data, metadata: input.metadata }],
          { expectedVersion: index.version },
        );
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && attempt < 3) continue;
        throw error;
      }
      const command: StartSession = {
        type: 'StartSession',
        data: { ...input.data, sessionId },
        metadata: { now: input.now, correlationId: input.metadata.correlationId },
      };
      const result = await deps.handle(onboardingStream(sessionId), [command], {
        expectedVersion: -1,
        metadata: input.metadata,
      });
      if (result.state === null) throw new Error('session did not start');
      return { outcome: 'started', session: result.state, version: result.version };
    }
  };
