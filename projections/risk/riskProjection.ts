import type { SummaryListener } from '../sessionSummary/sessionSummaryProjection';
import type { RiskScorer } from './riskScorer';
import { riskRowOf, saveRisks, type RiskRow } from './riskTable';

/**
 * The risk read model over a table: each changed session that is still active is scored as it
 * stood at its last event (idle time 0 then; the tick scores it again as it idles), an ended one
 * is deleted. Scoring at the event's time, not the wall clock, makes a row a function of the log
 * and the model, so a rebuilt row equals the live one. Runs inside the session summary
 * projection's transaction, after its position guard: a redelivered event changes nothing here.
 */
export const riskListener =
  (table: string, scorer: RiskScorer): SummaryListener =>
  async (tx, changes) => {
    const rows: RiskRow[] = [];
    const ended: string[] = [];
    for (const { after } of changes) {
      if (after.state.status !== 'active') {
        ended.push(after.sessionId);
        continue;
      }
      const at = Date.parse(after.state.lastActivityAt);
      rows.push(riskRowOf(after.state, after.lastPosition, await scorer(tx, after.state, at), at));
    }
    await saveRisks(tx, table, rows, ended);
  };
