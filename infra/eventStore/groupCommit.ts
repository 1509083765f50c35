import type { ExpectedVersion, NewEvent } from './eventStore';

export type AppendGroup = Readonly<{
  streamName: string;
  events: readonly NewEvent[];
  expectedVersion: ExpectedVersion;
}>;

/** What the database answered for one group. `version` is the stream's version afterwards. */
export type GroupOutcome = Readonly<{
  ok: boolean;
  version: number;
  wrongExpectedVersion?: boolean;
  sqlstate?: string;
}>;

/**
 * Runs a batch with its groups in stream-name order and answers in the caller's order.
 * write_message takes a lock per category, held to the end of the transaction: two batches that
 * lock the same categories in different orders (one starts a session, so its user's stream and
 * then the session's; another appends to a session, then claims a user stream) deadlock, and
 * PostgreSQL aborts one group with 40P01. Sorted by stream name (so by category first), every
 * transaction locks in the same order. Groups of one stream keep their order.
 */
export const inLockOrder =
  (run: (groups: readonly AppendGroup[]) => Promise<GroupOutcome[]>) =>
  async (groups: readonly AppendGroup[]): Promise<GroupOutcome[]> => {
    const order = groups
      .map((group, index) => ({ name: group.streamName, group, index }))
      .sort((a, b) => (a.name === b.name ? a.index - b.index : a.name < b.name ? -1 : 1));
    const outcomes = await run(order.map((o) => o.group));
    const inCallerOrder: GroupOutcome[] = [];
    order.forEach((o, i) => {
      const outcome = outcomes[i];
      if (outcome !== undefined) inCallerOrder[o.index] = outcome;
    });
    return inCallerOrder;
  };

type Pending = {
  group: AppendGroup;
  resolve: (outcome: GroupOutcome) => void;
  reject: (error: unknown) => void;
};

/**
 * Application-level group commit. While one batch is being written, new appends wait; when it
 * finishes, everything that arrived (up to maxEvents) goes in the next single transaction. At low
 * load a batch holds one append and adds no delay; under load it amortises the per-category lock
 * and the WAL flush over many requests. Each group still succeeds or fails on its own.
 */
export const createGroupCommit = (
  runBatch: (groups: readonly AppendGroup[]) => Promise<GroupOutcome[]>,
  options: Readonly<{ maxEvents: number }>,
): ((group: AppendGroup) => Promise<GroupOutcome>) => {
  const queue: Pending[] = [];
  let writing = false;

  const takeBatch = (): Pending[] => {
    const batch: Pending[] = [];
    let events = 0;
    while (queue.length > 0) {
      const next = queue[0];
      if (next === undefined) break;
      if (batch.length > 0 && events + next.group.events.length > options.maxEvents) break;
      batch.push(next);
      events += next.group.events.length;
      queue.shift();
    }
    return batch;
  };

  const drain = async (): Promise<void> => {
    writing = true;
    while (queue.length > 0) {
      const batch = takeBatch();
      try {
        const outcomes = await runBatch(batch.map((p) => p.group));
        batch.forEach((p, i) => {
          const outcome = outcomes[i];
          if (outcome) p.resolve(outcome);
          else p.reject(new Error('append batch returned fewer results than groups'));
        });
      } catch (error) {
        batch.forEach((p) => p.reject(error));
      }
    }
    writing = false;
  };

  return (group) =>
    new Promise<GroupOutcome>((resolve, reject) => {
      queue.push({ group, resolve, reject });
      if (!writing) void drain();
    });
};
