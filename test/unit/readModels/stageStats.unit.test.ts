import type { OnboardingEvent } from '../../../events/onboarding/events';
import type { SessionState } from '../../../events/onboarding/state';
import {
  emptyStages,
  evolveStages,
  type StageStats,
} from '../../../projections/sessionSummary/stageStats';

/** Per-step statistics of one session: expected arrays written by hand. */
const at = '2026-01-05T10:00:00.000Z';
const later = '2026-01-05T10:05:00.000Z';

const before = (currentStep: string | null): SessionState =>
  ({ steps: ['a', 'b', 'c'], currentStep }) as unknown as SessionState;

const stages = (overrides: Partial<StageStats> = {}): StageStats => ({
  reachedAt: [at, null, null],
  errors: [0, 2, 0],
  uploadRejections: [1, 0, 0],
  rateLimitHits: [0, 0, 3],
  ...overrides,
});

const entered = (step: string, stepIndex: number, when = later): OnboardingEvent => ({
  type: 'StepEntered',
  data: { step, stepIndex, at: when },
});
const error = (step: string | null): OnboardingEvent => ({
  type: 'ErrorOccurred',
  data: { step, category: 'network', code: 'E1', retryable: true, at },
});
const rejected: OnboardingEvent = {
  type: 'UploadRejected',
  data: { kind: 'photo', reason: 'too_large', at },
};
const limited: OnboardingEvent = {
  type: 'RateLimitHit',
  data: { resource: 'session_read', at },
};

describe('stage statistics', () => {
  it('start empty: never reached, no trouble, one entry per step', () => {
    expect(emptyStages(3)).toEqual({
      reachedAt: [null, null, null],
      errors: [0, 0, 0],
      uploadRejections: [0, 0, 0],
      rateLimitHits: [0, 0, 0],
    });
    expect(emptyStages(0)).toEqual({
      reachedAt: [],
      errors: [],
      uploadRejections: [],
      rateLimitHits: [],
    });
  });

  it('a step entered the first time records when; a re-entry keeps the first time', () => {
    expect(evolveStages(stages(), before('a'), entered('b', 1))).toEqual(
      stages({ reachedAt: [at, later, null] }),
    );
    expect(evolveStages(stages(), before('b'), entered('a', 0, later))).toEqual(stages());
  });

  it('an error counts in its own step, or in the current one when it names none', () => {
    expect(evolveStages(stages(), before('a'), error('c')).errors).toEqual([0, 2, 1]);
    expect(evolveStages(stages(), before('b'), error(null)).errors).toEqual([0, 3, 0]);
    expect(evolveStages(stages(), before('a'), error(null)).errors).toEqual([1, 2, 0]);
    // the other statistics stay as they were
    expect(evolveStages(stages(), before('a'), error('c'))).toEqual(stages({ errors: [0, 2, 1] }));
  });

  it('an error outside any step, or in a step not in the flow, counts nowhere', () => {
    expect(evolveStages(stages(), before(null), error(null))).toEqual(stages());
    expect(evolveStages(stages(), before('a'), error('zz'))).toEqual(stages());
  });

  it('upload rejections and rate-limit hits count in the current step', () => {
    expect(evolveStages(stages(), before('a'), rejected)).toEqual(
      stages({ uploadRejections: [2, 0, 0] }),
    );
    expect(evolveStages(stages(), before('c'), rejected)).toEqual(
      stages({ uploadRejections: [1, 0, 1] }),
    );
    expect(evolveStages(stages(), before('a'), limited)).toEqual(
      stages({ rateLimitHits: [1, 0, 3] }),
    );
    expect(evolveStages(stages(), before('c'), limited)).toEqual(
      stages({ rateLimitHits: [0, 0, 4] }),
    );
  });

  it('before the first step they count nowhere', () => {
    expect(evolveStages(stages(), before(null), rejected)).toEqual(stages());
    expect(evolveStages(stages(), before(null), limited)).toEqual(stages());
  });

  it('other events change nothing', () => {
    const other: OnboardingEvent = {
      type: 'QuestionAsked',
      data: { step: 'a', questionId: 'q', at },
    };
    expect(evolveStages(stages(), before('a'), other)).toEqual(stages());
  });
});
