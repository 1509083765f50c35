import type { SessionSummary } from '../sessionSummary/sessionSummary';
import type { SummaryListener } from '../sessionSummary/sessionSummaryProjection';
import { addDropOffs, dropOffKeyText, type DropOffKey } from './dropOffTable';

/** The heatmap read model's id (what `projections:rebuild -- --only heatmap` names). */
export const dropOffProjectionId = 'heatmap';

const hourMs = 3_600_000;

/** Pure: the cell a session counts in, or null while it has not dropped (services/analytics "Definitions"). */
export const dropOffKeyOf = (s: SessionSummary): DropOffKey | null => {
  const { state } = s;
  if (state.status !== 'cancelled' && state.status !== 'abandoned') return null;
  return {
    tenantId: state.tenantId,
    flowId: state.flowId,
    startDay: new Date(state.startedAt).toISOString().slice(0, 10),
    hour: new Date(Math.floor(Date.parse(state.lastActivityAt) / hourMs) * hourMs).toISOString(),
    stage: state.furthestStepIndex,
  };
};

/**
 * The heatmap read model over a table: for each changed session, its old cell −1 and its new
 * cell +1. Runs inside the session summary projection's transaction, after its position guard,
 * so a redelivered event changes nothing here either.
 */
export const dropOffListener =
  (table: string): SummaryListener =>
  async (tx, changes) => {
    const deltas = new Map<string, { key: DropOffKey; n: number }>();
    const add = (summary: SessionSummary, sign: 1 | -1) => {
      const key = dropOffKeyOf(summary);
      if (key === null) return;
      const id = dropOffKeyText(key);
      const known = deltas.get(id) ?? { key, n: 0 };
      deltas.set(id, { key, n: known.n + sign });
    };
    for (const { before, after } of changes) {
      if (before !== null) add(before, -1);
      add(after, 1);
    }
    await addDropOffs(tx, table, deltas);
  };
