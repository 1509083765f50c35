import type { SessionState } from '../../../events/onboarding/state';
import { ruleFactors } from '../../../services/risk/ruleScore';

/** The documented rule table (services/risk/README.md): each band's edge, checked by hand. */
const t0 = Date.parse('2026-01-05T10:00:00.000Z');

const session = (questionsAsked: Record<string, number>, errorCount: number): SessionState =>
  ({
    lastActivityAt: new Date(t0).toISOString(),
    questionsAsked,
    errorCount,
  }) as unknown as SessionState;

const points = (idleSeconds: number, asked: Record<string, number>, errors: number) =>
  ruleFactors(session(asked, errors), t0 + idleSeconds * 1000).map((f) => [
    f.factor,
    f.value,
    f.contribution,
  ]);

describe('rule score factors', () => {
  it('names the factors with their weights', () => {
    expect(ruleFactors(session({}, 0), t0).map((f) => [f.factor, f.weight])).toEqual([
      ['inactivity', 0.3],
      ['question_repetition', 0.25],
      ['session_complexity', 0.2],
      ['error_frequency', 0.25],
    ]);
  });

  it('inactivity: over 120 s 10, over 300 s 20, over 600 s 30 points', () => {
    const idle = (s: number) => points(s, {}, 0)[0];
    expect(idle(120)).toEqual(['inactivity', 120, 0]);
    expect(idle(120.4)).toEqual(['inactivity', 120, 10]);
    expect(idle(300)).toEqual(['inactivity', 300, 10]);
    expect(idle(301)).toEqual(['inactivity', 301, 20]);
    expect(idle(600)).toEqual(['inactivity', 600, 20]);
    expect(idle(601)).toEqual(['inactivity', 601, 30]);
    // a last event after now is no idle time
    expect(idle(-30)).toEqual(['inactivity', 0, 0]);
  });

  it('repetition: over 1 repeat 15, over 3 repeats 25 points', () => {
    const rep = (asked: Record<string, number>) => points(0, asked, 0)[1];
    expect(rep({ q1: 2, q2: 1, q3: 0 })).toEqual(['question_repetition', 1, 0]);
    expect(rep({ q1: 2, q2: 2 })).toEqual(['question_repetition', 2, 15]);
    expect(rep({ q1: 4 })).toEqual(['question_repetition', 3, 15]);
    expect(rep({ q1: 4, q2: 2 })).toEqual(['question_repetition', 4, 25]);
  });

  it('complexity: over 15 questions asked 10, over 20 20 points', () => {
    const asked = (n: number) => points(0, { a: 1, b: n - 1 }, 0)[2];
    expect(asked(15)).toEqual(['session_complexity', 15, 0]);
    expect(asked(16)).toEqual(['session_complexity', 16, 10]);
    expect(asked(20)).toEqual(['session_complexity', 20, 10]);
    expect(asked(21)).toEqual(['session_complexity', 21, 20]);
  });

  it('errors: over 1 8, over 3 15, over 5 25 points', () => {
    const err = (n: number) => points(0, {}, n)[3];
    expect([1, 2, 3, 4, 5, 6].map((n) => err(n)?.[2])).toEqual([0, 8, 8, 15, 15, 25]);
    expect(err(4)).toEqual(['error_frequency', 4, 15]);
  });
});
