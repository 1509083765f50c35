import type { SessionState } from '../../events/onboarding/state';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';

/** The risk read model's id (what `projections:rebuild -- --only risk` names). */
export const riskProjectionId = 'risk';

/** One session's score as the read model keeps it. */
export type ScoredRisk = Readonly<{
  score: number;
  level: string;
  /** `rules`, or `model:v<version>`. */
  scorer: string;
  /** null: the rule table. */
  modelVersion: number | null;
  /** Each factor's value as a person reads it (minutes, counts), by factor name. */
  features: Readonly<Record<string, number>>;
  interventionPriority: string;
  recommendedAction: string | null;
}>;

/**
 * Scores an active session at `now`. Supplied by services/risk (the pure assessment with the
 * tenant's active model); projections may not import services, so the projection is handed it.
 * `tx` is the caller's transaction: a model not cached yet is read through it (PGlite has one
 * connection, so a read beside an open transaction would wait for it forever).
 */
export type RiskScorer = (tx: SqlExecutor, state: SessionState, now: number) => Promise<ScoredRisk>;
