import { CodedError } from '../../events/codedError';
import type { SqlExecutor } from './sqlClient';

/** A write was attempted under a lease this process no longer holds: it must not land. */
export class LeaseLostError extends CodedError {
  constructor(readonly leaseName: string) {
    super(
      { code: 'leader_lease_lost', category: 'unrecoverable' },
      `the leader lease ${leaseName} is no longer held by this process`,
    );
  }
}

export type LeaseGrant = Readonly<{ token: number }>;

/** A lease (`name`) as one process (`holder`) campaigns for it. */
export type LeaseId = Readonly<{ name: string; holder: string }>;

/**
 * Takes or renews the lease `name` for `holder` for `ttlMs` (database clock). Renewal keeps the
 * token and needs the lease still valid under that token; taking an expired (or missing) lease
 * increments the token. Returns null when someone else holds a valid lease.
 */
export const acquireLease = async (
  sql: SqlExecutor,
  { name, holder }: LeaseId,
  ttlMs: number,
  currentToken: number | null,
): Promise<LeaseGrant | null> => {
  const [row] = await sql.query<{ token: string | number }>(
    `INSERT INTO waymark.leader_leases AS l (name, holder, token, expires_at)
     VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE SET
       holder = EXCLUDED.holder,
       token = CASE WHEN l.expires_at > now() THEN l.token ELSE l.token + 1 END,
       acquired_at = CASE WHEN l.expires_at > now() THEN l.acquired_at ELSE now() END,
       expires_at = EXCLUDED.expires_at
     WHERE l.expires_at <= now() OR (l.holder = EXCLUDED.holder AND l.token = $4)
     RETURNING token`,
    [name, holder, ttlMs, currentToken ?? -1],
  );
  return row === undefined ? null : { token: Number(row.token) };
};

/**
 * The fence: inside the caller's transaction, locks the lease row (FOR SHARE, so a takeover waits
 * for this transaction to end) and throws LeaseLostError unless `holder` still holds it under
 * `token` and it has not expired. Whatever the transaction writes after this call lands only
 * while the lease is valid. The row lock would also stall a takeover if this process froze with
 * the transaction open, so the transaction may sit idle at most `maxIdleMs` before the server
 * ends it (idle_in_transaction_session_timeout), which releases the lock.
 */
export const assertLeaseHeld = async (
  tx: SqlExecutor,
  { name, holder }: LeaseId,
  token: number,
  maxIdleMs: number,
): Promise<void> => {
  await tx.query("SELECT set_config('idle_in_transaction_session_timeout', $1, true)", [
    `${maxIdleMs}ms`,
  ]);
  const rows = await tx.query(
    `SELECT 1 FROM waymark.leader_leases
      WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > now() FOR SHARE`,
    [name, holder, token],
  );
  if (rows.length === 0) throw new LeaseLostError(name);
};

/** Gives the lease up at once (clean shutdown), so a standby need not wait for it to expire. */
export const releaseLease = async (
  sql: SqlExecutor,
  { name, holder }: LeaseId,
  token: number,
): Promise<void> => {
  await sql.query(
    `UPDATE waymark.leader_leases SET expires_at = now()
      WHERE name = $1 AND holder = $2 AND token = $3`,
    [name, holder, token],
  );
};

export type LeaseRow = Readonly<{
  name: string;
  holder: string;
  token: number;
  acquiredAt: string;
  expiresAt: string;
  valid: boolean;
}>;

/** Every lease and who holds it (health). */
export const listLeases = async (sql: SqlExecutor): Promise<LeaseRow[]> =>
  (
    await sql.query<{
      name: string;
      holder: string;
      token: string | number;
      acquired_at: Date | string;
      expires_at: Date | string;
      valid: boolean;
    }>(
      `SELECT name, holder, token, acquired_at, expires_at, expires_at > now() AS valid
         FROM waymark.leader_leases ORDER BY name`,
    )
  ).map((r) => ({
    name: r.name,
    holder: r.holder,
    token: Number(r.token),
    acquiredAt: new Date(r.acquired_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    valid: r.valid,
  }));
