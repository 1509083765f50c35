import { Router, type Request, type Response } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import { audit } from '../../infra/postgres/auditLog';
import * as dlq from '../../infra/postgres/dlqQueries';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { RetryUnavailableError, type DeadLetterRetry } from './retryDeadLetter';
import { correlationIdOf } from '../api/http/context';
import { bulkRetryBody, listQuery, retryBody, taskIdParam } from './schemas';
import { dlqDetailView, dlqItemView } from './views';
import { HttpError } from '../api/http/httpError';
import { actorOf, adminOf, filtersOf, scopeOf } from '../shared/tenantScope';
import { validate } from '../api/http/validate';

export type AdminDlqDeps = Readonly<{
  sql: SqlClient;
  retry: DeadLetterRetry;
  basePath: string;
  retentionDays: number;
}>;

export const createAdminDlqRoutes = (deps: AdminDlqDeps): Router => {
  const router = Router();
  const { sql } = deps;
  const auditFor = (
    who: Principal,
    res: Response,
    what: Readonly<{ action: string; target: string | null; details: object }>,
  ) =>
    sql.transaction((tx) =>
      audit(tx, {
        tenantId: who.tenantId,
        actor: actorOf(who),
        ...what,
        correlationId: correlationIdOf(res),
      }),
    );

  const loadEntry = async (req: Request, who: Principal) => {
    const id = validate(taskIdParam, req.params.id, 'task id');
    const entry = await dlq.getEntry(sql, scopeOf(who, undefined), id);
    if (entry === null) throw new HttpError(404, 'task_not_found', 'no such dead-letter task');
    return entry;
  };

  const retryOne = async (entry: dlq.DlqEntry, who: Principal, force: boolean) => {
    if (entry.status === 'resolved')
      throw new HttpError(409, 'already_resolved', 'this task is resolved', {
        extra: { task_id: entry.id },
      });
    if (entry.retry_count >= entry.max_retries && !force) {
      throw new HttpError(
        409,
        'max_retries_exceeded',
        'retries are used up; pass force: true to retry anyway',
        {
          extra: {
            task_id: entry.id,
            retry_count: entry.retry_count,
            max_retries: entry.max_retries,
          },
        },
      );
    }
    try {
      return await deps.retry(entry, actorOf(who));
    } catch (error) {
      if (error instanceof RetryUnavailableError)
        throw new HttpError(409, 'retry_unavailable', 'this consumer has no retry path');
      throw error;
    }
  };

  router.get('/admin/dlq/tasks/', async (req, res) => {
    const who = adminOf(res);
    const q = validate(listQuery, req.query, 'query');
    const { count, rows } = await dlq.listEntries(sql, scopeOf(who, q.client_id), filtersOf(q), {
      limit: q.page_size,
      offset: (q.page - 1) * q.page_size,
    });
    const link = (page: number) => {
      const params = new URLSearchParams(
        Object.entries({ ...q, page }).map(([k, v]): [string, string] => [k, String(v)]),
      );
      return `${deps.basePath}/admin/dlq/tasks/?${params.toString()}`;
    };
    res.json({
      count,
      next: q.page * q.page_size < count ? link(q.page + 1) : null,
      previous: q.page > 1 ? link(q.page - 1) : null,
      results: rows.map(dlqItemView),
    });
  });

  router.post('/admin/dlq/tasks/retry/', async (req, res) => {
    const who = adminOf(res);
    const body = validate(bulkRetryBody, req.body);
    const ids = (
      await dlq.matchingIds(sql, scopeOf(who, body.client_id), {
        ...filtersOf(body),
        status: body.status,
      })
    ).slice(0, body.limit);
    if (body.dry_run) return void res.json({ dry_run: true, matching_count: ids.length });
    const results: { task_id: string; status: string }[] = [];
    for (const id of ids) {
      const entry = await dlq.getEntry(sql, scopeOf(who, body.client_id), id);
      if (
        entry === null ||
        entry.status === 'resolved' ||
        (entry.retry_count >= entry.max_retries && !body.force)
      ) {
        results.push({
          task_id: id,
          status: entry?.status === 'resolved' ? 'resolved' : 'skipped',
        });
        continue;
      }
      results.push({ task_id: id, status: (await retryOne(entry, who, body.force)).status });
    }
    await auditFor(who, res, {
      action: 'dlq.bulk_retry',
      target: null,
      details: { filters: body, count: ids.length },
    });
    res.json({ dry_run: false, matching_count: ids.length, results });
  });

  router.get('/admin/dlq/tasks/:id/', async (req, res) => {
    const entry = await loadEntry(req, adminOf(res));
    res.json(dlqDetailView(entry, await dlq.retryHistory(sql, entry.id)));
  });

  router.post('/admin/dlq/tasks/:id/retry/', async (req, res) => {
    const who = adminOf(res);
    const { force } = validate(retryBody, req.body ?? {});
    const entry = await loadEntry(req, who);
    const result = await retryOne(entry, who, force);
    await auditFor(who, res, {
      action: 'dlq.retry',
      target: entry.id,
      details: {
        force,
        status: result.status,
        resolved: result.resolvedIds.length,
      },
    });
    res.json({
      status: result.status,
      message:
        result.status === 'resolved' ? 'session re-driven from the event store' : 'retry failed',
      task_id: entry.id,
      retry_count: entry.retry_count + 1,
      max_retries: entry.max_retries,
      resolved_task_ids: result.resolvedIds,
      error: result.error,
      estimated_completion: null,
    });
  });

  router.delete('/admin/dlq/tasks/:id/delete/', async (req, res) => {
    const who = adminOf(res);
    const entry = await loadEntry(req, who);
    await sql.transaction(async (tx) => {
      await dlq.deleteEntries(tx, [entry.id]);
      await audit(tx, {
        tenantId: who.tenantId,
        actor: actorOf(who),
        action: 'dlq.delete',
        target: entry.id,
        details: {},
        correlationId: correlationIdOf(res),
      });
    });
    res.json({ deleted: true, task_id: entry.id });
  });

  return router;
};
