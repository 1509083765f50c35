import type { RecordedEvent } from '../events/envelope';
import type { SqlExecutor } from '../infra/postgres/sqlClient';

export type EventFailure = Readonly<{ event: RecordedEvent; error: Error }>;

/** What one batch did: applied, skipped as already applied, and failed (to the DLQ). */
export type BatchOutcome = Readonly<{
  applied: number;
  duplicates: number;
  failures: EventFailure[];
}>;

/**
 * A read model fed by session streams; its tables come from its own migrations. Every method runs
 * inside the caller's transaction (the one that also stores the consumer's position), so a read
 * model and its position never disagree.
 * `applyBatch` applies each event only if it is its session's next stream position: an older
 * position is a duplicate (no-op), a newer one is a gap (a failure, never a silent skip).
 */
export interface Projection {
  readonly id: string;
  applyBatch(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<BatchOutcome>;
  /** Rebuilds one session from its complete stream (used to retry a dead-lettered event). */
  redrive(tx: SqlExecutor, sessionId: string, stream: readonly RecordedEvent[]): Promise<void>;
}
