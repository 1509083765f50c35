import type { SqlExecutor } from './sqlClient';

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
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.tenantId !== null) add('tenant_id = ?', filter.tenantId);
  if (filter.action !== undefined) add('action = ?', filter.action);
  if (filter.actor !== undefined) add('actor = ?', filter.actor);
  if (filter.since !== undefined) add('at >= ?', filter.since.toISOString());
  if (filter.until !== undefined) add('at < ?', filter.until.toISOString());
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
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
