import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { audit, listAudit } from '../../infra/postgres/auditLog';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import type { FileStorage } from '../../infra/storage/fileStorage';
import { findReadableSession } from '../sessions/findSession';
import type { SessionLoader } from '../sessions/handleCommand';
import { AppError } from '../shared/appError';
import { actorOf } from '../shared/commandContext';
import { scopeOf } from '../shared/tenantScope';
import type { EraseSubject } from './eraseSubject';
import { exportSession } from './exportSession';

export type PrivacyDeps = Readonly<{
  sql: SqlClient;
  load: SessionLoader;
  eventStore: EventStore;
  cipher: FieldCipher;
  storage: FileStorage;
  erase: EraseSubject;
}>;

export type Caller = Readonly<{ who: Principal; correlationId: string }>;

/** A session's data with personal fields opened, for the person and admins, audited. */
export const exportForCaller = async (deps: PrivacyDeps, caller: Caller, sessionId: string) => {
  const { who } = caller;
  const { state } = await findReadableSession(deps.load, who, sessionId);
  if (who.role === 'service')
    throw new AppError('forbidden', 'forbidden', 'exports are for the person and admins');
  const body = await exportSession(deps, sessionId);
  await audit(deps.sql, {
    tenantId: state.tenantId,
    actor: actorOf(who),
    action: 'session.export',
    target: sessionId,
    details: { events: body.events.length, observations: body.observations.length },
    correlationId: caller.correlationId,
  });
  return body;
};

/**
 * Erases a data subject of the admin's tenant (superadmin: of the tenant named). Erasure cannot
 * be undone, so it needs `confirm`.
 */
export const eraseForCaller = async (
  deps: PrivacyDeps,
  caller: Caller,
  request: Readonly<{ userId: string; tenantId: string | undefined; confirm: boolean }>,
) => {
  const { who } = caller;
  if (!request.confirm)
    throw new AppError(
      'invalid',
      'confirmation_required',
      'erasure cannot be undone: send confirm: true',
    );
  const tenantId = who.role === 'superadmin' ? request.tenantId : who.tenantId;
  if (tenantId === undefined)
    throw new AppError('invalid', 'validation_error', 'the request is not valid', {
      fieldErrors: { tenant_id: ['required for superadmin'] },
    });
  if (
    who.role !== 'superadmin' &&
    request.tenantId !== undefined &&
    request.tenantId !== who.tenantId
  )
    throw new AppError('forbidden', 'forbidden', 'other tenants are not visible');
  return deps.erase({
    tenantId,
    userId: request.userId,
    actor: actorOf(who),
    correlationId: caller.correlationId,
  });
};

export type AuditQuery = Readonly<{
  action?: string | undefined;
  actor?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  client_id?: string | undefined;
  page: number;
  page_size: number;
}>;

/** The audit trail of the caller's tenant (superadmin: all, or one), newest first. */
export const auditTrail = (sql: SqlClient, who: Principal, q: AuditQuery) =>
  listAudit(
    sql,
    {
      tenantId: scopeOf(who, q.client_id).tenantId,
      ...(q.action ? { action: q.action } : {}),
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.since ? { since: new Date(q.since) } : {}),
      ...(q.until ? { until: new Date(q.until) } : {}),
    },
    { limit: q.page_size, offset: (q.page - 1) * q.page_size },
  );
