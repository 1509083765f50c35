import type { SessionSummary } from '../sessionSummary/sessionSummary';
import type { SummaryListener } from '../sessionSummary/sessionSummaryProjection';
import { cohortDimensions, cohortValuesOf } from './cohortKeys';
import { addCounts, funnelContribution, type FunnelFacts } from './funnelCounts';
import { addToDays, keyText, type FunnelKey } from './funnelTable';

/** The funnel read model's id (what `projections:rebuild -- --only funnel` names). */
export const funnelProjectionId = 'funnel';

export const factsOf = (s: SessionSummary): FunnelFacts => ({
  status: s.state.status,
  startedAt: s.state.startedAt,
  endedAt: s.state.endedAt,
  furthestStepIndex: s.state.furthestStepIndex,
  stages: s.stages,
  clientId: s.state.clientId,
  language: s.state.language,
  channel: s.state.channel,
});

export const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** The rows a session counts in: its flow's (cohort '') and one per cohort dimension. */
export const rowsOf = (
  base: Readonly<{ tenantId: string; flowId: string; flowVersion: number }>,
  facts: FunnelFacts,
): FunnelKey[] => {
  const values = cohortValuesOf(facts);
  const day = dayOf(facts.startedAt);
  return [
    { ...base, day, cohortKey: '', cohortValue: '' },
    ...cohortDimensions.map((d) => ({ ...base, day, cohortKey: d, cohortValue: values[d] })),
  ];
};

/**
 * The funnel read model over a table: for each changed session, its new contribution minus its
 * old one, summed per day row. Runs inside the session summary projection's transaction, after
 * its position guard, so a redelivered event changes nothing here either.
 */
export const funnelListener =
  (table: string): SummaryListener =>
  async (tx, changes) => {
    const deltas = new Map<string, { key: FunnelKey; counts: Record<string, number> }>();
    const add = (summary: SessionSummary, sign: 1 | -1) => {
      const facts = factsOf(summary);
      const contribution = Object.entries(funnelContribution(facts));
      for (const key of rowsOf(summary.state, facts)) {
        const id = keyText(key);
        const row = deltas.get(id) ?? { key, counts: {} };
        // In place: a batch adds hundreds of contributions to a handful of rows.
        for (const [k, n] of contribution) row.counts[k] = (row.counts[k] ?? 0) + sign * n;
        deltas.set(id, row);
      }
    };
    for (const { before, after } of changes) {
      if (before !== null) add(before, -1);
      add(after, 1);
    }
    // Zeros dropped, so an unchanged contribution (an event that moved nothing) writes nothing.
    for (const row of deltas.values()) row.counts = addCounts({}, row.counts);
    await addToDays(tx, table, deltas);
  };
