import type { CommandMetadata, EventMetadata } from '../../events/envelope';
import type { Principal } from '../../infra/auth/jwt';

/**
 * Who asks for a change, on whose behalf and when: everything a command and the events it
 * decides carry besides their data. Built once per request (or per background task) and handed
 * to the write path, so no caller assembles metadata by hand.
 */
export type CommandContext = Readonly<{
  now: Date;
  correlationId: string;
  tenantId: string;
  /** `role:subject` for callers, `system:<task>` for Waymark's own processes. */
  actor: string;
}>;

export const actorOf = (who: Principal): string => `${who.role}:${who.subject}`;

/** The context of a request by an authenticated caller. */
export const callerContext = (
  who: Principal,
  correlationId: string,
  now: Date,
): CommandContext => ({
  now,
  correlationId,
  tenantId: who.tenantId,
  actor: actorOf(who),
});

/** The context of one of Waymark's own tasks acting on a tenant's session. */
export const systemContext = (
  task: string,
  tenantId: string,
  correlationId: string,
  now: Date,
): CommandContext => ({ now, correlationId, tenantId, actor: `system:${task}` });

export const eventMetadataOf = (ctx: CommandContext): EventMetadata => ({
  correlationId: ctx.correlationId,
  tenantId: ctx.tenantId,
  actor: ctx.actor,
});

export const commandMetadataOf = (ctx: CommandContext): CommandMetadata => ({
  now: ctx.now.toISOString(),
  correlationId: ctx.correlationId,
});
