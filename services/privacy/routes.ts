import { Router } from 'express';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { audit, listAudit } from '../../infra/postgres/auditLog';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import type { FileStorage } from '../../infra/storage/fileStorage';
import type { createEraseSubject } from './eraseSubject';
import { exportSession } from './exportSession';
import { actorOf, adminOf, scopeOf } from '../shared/tenantScope';
import { correlationIdOf, principalOf } from '../api/http/context';
import { HttpError } from '../api/http/httpError';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { auditQuery, eraseBody, subjectIdParam } from './schemas';
import { readableSession } from '../sessions/sessionLookup';
import { validate } from '../api/http/validate';

export type PrivacyDeps = Readonly<{
  sql: SqlClient;
  eventStore: EventStore;
  cipher: FieldCipher;
  storage: FileStorage;
  erase: ReturnType<typeof createEraseSubject>;
  limit: RateLimitFactory;
}>;

/** Export of a session (owner, admins), erasure of a data subject and the audit trail (admins). */
export const createPrivacyRoutes = (deps: PrivacyDeps): Router => {
  const router = Router();

  router.get('/sessions/:id/export/', deps.limit('session_export'), async (req, res) => {
    const who = principalOf(res);
    const { sessionId, state } = await readableSession(deps, req, who);
    if (who.role === 'service')
      throw new HttpError(403, 'forbidden', 'exports are for the person and admins');
    const body = await exportSession(deps, sessionId);
    await audit(deps.sql, {
      tenantId: state.tenantId,
      actor: actorOf(who),
      action: 'session.export',
      target: sessionId,
      details: { events: body.events.length, observations: body.observations.length },
      correlationId: correlationIdOf(res),
    });
    res.json(body);
  });

  router.post('/admin/subjects/:subject/erase/', async (req, res) => {
    const who = adminOf(res);
    const userId = validate(subjectIdParam, req.params.subject, 'subject id');
    const body = validate(eraseBody, req.body ?? {});
    if (!body.confirm)
      throw new HttpError(
        400,
        'confirmation_required',
        'erasure cannot be undone: send confirm: true',
      );
    const tenantId = who.role === 'superadmin' ? body.tenant_id : who.tenantId;
    if (tenantId === undefined)
      throw new HttpError(400, 'validation_error', 'the request is not valid', {
        fieldErrors: { tenant_id: ['required for superadmin'] },
      });
    if (
      who.role !== 'superadmin' &&
      body.tenant_id !== undefined &&
      body.tenant_id !== who.tenantId
    )
      throw new HttpError(403, 'forbidden', 'other tenants are not visible');
    const done = await deps.erase({
      tenantId,
      userId,
      actor: actorOf(who),
      correlationId: correlationIdOf(res),
    });
    res.json({
      subject_id: userId,
      erased: true,
      key_existed: done.keyExisted,
      sessions: done.sessions,
      files_removed: done.filesRemoved,
      erased_at: done.erasedAt,
    });
  });

  router.get('/admin/audit/', async (req, res) => {
    const who = adminOf(res);
    const q = validate(auditQuery, req.query, 'query');
    const { tenantId } = scopeOf(who, q.client_id);
    const { entries, total } = await listAudit(
      deps.sql,
      {
        tenantId,
        ...(q.action ? { action: q.action } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.since ? { since: new Date(q.since) } : {}),
        ...(q.until ? { until: new Date(q.until) } : {}),
      },
      { limit: q.page_size, offset: (q.page - 1) * q.page_size },
    );
    res.json({ entries, pagination: { page: q.page, page_size: q.page_size, total } });
  });

  return router;
};
