import { randomUUID } from 'node:crypto';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createMetrics } from '../../infra/observability/metrics';
import { detectAbandoned, updateRecoveryRate } from '../../services/detector/detector';
import { at, oneOfEach, sessionStarted } from '../support/builders/onboarding';
import { createCommandHandler } from '../../services/sessions/handleCommand';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { sessionHistory, toNewEvents } from '../support/seedEvents';
import { projectAll } from '../support/projectAll';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The detector against the real store and read model: idle sessions are abandoned once, recent
 * and finished ones are left alone, and a user action racing the detector wins.
 */
describe('abandonment detector', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('abandons idle sessions only, once, and loses to a racing user action', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const handle = createCommandHandler({ eventStore: store, newId: () => randomUUID() });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const seed = async (stepsToDo: number, at: string) => {
      const id = randomUUID();
      const events = sessionHistory(id, stepsToDo).map(
        (e) => ({ ...e, data: { ...e.data, at } }) as OnboardingEvent,
      );
      await store.appendToStream(`onboarding-${id}`, toNewEvents(events), { expectedVersion: -1 });
      return id;
    };
    const [idle, racing, recent, done] = [
      await seed(1, hoursAgo(3)),
      await seed(1, hoursAgo(3)),
      await seed(1, hoursAgo(0.1)),
      await seed(3, hoursAgo(5)),
    ];
    await projectAll(store, db.sql);

    // The user acts on `racing` after the read model saw it idle, before the detector runs.
    await handle(racing, [{ type: 'EnterStep', data: { step: 'recommendation_review' } }], {
      now: new Date(),
      correlationId: 'user',
      tenantId: 'tenant-a',
      actor: 'user:u',
    });

    const metrics = createMetrics(undefined, false);
    const deps = {
      sql: db.sql,
      handle,
      metrics,
      clock: () => new Date(),
      thresholdSeconds: 3600,
      batchSize: 100,
    };
    expect(await detectAbandoned(deps)).toEqual({ candidates: 2, abandoned: 1, raced: 1 });
    const last = async (id: string) => (await store.readStream(`onboarding-${id}`)).events.at(-1);
    expect(await last(idle)).toMatchObject({
      type: 'SessionAbandoned',
      data: { reason: 'inactivity' },
    });
    expect(
      ((await last(idle))?.data as { idleSeconds: number }).idleSeconds,
    ).toBeGreaterThanOrEqual(3 * 3600 - 5);
    // Event time: it ended at its last activity + the threshold; detected now.
    const abandoned = (await last(idle))?.data as { at: string; detectedAt: string };
    const lastActivity = (await store.readStream(`onboarding-${idle}`)).events.at(-2)?.data as {
      at: string;
    };
    expect(Date.parse(abandoned.at)).toBe(Date.parse(lastActivity.at) + 3600 * 1000);
    expect(Date.parse(abandoned.detectedAt) - Date.now()).toBeLessThan(60_000);
    expect(Date.parse(abandoned.detectedAt)).toBeGreaterThan(Date.parse(abandoned.at));
    expect((await last(racing))?.type).toBe('StepEntered');
    expect((await last(recent))?.type).not.toBe('SessionAbandoned');
    expect((await last(done))?.type).toBe('SessionCompleted');
    expect(
      await metrics.registry.getSingleMetricAsString('session_abandonment_detected_total'),
    ).toContain('risk_level="medium"} 1'); // no model yet: the rule table (3 h idle = 30 points)
    // A second pass on a stale read model changes nothing: the appended event moved the version.
    expect((await detectAbandoned(deps)).abandoned).toBe(0);
  });

  it('sets session_recovery_success_rate from resumed sessions that progressed', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const step = 'information_collection';
    const resumedThen = async (progress: OnboardingEvent[]) => {
      const id = randomUUID();
      const saved = oneOfEach().find((e) => e.type === 'CheckpointSaved') as OnboardingEvent;
      const events: OnboardingEvent[] = [
        sessionStarted({ sessionId: id }),
        saved,
        { type: 'SessionResumed', data: { fromCheckpointVersion: 1, at: at(10) } },
        ...progress,
      ];
      await store.appendToStream(`onboarding-${id}`, toNewEvents(events), { expectedVersion: -1 });
    };
    await resumedThen([
      { type: 'StepEntered', data: { step, stepIndex: 0, at: at(11) } },
      { type: 'StepCompleted', data: { step, stepIndex: 0, durationMs: 1000, at: at(12) } },
    ]);
    await resumedThen([{ type: 'StepEntered', data: { step, stepIndex: 0, at: at(11) } }]);
    await projectAll(store, db.sql);
    const metrics = createMetrics(undefined, false);
    await updateRecoveryRate({
      sql: db.sql,
      handle: createCommandHandler({ eventStore: store, newId: () => randomUUID() }),
      metrics,
      clock: () => new Date(),
      thresholdSeconds: 3600,
      batchSize: 100,
    });
    expect(
      await metrics.registry.getSingleMetricAsString('session_recovery_success_rate'),
    ).toContain('session_recovery_success_rate 0.5');
  });

  it('pages past a full batch it cannot abandon instead of starving the sessions behind it', async () => {
    const own = await createTestDatabase();
    try {
      const store = createMessageDbEventStore({ sql: own.sql, groupCommit: false });
      const handle = createCommandHandler({ eventStore: store, newId: () => randomUUID() });
      const seedIdle = async (hours: number) => {
        const id = randomUUID();
        const when = new Date(Date.now() - hours * 3_600_000).toISOString();
        const events = sessionHistory(id, 1).map(
          (e) => ({ ...e, data: { ...e.data, at: when } }) as OnboardingEvent,
        );
        await store.appendToStream(`onboarding-${id}`, toNewEvents(events), {
          expectedVersion: -1,
        });
        return id;
      };
      // The three most idle sessions move on after the read model saw them (as if the projector
      // were stuck behind a dead letter): the detector can never abandon them from this view.
      const stuck = [await seedIdle(9), await seedIdle(8), await seedIdle(7)];
      const behind = [await seedIdle(4), await seedIdle(3)];
      await projectAll(store, own.sql);
      for (const id of stuck)
        await handle(id, [{ type: 'EnterStep', data: { step: 'recommendation_review' } }], {
          now: new Date(),
          correlationId: 'user',
          tenantId: 'tenant-a',
          actor: 'user:u',
        });
      const deps = {
        sql: own.sql,
        handle,
        metrics: createMetrics(undefined, false),
        clock: () => new Date(),
        thresholdSeconds: 3600,
        batchSize: 2,
      };
      expect(await detectAbandoned(deps)).toEqual({ candidates: 5, abandoned: 2, raced: 3 });
      for (const id of behind)
        expect((await store.readStream(`onboarding-${id}`)).events.at(-1)?.type).toBe(
          'SessionAbandoned',
        );
      // A detector that is not the leader does nothing.
      expect(await detectAbandoned(deps, () => false)).toEqual({
        candidates: 0,
        abandoned: 0,
        raced: 0,
      });
    } finally {
      await own.drop();
    }
  });
});
