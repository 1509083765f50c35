import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import type { RecordedEvent } from '../../events/envelope';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { defaultFlow } from '../../events/onboarding/flows';
import { onboardingStream } from '../../events/streamNames';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { oracleFunnel } from '../support/analyticsOracle';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const steps = defaultFlow.steps;
const now = Date.parse('2026-06-15T12:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

/** One generated session: how far it got, how it ended, when and how fast, and where it erred. */
const sessionArb = fc.record({
  furthest: fc.integer({ min: -1, max: steps.length - 1 }),
  outcome: fc.constantFrom('completed', 'cancelled', 'abandoned', 'active'),
  startMinutesAgo: fc.integer({ min: 1, max: 20 * 24 * 60 }),
  gaps: fc.array(fc.integer({ min: 1, max: 600 }), {
    minLength: steps.length + 1,
    maxLength: steps.length + 1,
  }),
  errorsAt: fc.array(fc.integer({ min: 0, max: steps.length - 1 }), { maxLength: 3 }),
});

type Generated = typeof sessionArb extends fc.Arbitrary<infer T> ? T : never;

const historyOf = (tenantId: string, sessionId: string, g: Generated): OnboardingEvent[] => {
  const furthest = g.outcome === 'completed' ? steps.length - 1 : g.furthest;
  let t = now - g.startMinutesAgo * 60_000;
  const events: OnboardingEvent[] = [
    {
      type: 'SessionStarted',
      data: {
        sessionId,
        tenantId,
        userId: `u-${sessionId.slice(0, 6)}`,
        flowId: 'default',
        flowVersion: 1,
        steps: [...steps],
        language: 'en',
        channel: 'web',
        userType: 'standard',
        clientId: null,
        at: iso(t),
      },
    },
  ];
  for (let i = 0; i <= furthest; i += 1) {
    t += (g.gaps[i] ?? 1) * 1000;
    events.push({ type: 'StepEntered', data: { step: steps[i] ?? '', stepIndex: i, at: iso(t) } });
    if (g.errorsAt.includes(i))
      events.push({
        type: 'ErrorOccurred',
        data: {
          step: steps[i] ?? '',
          category: 'network',
          code: 'E',
          retryable: true,
          at: iso(t + 1),
        },
      });
  }
  t += (g.gaps[steps.length] ?? 1) * 1000;
  if (g.outcome === 'completed') events.push({ type: 'SessionCompleted', data: { at: iso(t) } });
  if (g.outcome === 'cancelled')
    events.push({ type: 'SessionCancelled', data: { reason: 'user_cancelled', at: iso(t) } });
  if (g.outcome === 'abandoned')
    events.push({
      type: 'SessionAbandoned',
      data: { reason: 'idle', idleSeconds: 3600, at: iso(t) },
    });
  return events;
};

const recorded = (
  sessionId: string,
  events: OnboardingEvent[],
  tenantId: string,
): RecordedEvent[] =>
  events.map((e, i) => ({
    eventId: randomUUID(),
    type: e.type,
    data: e.data,
    metadata: { correlationId: 'oracle', tenantId, actor: 'test' },
    streamName: onboardingStream(sessionId),
    streamPosition: i,
    globalPosition: i,
    recordedAt: e.data.at,
  }));

/** The funnel endpoint against a plain computation over the raw events, on generated histories. */
describe('analytics oracle: funnel = in-memory computation over the raw events', () => {
  let db: TestDatabase;
  const projection = createSessionSummaryProjection();
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.transaction((tx) => projection.ensureSchema(tx));
  });
  afterAll(async () => db.drop());

  it('holds for generated session histories', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), { privacySql: db.sql });
    await fc.assert(
      fc.asyncProperty(fc.array(sessionArb, { minLength: 1, maxLength: 40 }), async (generated) => {
        const tenantId = `t-${randomUUID().slice(0, 8)}`;
        const histories = generated.map((g) => {
          const id = randomUUID();
          return { id, events: historyOf(tenantId, id, g) };
        });
        await db.sql.transaction((tx) =>
          projection.applyBatch(
            tx,
            histories.flatMap((h) => recorded(h.id, h.events, tenantId)),
          ),
        );
        const admin = await bearer('admin', tenantId, 'analyst');
        const res = await request(app)
          .get(
            `/api/v1/onboarding/analytics/funnel/?start_date=${iso(now - 30 * 86_400_000)}&end_date=${iso(now + 1)}`,
          )
          .set('Authorization', admin);
        expect(res.status).toBe(200);
        const oracle = oracleFunnel(
          histories.map((h) => h.events),
          steps.length,
          Date.now() - 30 * 60_000,
        );
        const stages = res.body.stages as {
          count: number;
          median_time_in_stage_seconds: number | null;
        }[];
        expect(res.body.total_sessions).toBe(oracle.total);
        expect(res.body.completed_sessions).toBe(oracle.completed);
        expect(stages.map((s) => s.count)).toEqual(oracle.counts);
        stages.slice(1, 1 + steps.length).forEach((s, i) => {
          const expected = oracle.medians[i];
          if (expected === null || expected === undefined)
            expect(s.median_time_in_stage_seconds).toBeNull();
          else expect(s.median_time_in_stage_seconds).toBeCloseTo(expected, 3);
        });
        const drops = Object.fromEntries(
          (res.body.top_drop_off_points as { stage: string; count: number }[]).map((d) => [
            d.stage,
            d.count,
          ]),
        );
        const expectedDrops = Object.fromEntries(
          [
            ['started', oracle.droppedAtStart] as const,
            ...steps.map((s, i) => [s, oracle.droppedHere[i] ?? 0] as const),
          ].filter(([, n]) => n > 0),
        );
        expect(drops).toEqual(expectedDrops);
        if (oracle.medianCompletionSeconds !== null)
          // Minutes with two decimals, as documented.
          expect(res.body.median_completion_time_minutes).toBeCloseTo(
            Math.round(oracle.medianCompletionSeconds / 0.6) / 100,
            6,
          );
      }),
      { numRuns: 25 },
    );
  });
});
