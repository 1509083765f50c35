import type { SessionState } from '../../events/onboarding/state';

/** The public JSON shape of a session (snake_case, like every response). No personal data. */
export const sessionView = (s: SessionState, version: number) => ({
  session_id: s.sessionId,
  tenant_id: s.tenantId,
  user_id: s.userId,
  status: s.status,
  version,
  flow: { id: s.flowId, version: s.flowVersion, steps: s.steps },
  language: s.language,
  channel: s.channel,
  user_type: s.userType,
  client_id: s.clientId,
  current_step: s.currentStep,
  completed_steps: s.completedSteps,
  furthest_step_index: s.furthestStepIndex,
  progress: s.steps.length === 0 ? 0 : s.completedSteps.length / s.steps.length,
  started_at: s.startedAt,
  last_activity_at: s.lastActivityAt,
  ended_at: s.endedAt,
  counts: {
    errors: s.errorCount,
    questions_asked: Object.values(s.questionsAsked).reduce((a, b) => a + b, 0),
    questions_answered: s.questionsAnswered,
    uploads_accepted: s.uploadsAccepted,
    uploads_rejected: s.uploadsRejected,
    checkpoints: s.checkpointVersion,
    resumes: s.resumeCount,
  },
});
