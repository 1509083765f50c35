import type { SessionState } from '../../events/onboarding/state';

/**
 * The documented rule table of points, kept as the fallback scorer when no model has been
 * trained. Points, not probabilities: its "probability" is score / 100 and is not calibrated.
 */
const band = (value: number, cuts: readonly (readonly [number, number])[]): number =>
  cuts.find(([over]) => value > over)?.[1] ?? 0;

export const ruleFactors = (s: SessionState, now: number) => {
  const idleSeconds = Math.max(0, (now - Date.parse(s.lastActivityAt)) / 1000);
  const repeats = Object.values(s.questionsAsked).reduce((a, n) => a + Math.max(0, n - 1), 0);
  const questions = Object.values(s.questionsAsked).reduce((a, n) => a + n, 0);
  return [
    {
      factor: 'inactivity',
      value: Math.round(idleSeconds),
      weight: 0.3,
      contribution: band(idleSeconds, [
        [600, 30],
        [300, 20],
        [120, 10],
      ]),
    },
    {
      factor: 'question_repetition',
      value: repeats,
      weight: 0.25,
      contribution: band(repeats, [
        [3, 25],
        [1, 15],
      ]),
    },
    {
      factor: 'session_complexity',
      value: questions,
      weight: 0.2,
      contribution: band(questions, [
        [20, 20],
        [15, 10],
      ]),
    },
    {
      factor: 'error_frequency',
      value: s.errorCount,
      weight: 0.25,
      contribution: band(s.errorCount, [
        [5, 25],
        [3, 15],
        [1, 8],
      ]),
    },
  ];
};
