import { audit } from '../../infra/postgres/auditLog';
import * as dlq from '../../infra/postgres/dlqQueries';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { AppError } from '../shared/appError';
import { actorOf } from '../shared/commandContext';
import { requireSuperadmin, scopeOf } from '../shared/tenantScope';
import type { AdminCaller } from './deadLetterAdmin';

/** Counts of the caller's dead letters created in the last `hours`, by status, category and consumer. */
export const deadLetterStats = async (
  sql: SqlClient,
  caller: AdminCaller,
  q: Readonly<{ time_range_hours: number; client_id?: string | undefined }>,
  now: Date,
) => {
  const stats = await dlq.dlqStats(sql, scopeOf(caller.who, q.client_id), q.time_range_hours);
  const oldest = stats.totals?.oldest ?? null;
  return {
    total: Number(stats.totals?.total ?? 0),
    byStatus: stats.byStatus,
    byCategory: stats.byCategory,
    byName: stats.byName,
    retries: Number(stats.totals?.retries ?? 0),
    retried: Number(stats.totals?.retried ?? 0),
    successfulRetries: stats.successfulRetries,
    failedRetries: stats.failedRetries,
    averageRetries: Number(stats.totals?.avg ?? 0),
    oldestAgeHours:
      oldest === null ? null : (now.getTime() - new Date(oldest).getTime()) / 3_600_000,
  };
};

type ClearRequest = Readonly<{
  status?: dlq.DlqStatus | undefined;
  category?: string | undefined;
  task_name?: string | undefined;
  client_id?: string | undefined;
  older_than_hours?: number | undefined;
  confirm: boolean;
  dry_run: boolean;
}>;

/**
 * Deletes every matching dead letter: superadmin only, a dry run counts, anything else needs
 * `confirm`. The deletion and its audit line are one transaction.
 */
export const clearDeadLetters = async (sql: SqlClient, caller: AdminCaller, body: ClearRequest) => {
  const who = requireSuperadmin(caller.who, 'clearing the DLQ');
  const filters = {
    status: body.status,
    category: body.category,
    taskName: body.task_name,
    olderThanHours: body.older_than_hours,
  };
  const ids = await dlq.matchingIds(sql, scopeOf(who, body.client_id), filters);
  if (body.dry_run) return { dryRun: true, matching: ids.length, deleted: 0 };
  if (!body.confirm) {
    throw new AppError(
      'invalid',
      'confirmation_required',
      'send confirm: true to delete the matching tasks',
      { extra: { matching_count: ids.length, matching_tasks: ids.length } },
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
      correlationId: caller.correlationId,
    });
    return n;
  });
  return { dryRun: false, matching: ids.length, deleted };
};
