import { Router, type Response } from 'express';
import { correlationIdOf, principalOf } from '../api/http/context';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { requireAdmin, requireSuperadmin } from '../shared/tenantScope';
import { validate } from '../shared/validate';
import {
  bulkRetry,
  deleteTask,
  inspectTask,
  listTasks,
  retryTask,
  type AdminCaller,
  type DeadLetterAdminDeps,
} from './deadLetterAdmin';
import { clearDeadLetters, deadLetterStats } from './deadLetterMaintenance';
import { bulkRetryBody, clearBody, listQuery, retryBody, statsQuery, taskIdParam } from './schemas';
import { dlqDetailView, dlqItemView } from './views';

export type DlqRoutesDeps = DeadLetterAdminDeps &
  Readonly<{
    basePath: string;
    retentionDays: number;
    /** DLQ_MAX_QUEUE_SIZE, shown in the stats. */
    maxQueueSize: number;
    /** ANALYTICS_DEFAULT_TIME_RANGE_HOURS: the stats window when the request names none. */
    defaultTimeRangeHours: number;
    clock: () => Date;
    limit: RateLimitFactory;
  }>;

const adminCaller = (res: Response): AdminCaller => ({
  who: requireAdmin(principalOf(res)),
  correlationId: correlationIdOf(res),
});

/** The dead-letter queue for admins: list, inspect, retry, bulk retry, delete, stats, clear. */
export const createDlqRoutes = (deps: DlqRoutesDeps): Router => {
  const router = Router();

  router.get('/admin/dlq/tasks/', deps.limit('admin'), async (req, res) => {
    const { who } = adminCaller(res);
    const q = validate(listQuery, req.query, 'query');
    const { count, rows } = await listTasks(deps, who, q);
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

  router.post('/admin/dlq/tasks/retry/', deps.limit('admin'), async (req, res) => {
    const caller = adminCaller(res);
    const body = validate(bulkRetryBody, req.body);
    const { dryRun, ids, results } = await bulkRetry(deps, caller, body);
    res.json(
      dryRun
        ? { dry_run: true, matching_count: ids.length }
        : { dry_run: false, matching_count: ids.length, results },
    );
  });

  router.get('/admin/dlq/tasks/:id/', deps.limit('admin'), async (req, res) => {
    const { who } = adminCaller(res);
    const id = validate(taskIdParam, req.params.id, 'task id');
    const { entry, history } = await inspectTask(deps, who, id);
    res.json(dlqDetailView(entry, history));
  });

  router.post('/admin/dlq/tasks/:id/retry/', deps.limit('admin'), async (req, res) => {
    const caller = adminCaller(res);
    const { force } = validate(retryBody, req.body ?? {});
    const id = validate(taskIdParam, req.params.id, 'task id');
    const { entry, result } = await retryTask(deps, caller, id, force);
    res.json({
      status: result.status,
      message:
        result.status === 'resolved' ? 'session re-driven from the event store' : 'retry failed',
      task_id: entry.id,
      retry_count: entry.retry_count + 1,
      max_retries: entry.max_retries,
      resolved_task_ids: result.resolvedIds,
      error: result.error,
      // A retry re-drives the session from the event store synchronously: no task queue.
      celery_task_id: null,
      estimated_completion: null,
    });
  });

  router.delete('/admin/dlq/tasks/:id/delete/', deps.limit('admin'), async (req, res) => {
    const caller = adminCaller(res);
    const id = validate(taskIdParam, req.params.id, 'task id');
    const entry = await deleteTask(deps, caller, id);
    res.json({
      status: 'deleted',
      message: 'the task was removed from the dead-letter queue',
      task_id: entry.id,
      deleted_at: deps.clock().toISOString(),
      deleted: true,
    });
  });

  router.get('/admin/dlq/stats/', deps.limit('admin'), async (req, res) => {
    const caller = adminCaller(res);
    const { time_range_hours, client_id } = validate(statsQuery, req.query, 'query');
    const hours = time_range_hours ?? deps.defaultTimeRangeHours;
    const now = deps.clock();
    const s = await deadLetterStats(deps.sql, caller, { time_range_hours: hours, client_id }, now);
    res.json({
      total_failed_tasks: s.total,
      tasks_by_status: s.byStatus,
      tasks_by_category: s.byCategory,
      tasks_by_name: s.byName,
      retry_statistics: {
        total_retries: s.retries,
        tasks_retried: s.retried,
        successful_retries: s.successfulRetries,
        failed_retries: s.failedRetries,
        // Percent of recorded retry attempts that resolved their task; null before any attempt.
        success_rate:
          s.successfulRetries + s.failedRetries === 0
            ? null
            : Math.round((10_000 * s.successfulRetries) / (s.successfulRetries + s.failedRetries)) /
              100,
      },
      average_retry_count: s.averageRetries,
      oldest_task_age_hours: s.oldestAgeHours,
      time_range: {
        hours,
        start: new Date(now.getTime() - hours * 3_600_000).toISOString(),
        end: now.toISOString(),
      },
      retention_days: deps.retentionDays,
      max_queue_size: deps.maxQueueSize,
      last_updated: now.toISOString(),
    });
  });

  router.delete('/admin/dlq/clear/', deps.limit('admin'), async (req, res) => {
    const caller = adminCaller(res);
    requireSuperadmin(caller.who, 'clearing the DLQ');
    const body = validate(clearBody, req.body ?? {});
    const result = await clearDeadLetters(deps.sql, caller, body);
    res.json(
      result.dryRun
        ? { dry_run: true, matching_count: result.matching }
        : {
            status: 'cleared',
            message: `${result.deleted} task(s) removed from the dead-letter queue`,
            deleted_count: result.deleted,
            filters_applied: Object.fromEntries(
              (['status', 'category', 'task_name', 'client_id', 'older_than_hours'] as const)
                .filter((k) => body[k] !== undefined)
                .map((k) => [k, body[k]]),
            ),
            cleared_at: deps.clock().toISOString(),
          },
    );
  });

  return router;
};
