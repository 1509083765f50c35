import { setTimeout as sleep } from 'node:timers/promises';
import {
  acquireLease,
  assertLeaseHeld,
  LeaseLostError,
  releaseLease,
} from '../postgres/leaderLease';
import type { SqlExecutor } from '../postgres/sqlClient';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

export type LeadershipSettings = Readonly<{
  /** How long a grant lasts on the database's clock. */
  ttlMs: number;
  /** How often the leader renews and a standby tries to take over (a third of ttlMs or less). */
  renewMs: number;
}>;

/**
 * Campaigns for one lease for the life of the process: renews it while held, tries to take it
 * while not. The process counts itself leader only until `ttlMs - renewMs` after the start of its
 * last successful renewal (its own monotonic clock), which ends before the database lets anyone
 * else take the lease: a partitioned leader stops before its successor starts. The fence
 * (`assertHeld` in the write's transaction) is what makes that safe even if a pause outlasts it.
 *
 * Takeover after the leader dies: at most ttlMs (the grant running out) + renewMs (the standby's
 * next attempt).
 */
export const campaign = (
  deps: Readonly<{
    sql: SqlExecutor;
    name: string;
    holder: string;
    settings: LeadershipSettings;
    logger: Logger;
    onChange?: (leader: boolean, token: number | null) => void;
  }>,
) => {
  const { sql, name, holder, settings, logger } = deps;
  let token: number | null = null;
  let validUntil = 0;
  let stopping = false;
  const wake = new AbortController();

  const isLeader = () => token !== null && performance.now() < validUntil;
  const setToken = (next: number | null) => {
    if (next === token) return;
    const was = token;
    token = next;
    if (next !== null) logger.info({ lease: name, token: next }, 'leader lease taken');
    // Handing the lease over on a clean stop is expected; losing it while running is not.
    else if (was !== null && stopping)
      logger.info({ lease: name, token: was }, 'leader lease released');
    else if (was !== null) logger.warn({ lease: name, token: was }, 'leader lease lost');
    deps.onChange?.(next !== null, next);
  };

  const attempt = async () => {
    const startedAt = performance.now();
    try {
      const grant = await acquireLease(sql, { name, holder }, settings.ttlMs, token);
      if (grant === null) return setToken(null);
      validUntil = startedAt + settings.ttlMs - settings.renewMs;
      setToken(grant.token);
    } catch (error) {
      // Unreachable database: keep the lease only until the local deadline.
      logger.debug({ err: error, lease: name }, 'leader lease renewal failed');
      if (!isLeader()) setToken(null);
    }
  };

  const done = (async () => {
    while (!stopping) {
      await attempt();
      await sleep(settings.renewMs, undefined, { signal: wake.signal }).catch(() => undefined);
      if (token !== null && !isLeader()) setToken(null);
    }
  })();

  return {
    name,
    isLeader,
    token: () => (isLeader() ? token : null),
    /** Throws LeaseLostError inside `tx` unless this process still holds the lease. */
    assertHeld: async (tx: SqlExecutor) => {
      const current = token;
      if (current === null || !isLeader()) throw new LeaseLostError(name);
      await assertLeaseHeld(tx, { name, holder }, current, settings.renewMs);
    },
    /** Stops campaigning and hands the lease over at once. */
    stop: async () => {
      stopping = true;
      wake.abort();
      await done;
      const held = token;
      setToken(null);
      if (held !== null) await releaseLease(sql, { name, holder }, held).catch(() => undefined);
    },
  };
};

export type Campaign = ReturnType<typeof campaign>;

/** Keeps `leader_active` and `leader_lease_token` in step with a campaign (its onChange). */
export const leaderGauges =
  (metrics: Metrics, lease: string, holder: string) => (leader: boolean, token: number | null) => {
    metrics.leaderActive.set({ lease, holder }, leader ? 1 : 0);
    metrics.leaderToken.set({ lease }, token ?? 0);
  };

/** What a worker's `GET /health` says about its leases: which it leads, which it stands by for. */
export const leadershipReport = (campaigns: readonly Campaign[], holder: string) => ({
  holder,
  leases: Object.fromEntries(
    campaigns.map((c) => [c.name, c.isLeader() ? 'leader' : 'standby'] as const),
  ),
});
