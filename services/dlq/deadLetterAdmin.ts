import type { Principal } from '../../infra/auth/jwt';
import { audit } from '../../infra/postgres/auditLog';
import * as dlq from '../../infra/postgres/dlqQueries';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { AppError } from '../shared/appError';
import { actorOf } from '../shared/commandContext';
import { scopeOf } from '../shared/tenantScope';
import { RetryUnavailableError, type DeadLetterRetry } from './retryDeadLetter';

export type DeadLetterAdminDeps = Readonly<{ sql: SqlClient; retry: DeadLetterRetry }>;

/** An admin acting on dead letters: who (an admin or superadmin) and the request's id. */
export type AdminCaller = Readonly<{ who: Principal; correlationId: string }>;

export type TaskFilters = Readonly<{
  status?: dlq.DlqStatus | undefined;
  category?: string | undefined;
  task_name?: string | undefined;
  correlation_id?: string | undefined;
  session_id?: string | undefined;
}>;

export const filtersOf = (q: TaskFilters): dlq.DlqFilters => ({
  status: q.status,
  category: q.category,
  taskName: q.task_name,
  correlationId: q.correlation_id,
  sessionId: q.session_id,
});

const auditAction = (
  deps: DeadLetterAdminDeps,
  caller: AdminCaller,
  what: Readonly<{ action: string; target: string | null; details: object }>,
) =>
  deps.sql.transaction((tx) =>
    audit(tx, {
      tenantId: caller.who.tenantId,
      actor: actorOf(caller.who),
      ...what,
      correlationId: caller.correlationId,
    }),
  );

/** One dead letter the caller's tenant may see, or `task_not_found`. */
export const findTask = async (deps: DeadLetterAdminDeps, who: Principal, id: string) => {
  const entry = await dlq.getEntry(deps.sql, scopeOf(who, undefined), id);
  if (entry === null) throw new AppError('not_found', 'task_not_found', 'no such dead-letter task');
  return entry;
};

export const inspectTask = async (deps: DeadLetterAdminDeps, who: Principal, id: string) => {
  const entry = await findTask(deps, who, id);
  return { entry, history: await dlq.retryHistory(deps.sql, entry.id) };
};

export const listTasks = (
  deps: DeadLetterAdminDeps,
  who: Principal,
  q: TaskFilters & Readonly<{ client_id?: string | undefined; page: number; page_size: number }>,
) =>
  dlq.listEntries(deps.sql, scopeOf(who, q.client_id), filtersOf(q), {
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
  });

/** Re-drives one entry unless it is resolved, or its retries are used up and not forced. */
const retryEntry = async (
  deps: DeadLetterAdminDeps,
  entry: dlq.DlqEntry,
  caller: AdminCaller,
  force: boolean,
) => {
  if (entry.status === 'resolved')
    throw new AppError('conflict', 'already_resolved', 'this task is resolved', {
      extra: { task_id: entry.id },
    });
  if (entry.retry_count >= entry.max_retries && !force) {
    throw new AppError(
      'conflict',
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
    return await deps.retry(entry, actorOf(caller.who));
  } catch (error) {
    if (error instanceof RetryUnavailableError)
      throw new AppError('conflict', 'retry_unavailable', 'this consumer has no retry path');
    throw error;
  }
};

export const retryTask = async (
  deps: DeadLetterAdminDeps,
  caller: AdminCaller,
  id: string,
  force: boolean,
) => {
  const entry = await findTask(deps, caller.who, id);
  const result = await retryEntry(deps, entry, caller, force);
  await auditAction(deps, caller, {
    action: 'dlq.retry',
    target: entry.id,
    details: { force, status: result.status, resolved: result.resolvedIds.length },
  });
  return { entry, result };
};

type BulkRetry = TaskFilters &
  Readonly<{ client_id?: string | undefined; force: boolean; dry_run: boolean; limit: number }>;

type BulkResult = { task_id: string; status: string; reason?: string };

/** One entry of a bulk retry: what a single retry would answer as a conflict is a skip here. */
const retryOne = async (
  deps: DeadLetterAdminDeps,
  caller: AdminCaller,
  entry: dlq.DlqEntry,
  force: boolean,
): Promise<BulkResult> => {
  try {
    const { status } = await retryEntry(deps, entry, caller, force);
    return { task_id: entry.id, status };
  } catch (error) {
    if (error instanceof AppError && error.kind === 'conflict')
      return { task_id: entry.id, status: 'skipped', reason: error.code };
    throw error;
  }
};

/**
 * Retries every matching entry (at most `limit`); a dry run only counts them. An entry that
 * cannot be retried (resolved, retries used up, no re-drive for its consumer) is skipped with
 * the reason, and the rest go on. An outage stops the run: the audit records what was done
 * before it, and the caller gets the 503 (running it again skips what is resolved).
 */
export const bulkRetry = async (
  deps: DeadLetterAdminDeps,
  caller: AdminCaller,
  body: BulkRetry,
) => {
  const scope = scopeOf(caller.who, body.client_id);
  const ids = (await dlq.matchingIds(deps.sql, scope, filtersOf(body))).slice(0, body.limit);
  if (body.dry_run) return { dryRun: true, ids, results: [] };
  const results: BulkResult[] = [];
  try {
    for (const id of ids) {
      const entry = await dlq.getEntry(deps.sql, scope, id);
      results.push(
        entry === null
          ? { task_id: id, status: 'skipped', reason: 'not_found' }
          : await retryOne(deps, caller, entry, body.force),
      );
    }
  } finally {
    await auditAction(deps, caller, {
      action: 'dlq.bulk_retry',
      target: null,
      details: { filters: body, count: ids.length, attempted: results.length },
    });
  }
  return { dryRun: false, ids, results };
};

/** Deletes one entry, audited in the same transaction. */
export const deleteTask = async (deps: DeadLetterAdminDeps, caller: AdminCaller, id: string) => {
  const entry = await findTask(deps, caller.who, id);
  await deps.sql.transaction(async (tx) => {
    await dlq.deleteEntries(tx, [entry.id]);
    await audit(tx, {
      tenantId: caller.who.tenantId,
      actor: actorOf(caller.who),
      action: 'dlq.delete',
      target: entry.id,
      details: {},
      correlationId: caller.correlationId,
    });
  });
  return entry;
};
