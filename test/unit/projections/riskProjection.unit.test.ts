import type { OnboardingEvent } from '../../../events/onboarding/events';
import type { SqlExecutor } from '../../../infra/postgres/sqlClient';
import { saveRiskModel } from '../../../infra/postgres/riskModelStore';
import { riskReadModel } from '../../../projections/readModels';
import { saveRescored, type RiskRow } from '../../../projections/risk/riskTable';
import { featureNames } from '../../../services/risk/features';
import { at, sessionStarted, t0 } from '../../support/builders/onboarding';
import { lazyPgliteSqlClient } from '../../support/lazySqlClient';
import { testRiskScorer } from '../../support/liveProjection';
import { projectionSpec, recordedStream } from '../../support/specs/projectionSpec';

/**
 * The risk read model as given/when/then specs: each event batch scores the session as it stood
 * at its last event (expected rows from the documented rule table, written by hand), an ended
 * session has no row, a redelivery changes nothing. The projection runs on PGlite.
 */
jest.setTimeout(60_000);

const sql = lazyPgliteSqlClient();
const model = riskReadModel(testRiskScorer());
const timestamps = ['started_at', 'last_activity_at', 'scored_at'];

const readRiskRow = async (db: SqlExecutor, table: string, sessionId: string) => {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT * FROM ${table} WHERE session_id = $1`,
    [sessionId],
  );
  if (row === undefined) return null;
  return Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => k !== 'session_id')
      .map(([k, v]) => [
        k,
        timestamps.includes(k)
          ? new Date(v as string).toISOString()
          : k === 'last_position' || k === 'score'
            ? Number(v)
            : v,
      ]),
  );
};

const spec = projectionSpec<Record<string, unknown>>({
  sql: () => sql,
  liveTable: model.liveTable,
  projectionOver: model.projectionOver,
  scratchTables: model.scratchTables,
  readRow: readRiskRow,
});
const id = '9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11';
const stream = (events: readonly OnboardingEvent[], from = 0) => recordedStream(id, events, from);
const step = 'information_collection';
const started = sessionStarted({ sessionId: id });
const enter = (s: number): OnboardingEvent => ({
  type: 'StepEntered',
  data: { step, stepIndex: 0, at: at(s) },
});
const ask = (s: number): OnboardingEvent => ({
  type: 'QuestionAsked',
  data: { step, questionId: 'q1', at: at(s) },
});
const error = (s: number): OnboardingEvent => ({
  type: 'ErrorOccurred',
  data: { step: null, category: 'network', code: 'E1', retryable: true, at: at(s) },
});

const calm = {
  tenant_id: 'tenant-a',
  user_id: 'user-1',
  last_position: 1,
  score: 0,
  level: 'low',
  scorer: 'rules',
  model_version: null,
  features: { inactivity: 0, question_repetition: 0, session_complexity: 0, error_frequency: 0 },
  intervention_priority: 'low',
  recommended_action: 'send_encouragement',
  current_step: step,
  started_at: t0,
  last_activity_at: at(600),
  scored_at: at(600),
};

describe('risk projection: given / when / then', () => {
  it('an active session is scored at its last event: idle 0 then, whatever the wall clock', async () => {
    await spec
      .given()
      .when(...stream([started, enter(600)]))
      .then(id, calm);
  });

  it('each batch scores the session again as it stands after it', async () => {
    // Four repeats of q1 (+25) and six errors (+25): high, with the errors' intervention.
    const confused = [
      ask(601),
      ask(602),
      ask(603),
      ask(604),
      ask(605),
      ...[1, 2, 3, 4, 5, 6].map((i) => error(605 + i)),
    ];
    await spec
      .given(...stream([started, enter(600)]))
      .when(...stream(confused, 2))
      .then(id, {
        ...calm,
        last_position: 12,
        score: 50,
        level: 'high',
        features: {
          inactivity: 0,
          question_repetition: 4,
          session_complexity: 5,
          error_frequency: 6,
        },
        intervention_priority: 'high',
        recommended_action: 'offer_live_chat',
        last_activity_at: at(611),
        scored_at: at(611),
      });
  });

  it('a redelivered batch changes nothing (the summary position guard)', async () => {
    await spec
      .given(...stream([started, enter(600)]))
      .when(...stream([started, enter(600)]))
      .then(id, calm);
  });

  it('an ended session has no row', async () => {
    await spec
      .given(...stream([started, enter(600)]))
      .when(...stream([{ type: 'SessionCancelled', data: { reason: 'user', at: at(700) } }], 2))
      .then(id, null);
  });

  it("scores with the tenant's active model and records its version", async () => {
    const tenantId = 'tenant-model';
    // Only `activity` weighs: log1p(2 events) = ln 3 → p = 3/4 → 75, critical.
    const version = await saveRiskModel(
      sql,
      {
        scope: tenantId,
        algorithm: 'logistic_regression_l2',
        body: {
          featureNames,
          model: {
            means: featureNames.map(() => 0),
            scales: featureNames.map(() => 1),
            weights: featureNames.map((n) => (n === 'activity' ? 1 : 0)),
            intercept: 0,
          },
          threshold: 0.5,
          stepMedians: {},
          horizonMinutes: 15,
        },
        evaluation: {},
      },
      true,
    );
    await spec
      .given()
      .when(...stream([sessionStarted({ sessionId: id, tenantId }), enter(600)]))
      .then(
        id,
        {
          tenant_id: tenantId,
          score: 75,
          level: 'critical',
          scorer: `model:v${version}`,
          model_version: version,
          features: { activity: 2 },
        },
        true,
      );
  });
});

describe('the tick writes', () => {
  it('only over the position it scored, and a redrive to the same position keeps them', async () => {
    const table = 'waymark.session_risk_v1_tick_spec';
    await sql.query(`CREATE TABLE ${table} (LIKE waymark.session_risk_v1 INCLUDING ALL)`);
    try {
      const projection = riskReadModel(testRiskScorer());
      const scratch = projection.scratchTables?.(table) ?? [];
      for (const s of scratch)
        await sql.query(`CREATE TABLE ${s.table} (LIKE ${s.like} INCLUDING ALL)`);
      const live = projection.projectionOver(table);
      await sql.transaction((tx) => live.applyBatch(tx, stream([started, enter(600)])));
      const row = (position: number, seconds: number): RiskRow => ({
        score: 30,
        level: 'medium',
        scorer: 'rules',
        modelVersion: null,
        features: { inactivity: seconds - 600 },
        interventionPriority: 'medium',
        recommendedAction: 'send_reminder_email',
        sessionId: id,
        tenantId: 'tenant-a',
        userId: 'user-1',
        lastPosition: position,
        currentStep: step,
        startedAt: t0,
        lastActivityAt: at(600),
        scoredAt: at(seconds),
      });
      // Position 0 is older than the row's 1: not written; nor is a score older than the row's.
      expect(await saveRescored(sql, table, [row(0, 1200)])).toBe(0);
      expect(await saveRescored(sql, table, [row(1, 500)])).toBe(0);
      expect(await saveRescored(sql, table, [row(1, 1200)])).toBe(1);
      expect(await readRiskRow(sql, table, id)).toMatchObject({ score: 30, scored_at: at(1200) });
      // A dead letter's redrive rebuilds the session to the same position: the tick's later
      // score of that state stays; an event past it scores the session again.
      await sql.transaction((tx) => live.redrive(tx, id, stream([started, enter(600)])));
      expect(await readRiskRow(sql, table, id)).toMatchObject({ score: 30, scored_at: at(1200) });
      await sql.transaction((tx) => live.applyBatch(tx, stream([enter(1300)], 2)));
      expect(await readRiskRow(sql, table, id)).toMatchObject({ score: 0, scored_at: at(1300) });
      for (const s of scratch) await sql.query(`DROP TABLE ${s.table}`);
    } finally {
      await sql.query(`DROP TABLE ${table}`);
    }
  });
});
