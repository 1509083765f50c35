import { Router } from 'express';
import { audit } from '../../infra/postgres/auditLog';
import * as dlq from '../../infra/postgres/dlqQueries';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { actorOf, adminOf, scopeOf } from '../shared/tenantScope';
import { correlationIdOf } from '../api/http/context';
import { clearBody, statsQuery } from './schemas';
import { HttpError } from '../api/http/httpError';
import { validate } from '../api/http/validate';

/** DLQ statistics (admins, tenant-scoped) and clearing (superadmin, confirmed, audited). */
export const createAdminDlqMaintenanceRoutes = (
  deps: Readonly<{ sql: SqlClient; retentionDays: number }>,
): Router => {
  const router = Router();
  const { sql } = deps;
  router.get('/admin/dlq/stats/', async (req, res) => {
    const who = adminOf(res);
    const q = validate(statsQuery, req.query, 'query');
    const stats = await dlq.dlqStats(sql, scopeOf(who, q.client_id), q.time_range_hours);
    const oldest = stats.totals?.oldest ?? null;
    res.json({
      total_failed_tasks: Number(stats.totals?.total ?? 0),
      tasks_by_status: stats.byStatus,
      tasks_by_category: stats.byCategory,
      tasks_by_name: stats.byName,
      retry_statistics: {
        total_retries: Number(stats.totals?.retries ?? 0),
        tasks_retried: Number(stats.totals?.retried ?? 0),
      },
      average_retry_count: Number(stats.totals?.avg ?? 0),
      oldest_task_age_hours:
        oldest === null ? null : (Date.now() - new Date(oldest).getTime()) / 3_600_000,
      time_range: {
        hours: q.time_range_hours,
        start: new Date(Date.now() - q.time_range_hours * 3_600_000).toISOString(),
        end: new Date().toISOString(),
      },
      retention_days: deps.retentionDays,
      last_updated: new Date().toISOString(),
    });
  });

  router.delete('/admin/dlq/clear/', async (req, res) => {
    const who = adminOf(res);
    if (who.role !== 'superadmin')
      throw new HttpError(403, 'forbidden', 'clearing the DLQ needs the superadmin role');
    const body = validate(clearBody, req.body ?? {});
    const filters = {
      status: body.status,
      category: body.category,
      taskName: body.task_name,
      olderThanHours: body.older_than_hours,
    };
    const ids = await dlq.matchingIds(sql, scopeOf(who, body.client_id), filters);
    if (body.dry_run) return void res.json({ dry_run: true, matching_count: ids.length });
    if (!body.confirm) {
      throw new HttpError(
        400,
        'confirmation_required',
        'send confirm: true to delete the matching tasks',
        { extra: { matching_count: ids.length } },
      );
    }
    const deleted = await sql.transaction(async (tx) => {
      const n = await dlq.deleteEntries(tx, ids);
      await audit(tx, {
        tenantId: who.tenantId,
        actor: actorOf(who),
        action: 'dlq.clear',
        target: null,
        details: { filters: body, count: n },
        correlationId: correlationIdOf(res),
      });
      return n;
    });
    res.json({ deleted_count: deleted });
  });

  return router;
};
