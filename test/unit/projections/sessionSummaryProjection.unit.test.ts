import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { OnboardingEvent } from '../../../events/onboarding/events';
import { createSessionSummaryProjection } from '../../../projections/sessionSummary/sessionSummaryProjection';
import { actionsArb, historyOf } from '../../support/arbitraries/sessionHistory';
import { at, sessionStarted, t0 } from '../../support/builders/onboarding';
import { lazyPgliteSqlClient } from '../../support/lazySqlClient';
import { canonical } from '../../support/readModelCheck';
import { referenceRow, referenceState } from '../../support/oracles/referenceSession';
import { recordedStream } from '../../support/specs/projectionSpec';
import { readSummaryRow, sessionSummarySpec } from '../../support/specs/sessionSummarySpec';

/**
 * The session summary read model as given/when/then specs (expected rows written by hand), and
 * against the reference fold over generated histories. The projection runs on PGlite (real
 * PostgreSQL in-process), so these are unit tests.
 */
// The first query starts PGlite, which takes seconds on a busy machine.
jest.setTimeout(60_000);

const sql = lazyPgliteSqlClient();
const spec = sessionSummarySpec(() => sql);
const id = '9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11';
const stream = (events: readonly OnboardingEvent[], from = 0) => recordedStream(id, events, from);

const started = sessionStarted({ sessionId: id });
const enter = (step: string, stepIndex: number, s: number): OnboardingEvent => ({
  type: 'StepEntered',
  data: { step, stepIndex, at: at(s) },
});
const complete = (step: string, stepIndex: number, s: number): OnboardingEvent => ({
  type: 'StepCompleted',
  data: { step, stepIndex, durationMs: 1000, at: at(s) },
});
const error = (step: string | null, s: number): OnboardingEvent => ({
  type: 'ErrorOccurred',
  data: { step, category: 'network', code: 'E1', retryable: true, at: at(s) },
});
const ask = (questionId: string, s: number): OnboardingEvent => ({
  type: 'QuestionAsked',
  data: { step: 'information_collection', questionId, at: at(s) },
});
const rejected = (s: number): OnboardingEvent => ({
  type: 'UploadRejected',
  data: { kind: 'photo', reason: 'too_large', at: at(s) },
});
const limited = (s: number): OnboardingEvent => ({
  type: 'RateLimitHit',
  data: { resource: 'session_read', at: at(s) },
});
const resumed = (s: number): OnboardingEvent => ({
  type: 'SessionResumed',
  data: { fromCheckpointVersion: null, at: at(s) },
});
const checkpoint = (v: number, s: number): OnboardingEvent => ({
  type: 'CheckpointSaved',
  data: {
    checkpointVersion: v,
    checkpointHash: `h${v}`,
    clientState: 'in_progress',
    dataVersion: 1,
    data: null,
    sizeBytes: 10,
    at: at(s),
  },
});

const none = { reachedAt: [null, null, null], errors: [0, 0, 0], uploadRejections: [0, 0, 0] };

describe('session summary projection: given / when / then', () => {
  it('a started session is one active row with every column', async () => {
    await spec
      .given()
      .when(...stream([started]))
      .then(id, {
        last_position: 0,
        tenant_id: 'tenant-a',
        user_id: 'user-1',
        flow_id: 'default',
        flow_version: 1,
        status: 'active',
        current_step: null,
        current_step_index: null,
        furthest_step_index: -1,
        furthest_step_reached_at: null,
        started_at: t0,
        last_activity_at: t0,
        ended_at: null,
        errors: 0,
        question_repeats: 0,
        upload_rejections: 0,
        rate_limit_hits: 0,
        checkpoints: 0,
        resumes: 0,
        language: 'en',
        channel: 'web',
        user_type: 'standard',
        client_id: null,
        state: expect.objectContaining({ status: 'active', eventCount: 1 }),
        stages: { ...none, rateLimitHits: [0, 0, 0] },
      });
  });

  it('entering steps moves the current step; the furthest step and its time only go forward', async () => {
    await spec
      .given(...stream([started, enter('information_collection', 0, 10)]))
      .when(
        ...stream(
          [enter('recommendation_review', 1, 20), enter('information_collection', 0, 30)],
          2,
        ),
      )
      .then(
        id,
        {
          last_position: 3,
          current_step: 'information_collection',
          current_step_index: 0,
          furthest_step_index: 1,
          furthest_step_reached_at: at(20),
          last_activity_at: at(30),
          stages: {
            reachedAt: [at(10), at(20), null],
            errors: [0, 0, 0],
            uploadRejections: [0, 0, 0],
            rateLimitHits: [0, 0, 0],
          },
        },
        true,
      );
  });

  it('errors count per named step, or the current one; rejections and rate limits in the current step', async () => {
    await spec
      .given(...stream([started, error(null, 5), enter('information_collection', 0, 10)]))
      .when(
        ...stream(
          [
            error(null, 11),
            error('approval', 12),
            error('no_such_step', 13),
            rejected(14),
            limited(15),
            limited(16),
          ],
          3,
        ),
      )
      .then(
        id,
        {
          errors: 4,
          upload_rejections: 1,
          rate_limit_hits: 2,
          // A refused request is not activity.
          last_activity_at: at(14),
          stages: {
            reachedAt: [at(10), null, null],
            errors: [1, 0, 1],
            uploadRejections: [1, 0, 0],
            rateLimitHits: [2, 0, 0],
          },
        },
        true,
      );
  });

  it('counts question repeats, checkpoints and resumes', async () => {
    await spec
      .given(...stream([started, ask('q1', 1), ask('q1', 2), ask('q2', 3)]))
      .when(...stream([ask('q1', 4), checkpoint(1, 5), checkpoint(2, 6), resumed(7)], 4))
      .then(
        id,
        {
          question_repeats: 2,
          checkpoints: 2,
          resumes: 1,
          state: expect.objectContaining({
            questionsAsked: { q1: 3, q2: 1 },
            checkpoints: [
              expect.objectContaining({ version: 1, position: 5 }),
              expect.objectContaining({ version: 2, position: 6 }),
            ],
          }),
        },
        true,
      );
  });

  it('completion ends the session and records progress after a resume', async () => {
    const steps = ['information_collection', 'recommendation_review', 'approval'];
    const walk = steps.flatMap((s, i) => [enter(s, i, 10 * i + 1), complete(s, i, 10 * i + 5)]);
    await spec
      .given(...stream([started, resumed(0), ...walk]))
      .when(...stream([{ type: 'SessionCompleted', data: { at: at(100) } }], 8))
      .then(
        id,
        {
          status: 'completed',
          ended_at: at(100),
          resumes: 1,
          furthest_step_index: 2,
          furthest_step_reached_at: at(21),
          state: expect.objectContaining({
            completedSteps: steps,
            progressedAfterResume: true,
            endReason: null,
          }),
        },
        true,
      );
  });

  it('cancellation and abandonment end the session with their reason', async () => {
    await spec
      .given(...stream([started]))
      .when(
        ...stream([{ type: 'SessionCancelled', data: { reason: 'user_cancelled', at: at(9) } }], 1),
      )
      .then(
        id,
        {
          status: 'cancelled',
          ended_at: at(9),
          state: expect.objectContaining({ endReason: 'user_cancelled' }),
        },
        true,
      );
    await spec
      .given(...stream([started]))
      .when(
        ...stream(
          [{ type: 'SessionAbandoned', data: { reason: 'idle', idleSeconds: 3600, at: at(9) } }],
          1,
        ),
      )
      .then(
        id,
        {
          status: 'abandoned',
          ended_at: at(9),
          state: expect.objectContaining({ endReason: 'idle', progressedAfterResume: false }),
        },
        true,
      );
  });

  it('skips a redelivered event, reports a gap and blocks the rest of that session', async () => {
    const first = stream([started, enter('information_collection', 0, 1)]);
    await spec
      .given(...first)
      .when(...first.slice(1), ...stream([ask('q1', 2)], 2))
      .then(id, { last_position: 2, question_repeats: 0 }, true);
    await spec
      .given(...first)
      .when(...stream([ask('q1', 5), ask('q1', 6)], 5))
      .thenFails(0, ['GapError', 'BlockedByEarlierFailureError']);
  });

  it('refuses a stream that does not begin with SessionStarted', async () => {
    await spec
      .given()
      .when(...stream([enter('information_collection', 0, 1)]))
      .thenFails(0, ['UnknownEventTypeError']);
  });
});

describe('session summary projection against the reference fold', () => {
  it('the row after any legal history, in any split into two batches, is what the reference predicts', async () => {
    const table = 'waymark.session_summary_v1';
    await fc.assert(
      fc.asyncProperty(actionsArb(50), fc.nat(), async (actions, cut) => {
        const sessionId = randomUUID();
        const events = historyOf(actions, sessionId);
        const recorded = recordedStream(sessionId, events);
        const k = cut % (recorded.length + 1);
        const projection = createSessionSummaryProjection(table);
        for (const batch of [recorded.slice(0, k), recorded.slice(k)].filter((b) => b.length))
          await sql.transaction((tx) => projection.applyBatch(tx, batch));
        const row = await readSummaryRow(sql, table, sessionId);
        const { state, ...columns } = row ?? {};
        expect(columns).toEqual(referenceRow(events, events.length - 1));
        expect(canonical(state)).toBe(canonical(referenceState(events)));
      }),
      { numRuns: 60 },
    );
  });
});
