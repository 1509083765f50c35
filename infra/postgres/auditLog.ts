import type { SqlExecutor } from './sqlClient';
import { whereBuilder } from './whereBuilder';

export type AuditEntry = Readonly<{
  at: string;
  tenant_id: string;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  correlation_id: string | null;
}>;

export type AuditFilter = Readonly<{
  tenantId: string | null;
  action?: string;
  actor?: string;
  since?: Date;
  until?: Date;
}>;

/** Reads the audit trail, newest first, with a true total for pagination. */
export const listAudit = async (
  sql: SqlExecutor,
  filter: AuditFilter,
  page: Readonly<{ limit: number; offset: number }>,
): Promise<{ entries: AuditEntry[]; total: number }> => {
  const w = whereBuilder();
  if (filter.tenantId !== null) w.add('tenant_id = ?', filter.tenantId);
  if (filter.action !== undefined) w.add('action = ?', filter.action);
  if (filter.actor !== undefined) w.add('actor = ?', filter.actor);
  if (filter.since !== undefined) w.add('at >= ?', filter.since.toISOString());
  if (filter.until !== undefined) w.add('at < ?', filter.until.toISOString());
  const [clause, params] = w.build();
  const total = await sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM waymark.audit_log ${clause}`,
    params,
  );
  const entries = await sql.query<AuditEntry>(
    `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, tenant_id, actor,
            action, target, details, correlation_id
       FROM waymark.audit_log ${clause}
      ORDER BY id DESC LIMIT ${page.limit} OFFSET ${page.offset}`,
    params,
  );
  return { entries, total: Number(total[0]?.n ?? 0) };
};

/** Appends one line to the audit trail (who, what, which tenant, which filters or target). */
export const audit = async (
  tx: SqlExecutor,
  entry: Readonly<{
    tenantId: string;
    actor: string;
    action: string;
    target: string | null;
    details: object;
    correlationId: string;
  }>,
) => {
  await tx.query(
    'INSERT INTO waymark.audit_log (tenant_id, actor, action, target, details, correlation_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      entry.tenantId,
      entry.actor,
      entry.action,
      entry.target,
      JSON.stringify(entry.details),
      entry.correlationId,
    ],
  );
};
