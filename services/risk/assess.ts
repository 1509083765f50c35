import type { SessionState } from '../../events/onboarding/state';
import { modelInput, rawFeatures, featureNames, type FeatureName } from './features';
import { contributions, predict } from './logisticRegression';
import type { RiskModel } from './riskModel';
import { ruleFactors } from './ruleScore';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';
export const riskLevels: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];

/** The documented cut-offs: ≥ 70 critical, ≥ 40 high, ≥ 20 medium; the lowest score of each. */
const floors: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 20, high: 40, critical: 70 };

export const riskLevelOf = (score: number): RiskLevel =>
  score >= floors.critical
    ? 'critical'
    : score >= floors.high
      ? 'high'
      : score >= floors.medium
        ? 'medium'
        : 'low';

/** The lowest score at a level: "at or above a level" is a score range (an index range scan). */
export const minimumScoreOf = (level: RiskLevel): number => floors[level];

const descriptions: Record<string, string> = {
  idle_minutes: 'minutes since the last activity',
  inactivity: 'seconds since the last activity',
  step_time_ratio: 'time in the current step against its median',
  progress: 'share of steps completed',
  question_repeats: 'questions asked again',
  question_repetition: 'questions asked again',
  errors: 'errors recorded',
  error_frequency: 'errors recorded',
  upload_rejections: 'uploads refused',
  rate_limit_hits: 'requests refused by rate limits',
  resumes: 'times resumed from a checkpoint',
  activity: 'events recorded so far',
  session_complexity: 'questions asked in total',
};

const interventions: Record<string, { type: string; action: string; message: string }> = {
  idle_minutes: {
    type: 'proactive_reach_out',
    action: 'send_reminder_email',
    message: 'Remind the user where they stopped',
  },
  inactivity: {
    type: 'proactive_reach_out',
    action: 'send_reminder_email',
    message: 'Remind the user where they stopped',
  },
  question_repeats: {
    type: 'human_assistance',
    action: 'offer_live_chat',
    message: 'The user seems confused by a question',
  },
  question_repetition: {
    type: 'human_assistance',
    action: 'offer_live_chat',
    message: 'The user seems confused by a question',
  },
  errors: {
    type: 'technical_support',
    action: 'escalate_to_support',
    message: 'The user is meeting errors',
  },
  error_frequency: {
    type: 'technical_support',
    action: 'escalate_to_support',
    message: 'The user is meeting errors',
  },
  upload_rejections: {
    type: 'technical_support',
    action: 'explain_upload_requirements',
    message: 'Uploads are being refused',
  },
  step_time_ratio: {
    type: 'contextual_help',
    action: 'show_step_help',
    message: 'The user is slow on this step',
  },
  session_complexity: {
    type: 'break_suggestion',
    action: 'suggest_save_and_resume',
    message: 'A long session: suggest a break',
  },
};
const nudge = {
  type: 'gentle_nudge',
  action: 'send_encouragement',
  message: 'Encourage the user to continue',
};
const priorities: Record<RiskLevel, string> = {
  critical: 'immediate',
  high: 'high',
  medium: 'medium',
  low: 'low',
};

type Factor = { factor: string; value: number; weight: number; contribution: number };

const finish = (scorer: string, probability: number, score: number, factors: Factor[]) => {
  const level = riskLevelOf(score);
  const top = factors.find((f) => f.contribution > 0 && interventions[f.factor] !== undefined);
  const chosen = top === undefined ? nudge : (interventions[top.factor] ?? nudge);
  return {
    scorer,
    risk_score: score,
    risk_level: level,
    predicted_abandonment_probability: Math.round(probability * 10_000) / 10_000,
    risk_factors: factors.map((f) => ({ ...f, description: descriptions[f.factor] ?? f.factor })),
    intervention_recommendation: {
      type: chosen.type,
      priority: priorities[level],
      message: chosen.message,
      actions: [chosen.action],
    },
  };
};

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Scores a live session at `now` with the active model, or with the rule table when none. */
export const assessRisk = (s: SessionState, now: number, model: RiskModel | null) => {
  if (model === null) {
    const factors = ruleFactors(s, now).sort((a, b) => b.contribution - a.contribution);
    const score = Math.min(
      100,
      factors.reduce((sum, f) => sum + f.contribution, 0),
    );
    return finish('rules', score / 100, score, factors);
  }
  const raw = rawFeatures(s, now, model.stepMedians);
  const input = modelInput(raw);
  const parts = contributions(model.model, input);
  const probability = predict(model.model, input);
  const factors = featureNames
    .map((name: FeatureName, i) => ({
      factor: name,
      value: round(raw[name]),
      weight: round(model.model.weights[i] ?? 0),
      contribution: round(parts[i] ?? 0),
    }))
    .filter((f) => f.weight !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return finish(`model:v${model.version}`, probability, Math.round(probability * 100), factors);
};

export type RiskAssessment = ReturnType<typeof assessRisk>;
