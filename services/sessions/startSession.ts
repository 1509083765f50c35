import type { Flow } from '../../events/onboarding/flows';
import type { SessionState } from '../../events/onboarding/state';
import { userSessionsStream, type SessionClaimed } from '../../events/userSessions/userSessions';
import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { AppError } from '../shared/appError';
import { eventMetadataOf, type CommandContext } from '../shared/commandContext';
import type { CommandHandler } from './handleCommand';
import { loadSession } from './loadSession';
import { retryOnConflict } from './retryOnConflict';

/** What a caller asks for when starting a session (the validated body of `conversation/start/`). */
export type StartRequest = Readonly<{
  userId: string | undefined;
  flowId: string | undefined;
  language: string;
  channel: string;
  userType: string;
  clientContext: Readonly<Record<string, unknown>>;
  resumeExisting: boolean;
}>;

export type StartSessionResult =
  | Readonly<{ outcome: 'started' | 'resumed'; session: SessionState; version: number }>
  | Readonly<{ outcome: 'active_session_exists'; session: SessionState }>;

export type StartSessionDeps = Readonly<{
  eventStore: EventStore;
  handle: CommandHandler;
  newId: () => string;
  flows: ReadonlyMap<string, Flow>;
}>;

/** Users start sessions for themselves; services for a user of their tenant they must name. */
const ownerOf = (who: Principal, requested: string | undefined): string => {
  if (who.role === 'user') {
    if (requested !== undefined && requested !== who.subject) {
      throw new AppError('forbidden', 'forbidden', 'a user may only start sessions for itself');
    }
    return who.subject;
  }
  if (who.role !== 'service')
    throw new AppError('forbidden', 'forbidden', 'only users and services start sessions');
  if (requested === undefined) {
    throw new AppError('invalid', 'validation_error', 'the request is not valid', {
      fieldErrors: { user_id: ['required for services'] },
    });
  }
  return requested;
};

const flowOf = (flows: ReadonlyMap<string, Flow>, flowId: string | undefined): Flow => {
  const flow = flows.get(flowId ?? 'default');
  if (flow === undefined)
    throw new AppError('invalid', 'unknown_flow', 'no flow with that id', {
      fieldErrors: { flow_id: ['unknown flow'] },
    });
  return flow;
};

/** A client id is kept only when it is a plain identifier (it is stored in the clear). */
const clientIdOf = (context: Readonly<Record<string, unknown>>): string | null => {
  const id = context.client_id;
  return typeof id === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(id) ? id : null;
};

/**
 * Starts a session unless the user already has an active one (then: resume it when asked, else
 * report it). The claim on the user's index stream is appended with its expected version before
 * the session's first event, so concurrent starts for one user yield one session; a lost race
 * is decided again (3 attempts). If the process dies between the two appends, the claim points at
 * a session with no events, which counts as not active: the next start simply claims again.
 */
export const createStartSession =
  (deps: StartSessionDeps) =>
  async (
    who: Principal,
    request: StartRequest,
    ctx: CommandContext,
  ): Promise<StartSessionResult> => {
    const flow = flowOf(deps.flows, request.flowId);
    const userId = ownerOf(who, request.userId);
    const indexStream = userSessionsStream(who.tenantId, userId);
    const claimed = await retryOnConflict(
      async (): Promise<StartSessionResult | string> => {
        const index = await deps.eventStore.readStream(indexStream);
        const previous = (index.events.at(-1) as SessionClaimed | undefined)?.data.sessionId;
        if (previous !== undefined) {
          const existing = await loadSession(deps.eventStore, previous);
          if (existing.state?.status === 'active') {
            return request.resumeExisting
              ? { outcome: 'resumed', session: existing.state, version: existing.version }
              : { outcome: 'active_session_exists', session: existing.state };
          }
        }
        const sessionId = deps.newId();
        const claim: SessionClaimed = {
          type: 'SessionClaimed',
          data: { sessionId, at: ctx.now.toISOString() },
        };
        await deps.eventStore.appendToStream(
          indexStream,
          [{ eventId: deps.newId(), ...claim, metadata: eventMetadataOf(ctx) }],
          { expectedVersion: index.version },
        );
        return sessionId;
      },
      { attempts: 3 },
    );
    if (typeof claimed !== 'string') return claimed;
    const { language, channel, userType } = request;
    const result = await deps.handle(
      claimed,
      [
        {
          type: 'StartSession',
          data: {
            sessionId: claimed,
            tenantId: who.tenantId,
            userId,
            flow,
            language,
            channel,
            userType,
            clientId: clientIdOf(request.clientContext),
          },
        },
      ],
      ctx,
      { expectedVersion: -1 },
    );
    if (result.state === null) throw new Error('session did not start');
    return { outcome: 'started', session: result.state, version: result.version };
  };

export type StartSession = ReturnType<typeof createStartSession>;
