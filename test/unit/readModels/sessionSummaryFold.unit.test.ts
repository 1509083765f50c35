import type { RecordedEvent } from '../../../events/envelope';
import type { OnboardingEvent } from '../../../events/onboarding/events';
import {
  evolveSummary,
  questionRepeats,
  UnknownEventTypeError,
  type SessionSummary,
} from '../../../projections/sessionSummary/sessionSummary';
import type { SessionState } from '../../../events/onboarding/state';

/** The summary fold without a database: what only the read model adds to the session state. */
const id = '9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11';
const at = (s: number) => new Date(Date.parse('2026-01-05T10:00:00.000Z') + s * 1000).toISOString();

const recorded = (e: { type: string; data: unknown }, position: number): RecordedEvent => ({
  eventId: `e-${position}`,
  streamName: `onboarding-${id}`,
  type: e.type,
  data: e.data,
  metadata: { correlationId: 'c', tenantId: 'tenant-a', actor: 'test' },
  streamPosition: position,
  globalPosition: 100 + position,
  recordedAt: at(0),
});

const started: OnboardingEvent = {
  type: 'SessionStarted',
  data: {
    sessionId: id,
    tenantId: 'tenant-a',
    userId: 'u',
    flowId: 'f',
    flowVersion: 1,
    steps: ['a', 'b', 'c'],
    language: 'en',
    channel: 'web',
    userType: 'standard',
    clientId: null,
    at: at(0),
  },
};
const entered = (step: string, stepIndex: number, s: number): OnboardingEvent => ({
  type: 'StepEntered',
  data: { step, stepIndex, at: at(s) },
});

const foldAll = (events: readonly OnboardingEvent[]): SessionSummary =>
  events.reduce<SessionSummary | null>(
    (summary, e, i) => evolveSummary(summary, recorded(e, i)),
    null,
  ) as SessionSummary;

describe('session summary fold', () => {
  it('starts from SessionStarted: empty stages, nothing reached yet, the position kept', () => {
    const s = foldAll([started]);
    expect(s.sessionId).toBe(id);
    expect(s.lastPosition).toBe(0);
    expect(s.furthestStepReachedAt).toBeNull();
    expect(s.stages).toEqual({
      reachedAt: [null, null, null],
      errors: [0, 0, 0],
      uploadRejections: [0, 0, 0],
      rateLimitHits: [0, 0, 0],
    });
    expect(s.state.status).toBe('active');
  });

  it('records when the furthest step was reached, not when it was re-entered', () => {
    const s1 = foldAll([started, entered('a', 0, 10)]);
    expect(s1.furthestStepReachedAt).toBe(at(10));
    expect(s1.lastPosition).toBe(1);
    expect(s1.stages.reachedAt).toEqual([at(10), null, null]);
    const s2 = foldAll([started, entered('a', 0, 10), entered('b', 1, 20), entered('a', 0, 30)]);
    expect(s2.furthestStepReachedAt).toBe(at(20));
    expect(s2.lastPosition).toBe(3);
    expect(s2.stages.reachedAt).toEqual([at(10), at(20), null]);
    // an event that is not a step keeps the time too
    const s3 = foldAll([
      started,
      entered('b', 1, 20),
      { type: 'QuestionAsked', data: { step: 'b', questionId: 'q', at: at(40) } },
    ]);
    expect(s3.furthestStepReachedAt).toBe(at(20));
  });

  it('updates the stage statistics with the state before the event', () => {
    const s = foldAll([
      started,
      entered('a', 0, 10),
      {
        type: 'ErrorOccurred',
        data: { step: null, category: 'network', code: 'E', retryable: true, at: at(11) },
      },
      entered('b', 1, 20),
      { type: 'RateLimitHit', data: { resource: 'session_read', at: at(21) } },
    ]);
    expect(s.stages.errors).toEqual([1, 0, 0]);
    expect(s.stages.rateLimitHits).toEqual([0, 1, 0]);
  });

  it('refuses an unknown event type and a stream without SessionStarted', () => {
    const unknown = () => evolveSummary(null, recorded({ type: 'Nope', data: {} }, 0));
    expect(unknown).toThrow(UnknownEventTypeError);
    expect(unknown).toThrow('unknown event type Nope');
    const headless = () => evolveSummary(null, recorded(entered('a', 0, 1), 0));
    expect(headless).toThrow(UnknownEventTypeError);
    expect(headless).toThrow(`session ${id} has no SessionStarted`);
    let thrown: unknown;
    try {
      unknown();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'unknown_event_type', category: 'decode' });
  });

  it('counts question repeats: every ask after the first', () => {
    const repeats = (asked: Record<string, number>) =>
      questionRepeats({ questionsAsked: asked } as unknown as SessionState);
    expect(repeats({})).toBe(0);
    expect(repeats({ q1: 1 })).toBe(0);
    expect(repeats({ q1: 3, q2: 1, q3: 2, q4: 0 })).toBe(3);
  });
});
