import { createHash } from 'node:crypto';
import type { SqlExecutor } from './sqlClient';

/** A dead letter as stored: where it came from, why it failed, where it stands. */
export type DeadLetterRow = Readonly<{
  groupId: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  errorCategory: string;
  errorType: string;
  errorMessage: string;
  errorStack: string | null;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
  correlationId: string | null;
  sessionId: string | null;
  tenantId: string | null;
  eventType: string | null;
  streamPosition: number | null;
}>;

/** Deterministic id from the source coordinates: a redelivered dead letter maps to the same row. */
export const deadLetterId = (
  r: Pick<DeadLetterRow, 'groupId' | 'sourceTopic' | 'sourcePartition' | 'sourceOffset'>,
) =>
  `dlq_${createHash('sha256').update(`${r.groupId}|${r.sourceTopic}|${r.sourcePartition}|${r.sourceOffset}`).digest('hex').slice(0, 20)}`;

/** Stores dead letters durably; a second copy of the same source message is ignored. */
export const insertDeadLetters = async (
  tx: SqlExecutor,
  rows: readonly DeadLetterRow[],
  maxRetries: number,
) => {
  for (const r of rows) {
    await tx.query(
      `INSERT INTO waymark.dlq_entries (id, group_id, source_topic, source_partition, source_offset, message_key,
         message_value, message_headers, error_category, error_type, error_message, error_stack, attempts,
         first_failed_at, last_failed_at, correlation_id, session_id, tenant_id, event_type, stream_position, max_retries)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)
       ON CONFLICT (group_id, source_topic, source_partition, source_offset) DO NOTHING`,
      [
        deadLetterId(r),
        r.groupId,
        r.sourceTopic,
        r.sourcePartition,
        r.sourceOffset,
        r.key,
        r.value,
        JSON.stringify(r.headers),
        r.errorCategory,
        r.errorType,
        r.errorMessage,
        r.errorStack,
        r.attempts,
        r.firstFailedAt,
        r.lastFailedAt,
        r.correlationId,
        r.sessionId,
        r.tenantId,
        r.eventType,
        r.streamPosition,
        maxRetries,
      ],
    );
  }
};

/** The class half of the two-key advisory lock that serialises one tenant's evictions ("dlq!"). */
const evictionLockClass = 0x646c7121;

export type Eviction = Readonly<{ tenantId: string | null; status: string; evicted: number }>;

/**
 * Keeps at most `maxPerTenant` dead letters per tenant (entries without a tenant are one more
 * bucket): beyond it, handled entries (resolved, abandoned) go first, then the oldest open ones
 * (by insertion, then first failure). Runs in the inserting transaction, after the inserts; the
 * per-tenant transaction lock makes concurrent sinks count each other's committed rows, and
 * tenants are locked in one order, so two sinks cannot deadlock on them.
 */
export const evictOverflow = async (
  tx: SqlExecutor,
  tenantIds: readonly (string | null)[],
  maxPerTenant: number,
): Promise<Eviction[]> => {
  const tenants = [...new Set(tenantIds)].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  const evictions: Eviction[] = [];
  for (const tenantId of tenants) {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      evictionLockClass,
      tenantId ?? '',
    ]);
    const rows = await tx.query<{ status: string; n: string }>(
      `WITH ranked AS (
         SELECT id, row_number() OVER (
                  ORDER BY status IN ('pending', 'retrying', 'failed') DESC, created_at DESC,
                           first_failed_at DESC, id DESC) AS rank
           FROM waymark.dlq_entries
          WHERE ${tenantId === null ? 'tenant_id IS NULL' : 'tenant_id = $2'}),
       evicted AS (
         DELETE FROM waymark.dlq_entries e USING ranked r
          WHERE e.id = r.id AND r.rank > $1 RETURNING e.status)
       SELECT status, count(*) AS n FROM evicted GROUP BY status`,
      tenantId === null ? [maxPerTenant] : [maxPerTenant, tenantId],
    );
    for (const r of rows) evictions.push({ tenantId, status: r.status, evicted: Number(r.n) });
  }
  return evictions;
};
