import type { OnboardingEvent } from '../../../events/onboarding/events';
import { evolve, fold, initialState, retainedCheckpoints } from '../../../events/onboarding/state';
import { at, sessionStarted, t0 } from '../../support/builders/onboarding';

/**
 * evolve, event by event, against values written out by hand: each applier must change exactly
 * what its event means (counters by one, the furthest step only forwards, the status strings,
 * the checkpoint cap, progress after a resume) and nothing else.
 */
const started = sessionStarted();
const s0 = fold([started]);
const after = (...events: OnboardingEvent[]) => {
  const state = fold([started, ...events]);
  if (state === null) throw new Error('no state');
  return state;
};
const enter = (step: string, stepIndex: number, s: number): OnboardingEvent => ({
  type: 'StepEntered',
  data: { step, stepIndex, at: at(s) },
});
const complete = (step: string, stepIndex: number, s: number): OnboardingEvent => ({
  type: 'StepCompleted',
  data: { step, stepIndex, durationMs: 500, at: at(s) },
});
const resumed = (s: number): OnboardingEvent => ({
  type: 'SessionResumed',
  data: { fromCheckpointVersion: 1, at: at(s) },
});
const checkpoint = (v: number, s: number): OnboardingEvent => ({
  type: 'CheckpointSaved',
  data: {
    checkpointVersion: v,
    checkpointHash: `h${v}`,
    clientState: 'in_progress',
    dataVersion: 3,
    data: null,
    sizeBytes: 17,
    at: at(s),
  },
});

describe('evolve: starting', () => {
  it('starts from nothing: no state before SessionStarted, and events before it are ignored', () => {
    expect(initialState()).toBeNull();
    expect(evolve(null, enter('approval', 2, 1))).toBeNull();
    expect(fold([enter('approval', 2, 1), started])).toEqual(s0);
  });

  it('a started session: its data, active, nothing counted, one event', () => {
    expect(s0).toEqual({
      sessionId: started.data.sessionId,
      tenantId: 'tenant-a',
      userId: 'user-1',
      flowId: 'default',
      flowVersion: 1,
      steps: ['information_collection', 'recommendation_review', 'approval'],
      language: 'en',
      channel: 'web',
      userType: 'standard',
      clientId: null,
      status: 'active',
      currentStep: null,
      currentStepEnteredAt: null,
      completedSteps: [],
      furthestStepIndex: -1,
      startedAt: t0,
      lastActivityAt: t0,
      endedAt: null,
      endReason: null,
      errorCount: 0,
      questionsAsked: {},
      questionsAnswered: 0,
      uploadsAccepted: 0,
      uploadsRejected: 0,
      uploadBytes: 0,
      rateLimitHits: 0,
      checkpointVersion: 0,
      checkpoints: [],
      resumeCount: 0,
      progressedAfterResume: false,
      eventCount: 1,
    });
  });

  it('a second SessionStarted changes nothing but the event count', () => {
    expect(after(started)).toEqual({ ...s0, eventCount: 2 });
  });
});

describe('evolve: steps', () => {
  it('entering moves the current step; the furthest step is the maximum, never lowered', () => {
    const s = after(enter('approval', 2, 5), enter('information_collection', 0, 7));
    expect(s).toMatchObject({
      currentStep: 'information_collection',
      currentStepEnteredAt: at(7),
      furthestStepIndex: 2,
      lastActivityAt: at(7),
      eventCount: 3,
    });
    expect(after(enter('recommendation_review', 1, 5)).furthestStepIndex).toBe(1);
  });

  it('completing adds the step once and keeps the current step', () => {
    const s = after(
      enter('information_collection', 0, 1),
      complete('information_collection', 0, 2),
      complete('information_collection', 0, 3),
    );
    expect(s).toMatchObject({
      completedSteps: ['information_collection'],
      currentStep: 'information_collection',
      lastActivityAt: at(3),
      progressedAfterResume: false,
    });
  });
});

describe('evolve: counters, each by exactly one', () => {
  const each: [string, OnboardingEvent, Partial<Record<string, unknown>>][] = [
    [
      'QuestionAsked',
      { type: 'QuestionAsked', data: { step: 'approval', questionId: 'q9', at: at(4) } },
      { questionsAsked: { q9: 1 }, lastActivityAt: at(4) },
    ],
    [
      'QuestionAnswered',
      {
        type: 'QuestionAnswered',
        data: { step: 'approval', questionId: 'q9', answerLength: 4, answer: null, at: at(4) },
      },
      { questionsAnswered: 1, lastActivityAt: at(4) },
    ],
    [
      'ErrorOccurred',
      {
        type: 'ErrorOccurred',
        data: { step: null, category: 'network', code: 'E', retryable: true, at: at(4) },
      },
      { errorCount: 1, lastActivityAt: at(4) },
    ],
    [
      'UploadAccepted',
      {
        type: 'UploadAccepted',
        data: {
          uploadId: 'u1',
          kind: 'photo',
          sizeBytes: 1234,
          contentType: 'image/jpeg',
          at: at(4),
        },
      },
      { uploadsAccepted: 1, uploadBytes: 1234, lastActivityAt: at(4) },
    ],
    [
      'UploadRejected',
      { type: 'UploadRejected', data: { kind: 'photo', reason: 'too_large', at: at(4) } },
      { uploadsRejected: 1, lastActivityAt: at(4) },
    ],
    ['SessionResumed', resumed(4), { resumeCount: 1, lastActivityAt: at(4) }],
    [
      'RateLimitHit',
      { type: 'RateLimitHit', data: { resource: 'session_read', at: at(4) } },
      // A refused request is counted, but it is not activity.
      { rateLimitHits: 1, lastActivityAt: t0 },
    ],
  ];

  it.each(each)('%s changes only its own fields (and the event count)', (_name, event, changed) => {
    expect(after(event)).toEqual({ ...s0, ...changed, eventCount: 2 });
  });

  it('counts add up over several events', () => {
    const twice = each.flatMap(([, e]) => [e, e, e]);
    expect(after(...twice)).toMatchObject({
      questionsAsked: { q9: 3 },
      questionsAnswered: 3,
      errorCount: 3,
      uploadsAccepted: 3,
      uploadBytes: 3702,
      uploadsRejected: 3,
      resumeCount: 3,
      rateLimitHits: 3,
      eventCount: 22,
    });
  });
});

describe('evolve: checkpoints', () => {
  it('remembers where each checkpoint is, and takes the version from the event', () => {
    const s = after(checkpoint(1, 2), checkpoint(7, 3));
    expect(s.checkpointVersion).toBe(7);
    expect(s.checkpoints).toEqual([
      {
        version: 1,
        hash: 'h1',
        clientState: 'in_progress',
        dataVersion: 3,
        sizeBytes: 17,
        at: at(2),
        position: 1,
      },
      {
        version: 7,
        hash: 'h7',
        clientState: 'in_progress',
        dataVersion: 3,
        sizeBytes: 17,
        at: at(3),
        position: 2,
      },
    ]);
    expect(s.lastActivityAt).toBe(at(3));
  });

  it(`keeps the latest ${retainedCheckpoints} references only`, () => {
    expect(retainedCheckpoints).toBe(50);
    const many = Array.from({ length: 53 }, (_, i) => checkpoint(i + 1, i + 1));
    const s = after(...many);
    expect(s.checkpointVersion).toBe(53);
    expect(s.checkpoints).toHaveLength(50);
    expect(s.checkpoints[0]?.version).toBe(4);
    expect(s.checkpoints.at(-1)?.version).toBe(53);
  });
});

describe('evolve: ending, and progress after a resume', () => {
  it('completion: status "completed", ended, no reason', () => {
    const s = after({ type: 'SessionCompleted', data: { at: at(9) } });
    expect(s).toEqual({
      ...s0,
      status: 'completed',
      endedAt: at(9),
      endReason: null,
      lastActivityAt: at(9),
      eventCount: 2,
    });
  });

  it('cancellation and abandonment: their status strings and reasons', () => {
    expect(
      after({ type: 'SessionCancelled', data: { reason: 'user_cancelled', at: at(9) } }),
    ).toEqual({
      ...s0,
      status: 'cancelled',
      endedAt: at(9),
      endReason: 'user_cancelled',
      lastActivityAt: at(9),
      eventCount: 2,
    });
    expect(
      after({
        type: 'SessionAbandoned',
        data: { reason: 'idle_timeout', idleSeconds: 1800, at: at(9) },
      }),
    ).toEqual({
      ...s0,
      status: 'abandoned',
      endedAt: at(9),
      endReason: 'idle_timeout',
      lastActivityAt: at(9),
      eventCount: 2,
    });
  });

  it('progress after a resume: a completed step or session after a resume, never before one', () => {
    const step = [enter('information_collection', 0, 1), complete('information_collection', 0, 2)];
    expect(after(...step).progressedAfterResume).toBe(false);
    expect(after(...step, resumed(3)).progressedAfterResume).toBe(false);
    expect(after(resumed(0), ...step).progressedAfterResume).toBe(true);
    expect(after(resumed(0), enter('information_collection', 0, 1)).progressedAfterResume).toBe(
      false,
    );
    const done = { type: 'SessionCompleted', data: { at: at(9) } } as const;
    expect(after(done).progressedAfterResume).toBe(false);
    expect(after(resumed(0), done).progressedAfterResume).toBe(true);
    // Once made, progress stays.
    expect(after(resumed(0), ...step, enter('approval', 2, 5)).progressedAfterResume).toBe(true);
    expect(after(resumed(0), ...step, done).progressedAfterResume).toBe(true);
  });
});
