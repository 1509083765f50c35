import { setTimeout as sleep } from 'node:timers/promises';
import { CodedError } from '../../events/codedError';
import { DependencyUnavailableError } from '../dependencies/dependencyUnavailable';
import { SchemaTooNewError, schemaStatus } from './migrate';
import type { SqlExecutor } from './sqlClient';

/** The migrations this process needs did not arrive in time. */
export class SchemaNotReadyError extends CodedError {
  constructor(reason: string, waitedMs: number) {
    super(
      { code: 'schema_not_ready', category: 'unrecoverable' },
      `the database schema is not ready after ${Math.round(waitedMs / 1000)} s (${reason}); ` +
        'run npm run db:migrate against this DATABASE_URL',
    );
  }
}

export type AwaitSchemaOptions = Readonly<{
  timeoutMs: number;
  pollMs?: number;
  /** Called on the first wait and then every `reportEveryMs`, with what is still missing. */
  onWait?: (pending: readonly string[] | null, reason: string) => void;
  reportEveryMs?: number;
}>;

/** One look: ready, or what is missing and why (an unreachable database is "not ready"). */
const check = async (
  sql: SqlExecutor,
  readModelDirs: readonly string[],
): Promise<{ ready: boolean; pending: string[] | null; reason: string }> => {
  try {
    const status = await schemaStatus(sql, readModelDirs);
    if (status.unknown.length > 0) throw new SchemaTooNewError(status.unknown);
    const { pending } = status;
    return {
      ready: pending.length === 0,
      pending,
      reason: `${pending.length} migrations pending, first ${pending[0] ?? ''}`,
    };
  } catch (error) {
    if (!(error instanceof DependencyUnavailableError)) throw error;
    return { ready: false, pending: null, reason: error.message };
  }
};

/**
 * A service process does not migrate (that is `npm run db:migrate`'s job, once, under a lock):
 * it waits until every migration it knows is applied, so it can start alongside the migrator in
 * any order. A database that is not reachable yet counts as "not ready". Migrations it does not
 * know mean a newer release migrated the database: that fails at once (SchemaTooNewError).
 */
export const awaitSchema = async (
  sql: SqlExecutor,
  readModelDirs: readonly string[],
  options: AwaitSchemaOptions,
): Promise<void> => {
  const started = Date.now();
  const reportEveryMs = options.reportEveryMs ?? 30_000;
  let reported = Number.NEGATIVE_INFINITY;
  for (;;) {
    const { ready, pending, reason } = await check(sql, readModelDirs);
    if (ready) return;
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) throw new SchemaNotReadyError(reason, waited);
    if (Date.now() - reported >= reportEveryMs) {
      reported = Date.now();
      options.onWait?.(pending, reason);
    }
    await sleep(options.pollMs ?? 1_000);
  }
};
