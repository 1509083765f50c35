import { Router } from 'express';
import { correlationIdOf, principalOf } from '../api/http/context';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { sessionIdParam } from '../sessions/schemas';
import { requireAdmin } from '../shared/tenantScope';
import { validate } from '../shared/validate';
import { auditTrail, eraseForCaller, exportForCaller, type PrivacyDeps } from './privacyRequests';
import { auditQuery, eraseBody, subjectIdParam } from './schemas';

export type PrivacyRoutesDeps = PrivacyDeps & Readonly<{ limit: RateLimitFactory }>;

/** Export of a session (owner, admins), erasure of a data subject and the audit trail (admins). */
export const createPrivacyRoutes = (deps: PrivacyRoutesDeps): Router => {
  const router = Router();

  router.get('/sessions/:id/export/', deps.limit('session_export'), async (req, res) => {
    const who = principalOf(res);
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    res.json(await exportForCaller(deps, { who, correlationId: correlationIdOf(res) }, sessionId));
  });

  router.post('/admin/subjects/:subject/erase/', deps.limit('admin'), async (req, res) => {
    const who = requireAdmin(principalOf(res));
    const userId = validate(subjectIdParam, req.params.subject, 'subject id');
    const body = validate(eraseBody, req.body ?? {});
    const done = await eraseForCaller(
      deps,
      { who, correlationId: correlationIdOf(res) },
      { userId, tenantId: body.tenant_id, confirm: body.confirm },
    );
    res.json({
      subject_id: userId,
      erased: true,
      key_existed: done.keyExisted,
      sessions: done.sessions,
      files_removed: done.filesRemoved,
      erased_at: done.erasedAt,
    });
  });

  router.get('/admin/audit/', deps.limit('admin'), async (req, res) => {
    const who = requireAdmin(principalOf(res));
    const q = validate(auditQuery, req.query, 'query');
    const { entries, total } = await auditTrail(deps.sql, who, q);
    res.json({ entries, pagination: { page: q.page, page_size: q.page_size, total } });
  });

  return router;
};
