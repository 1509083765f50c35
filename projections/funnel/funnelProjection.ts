import type { SessionSummary } from '../sessionSummary/sessionSummary';
import type { SummaryListener } from '../sessionSummary/sessionSummaryProjection';
import { addCounts, funnelContribution, type FunnelCounts, type FunnelFacts } from './funnelCounts';
import { addToDays, keyText, type FunnelKey } from './funnelTable';

/** The funnel read model's id (what `projections:rebuild -- --only funnel` names). */
export const funnelProjectionId = 'funnel';

export const factsOf = (s: SessionSummary): FunnelFacts => ({
  status: s.state.status,
  startedAt: s.state.startedAt,
  endedAt: s.state.endedAt,
  furthestStepIndex: s.state.furthestStepIndex,
  stages: s.stages,
});

export const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

const keyOf = (s: SessionSummary): FunnelKey => ({
  tenantId: s.state.tenantId,
  flowId: s.state.flowId,
  flowVersion: s.state.flowVersion,
  day: dayOf(s.state.startedAt),
});

/**
 * The funnel read model over a table: for each changed session, its new contribution minus its
 * old one, summed per day row. Runs inside the session summary projection's transaction, after
 * its position guard, so a redelivered event changes nothing here either.
 */
export const funnelListener =
  (table: string): SummaryListener =>
  async (tx, changes) => {
    const deltas = new Map<string, { key: FunnelKey; counts: FunnelCounts }>();
    const add = (summary: SessionSummary, sign: 1 | -1) => {
      const key = keyOf(summary);
      const id = keyText(key);
      const counts = deltas.get(id)?.counts ?? {};
      deltas.set(id, {
        key,
        counts: addCounts(counts, funnelContribution(factsOf(summary)), sign),
      });
    };
    for (const { before, after } of changes) {
      if (before !== null) add(before, -1);
      add(after, 1);
    }
    await addToDays(tx, table, deltas);
  };
