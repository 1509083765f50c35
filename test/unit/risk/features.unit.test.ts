import type { SessionState } from '../../../events/onboarding/state';
import {
  featureNames,
  modelInput,
  rawFeatures,
  type RawFeatures,
} from '../../../services/risk/features';

/**
 * The risk model's inputs, with every expected value worked out by hand from a session state
 * written out in full (no fold, no reuse of the code under test).
 */
const t0 = Date.parse('2026-01-05T10:00:00.000Z');
const iso = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

const state = (overrides: Partial<SessionState> = {}): SessionState => ({
  sessionId: 's-1',
  tenantId: 'tenant-a',
  userId: 'user-1',
  flowId: 'flow-a',
  flowVersion: 1,
  steps: ['a', 'b', 'c', 'd'],
  language: 'en',
  channel: 'web',
  userType: 'standard',
  clientId: null,
  status: 'active',
  currentStep: 'b',
  currentStepEnteredAt: iso(600),
  completedSteps: ['a'],
  furthestStepIndex: 1,
  startedAt: iso(0),
  lastActivityAt: iso(1200),
  endedAt: null,
  endReason: null,
  errorCount: 3,
  questionsAsked: { q1: 3, q2: 1, q3: 0 },
  questionsAnswered: 2,
  uploadsAccepted: 0,
  uploadsRejected: 2,
  uploadBytes: 0,
  rateLimitHits: 1,
  checkpointVersion: 0,
  checkpoints: [],
  resumeCount: 4,
  progressedAfterResume: false,
  eventCount: 20,
  ...overrides,
});

// 10:30 UTC: 30 min after t0.
const now = t0 + 1800 * 1000;
// b's median in flow-a: 5 minutes (medians are stored in milliseconds).
const medians = { 'flow-a': { a: 60_000, b: 300_000 }, 'flow-b': { b: 1 } };

describe('risk features', () => {
  it('names its inputs in a fixed order', () => {
    expect(featureNames).toEqual([
      'idle_minutes',
      'step_time_ratio',
      'progress',
      'question_repeats',
      'errors',
      'upload_rejections',
      'rate_limit_hits',
      'resumes',
      'activity',
      'hour_sin',
      'hour_cos',
      'channel_web',
      'channel_mobile',
    ]);
  });

  it('reads a live session at 10:30 UTC', () => {
    const raw = rawFeatures(state(), now, medians);
    expect(raw).toEqual({
      // last activity at 10:20 → 10 minutes idle
      idle_minutes: 10,
      // in b since 10:10 (20 min) against a 5 min median → 4
      step_time_ratio: 4,
      // 1 of 4 steps completed
      progress: 0.25,
      // q1 asked 3 times (2 repeats), q2 once, q3 never (no negative repeats)
      question_repeats: 2,
      errors: 3,
      upload_rejections: 2,
      rate_limit_hits: 1,
      resumes: 4,
      activity: 20,
      hour_sin: expect.any(Number),
      hour_cos: expect.any(Number),
      channel_web: 1,
      channel_mobile: 0,
    });
    // 10.5 h of 24 = 0.4375 of a turn = 157.5°: sin 0.382683, cos −0.923880
    expect(raw.hour_sin).toBeCloseTo(0.382683, 6);
    expect(raw.hour_cos).toBeCloseTo(-0.92388, 5);
  });

  it('puts the hour on a circle: 18:00 is (−1, 0), midnight is (0, 1)', () => {
    const six = rawFeatures(state(), Date.parse('2026-01-05T18:00:00.000Z'), medians);
    expect(six.hour_sin).toBeCloseTo(-1, 10);
    expect(six.hour_cos).toBeCloseTo(0, 10);
    const midnight = rawFeatures(state(), Date.parse('2026-01-06T00:00:00.000Z'), medians);
    expect(midnight.hour_sin).toBeCloseTo(0, 10);
    expect(midnight.hour_cos).toBeCloseTo(1, 10);
    // 06:45: 6.75/24 = 0.28125 of a turn = 101.25°: sin 0.980785, cos −0.195090
    const quarter = rawFeatures(state(), Date.parse('2026-01-05T06:45:00.000Z'), medians);
    expect(quarter.hour_sin).toBeCloseTo(0.980785, 6);
    expect(quarter.hour_cos).toBeCloseTo(-0.19509, 5);
  });

  it('counts idle time to now and never below zero', () => {
    expect(rawFeatures(state(), t0 + 1200 * 1000 + 90_000, medians).idle_minutes).toBe(1.5);
    // a last event stamped after `now` (clock skew) is not negative idle time
    expect(rawFeatures(state({ lastActivityAt: iso(3600) }), now, medians).idle_minutes).toBe(0);
  });

  it('uses ratio 1 when there is no usable median, and 0 when not in a step yet', () => {
    const ratio = (s: Partial<SessionState>, m: typeof medians | Record<string, never>) =>
      rawFeatures(state(s), now, m).step_time_ratio;
    expect(ratio({}, {})).toBe(1); // flow unknown to the model
    expect(ratio({ currentStep: 'c' }, medians)).toBe(1); // step unknown
    expect(ratio({ currentStep: null, currentStepEnteredAt: null }, medians)).toBe(1);
    expect(ratio({}, { 'flow-a': { b: 0 } } as never)).toBe(1);
    expect(ratio({}, { 'flow-a': { b: -60_000 } } as never)).toBe(1);
    // step entered time unknown: 0 minutes in it
    expect(ratio({ currentStepEnteredAt: null }, medians)).toBe(0);
    // entered after now: 0, not negative
    expect(ratio({ currentStepEnteredAt: iso(2400) }, medians)).toBe(0);
    // the median is looked up in the session's own flow: flow-b's b is 1 ms, 20 min / (1/60000 min)
    expect(ratio({ flowId: 'flow-b' }, medians)).toBe(20 * 60_000);
    // in a, 20 min against 1 min
    expect(ratio({ currentStep: 'a' }, medians)).toBe(20);
  });

  it('progress of a flow with no steps is 0; a finished one is 1', () => {
    expect(rawFeatures(state({ steps: [], completedSteps: [] }), now, medians).progress).toBe(0);
    expect(
      rawFeatures(state({ completedSteps: ['a', 'b', 'c', 'd'] }), now, medians).progress,
    ).toBe(1);
  });

  it('one-hot channel: mobile, and neither for another channel', () => {
    const mobile = rawFeatures(state({ channel: 'mobile' }), now, medians);
    expect([mobile.channel_web, mobile.channel_mobile]).toEqual([0, 1]);
    const kiosk = rawFeatures(state({ channel: 'kiosk' }), now, medians);
    expect([kiosk.channel_web, kiosk.channel_mobile]).toEqual([0, 0]);
  });

  it('no questions, no repeats', () => {
    expect(rawFeatures(state({ questionsAsked: {} }), now, medians).question_repeats).toBe(0);
    expect(
      rawFeatures(state({ questionsAsked: { q1: 1, q2: 1 } }), now, medians).question_repeats,
    ).toBe(0);
  });

  it('model input: log1p of counts and durations, the rest as is, in order', () => {
    const raw: RawFeatures = {
      idle_minutes: Math.E - 1,
      step_time_ratio: 0,
      progress: 0.25,
      question_repeats: Math.E ** 2 - 1,
      errors: 1,
      upload_rejections: 3,
      rate_limit_hits: 7,
      resumes: 15,
      activity: 31,
      hour_sin: -0.5,
      hour_cos: 0.75,
      channel_web: 1,
      channel_mobile: 0,
    };
    const expected = [
      1,
      0,
      0.25,
      2,
      Math.LN2,
      2 * Math.LN2,
      3 * Math.LN2,
      4 * Math.LN2,
      5 * Math.LN2,
      -0.5,
      0.75,
      1,
      0,
    ];
    const got = modelInput(raw);
    expect(got).toHaveLength(expected.length);
    expected.forEach((want, i) => expect(got[i]).toBeCloseTo(want, 12));
  });
});
