import type { Response } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import type { DlqScope, DlqStatus } from '../../infra/postgres/dlqQueries';
import { principalOf } from '../api/http/context';
import { HttpError } from '../api/http/httpError';

/** Admin endpoints: admin (own tenant) or superadmin. */
export const adminOf = (res: Response): Principal => {
  const who = principalOf(res);
  if (who.role !== 'admin' && who.role !== 'superadmin')
    throw new HttpError(403, 'forbidden', 'admin role required');
  return who;
};

/** Admins see their tenant only; superadmin sees all, or one tenant with client_id. */
export const scopeOf = (who: Principal, clientId: string | undefined): DlqScope => {
  if (who.role === 'superadmin') return { tenantId: clientId ?? null };
  if (clientId !== undefined && clientId !== who.tenantId)
    throw new HttpError(403, 'forbidden', 'other tenants are not visible');
  return { tenantId: who.tenantId };
};

export const filtersOf = (q: {
  status?: DlqStatus;
  category?: string;
  task_name?: string;
  correlation_id?: string;
  session_id?: string;
}) => ({
  status: q.status,
  category: q.category,
  taskName: q.task_name,
  correlationId: q.correlation_id,
  sessionId: q.session_id,
});

export const actorOf = (who: Principal) => `${who.role}:${who.subject}`;
