/**
 * A reference fold of one session's events, written for the tests from the documented meaning of
 * each event (events/README.md, projections/README.md) and deliberately not from the code: it
 * imports no `evolve`, `fold`, `evolveSummary` or `evolveStages`, and walks the events with one
 * mutable record and a switch. A bug in the production fold does not cancel out against it.
 *
 * It knows the event shapes only as plain data (type + data), so it can take domain events and
 * recorded events alike.
 */

type Data = Record<string, unknown>;
export type PlainEvent = Readonly<{ type: string; data: unknown }>;

/** How many checkpoint references a session keeps (the documented retention). */
const keptCheckpoints = 50;

export type ReferenceCheckpoint = {
  version: number;
  hash: string;
  clientState: string;
  dataVersion: number;
  sizeBytes: number;
  at: string;
  position: number;
};

/** The session as the reference sees it (same field names as the documented state). */
export type ReferenceState = {
  sessionId: string;
  tenantId: string;
  userId: string;
  flowId: string;
  flowVersion: number;
  steps: string[];
  language: string;
  channel: string;
  userType: string;
  clientId: string | null;
  status: string;
  currentStep: string | null;
  currentStepEnteredAt: string | null;
  completedSteps: string[];
  furthestStepIndex: number;
  startedAt: string;
  lastActivityAt: string;
  endedAt: string | null;
  endReason: string | null;
  errorCount: number;
  questionsAsked: Record<string, number>;
  questionsAnswered: number;
  uploadsAccepted: number;
  uploadsRejected: number;
  uploadBytes: number;
  rateLimitHits: number;
  checkpointVersion: number;
  checkpoints: ReferenceCheckpoint[];
  resumeCount: number;
  progressedAfterResume: boolean;
  eventCount: number;
};

export type ReferenceStages = {
  reachedAt: (string | null)[];
  errors: number[];
  uploadRejections: number[];
  rateLimitHits: number[];
};

export type ReferenceSummary = {
  state: ReferenceState;
  furthestStepReachedAt: string | null;
  stages: ReferenceStages;
};

const str = (d: Data, k: string) => d[k] as string;
const num = (d: Data, k: string) => d[k] as number;

/**
 * The session summary after all `events` (null if no SessionStarted came first). Events before
 * the session started are not part of it; a second SessionStarted changes nothing but the count.
 */
export const referenceSummary = (events: readonly PlainEvent[]): ReferenceSummary | null => {
  let s: ReferenceState | null = null;
  let furthestAt: string | null = null;
  let stages: ReferenceStages | null = null;
  for (const { type, data } of events) {
    const d = data as Data;
    if (s === null) {
      if (type !== 'SessionStarted') continue;
      const steps = [...(d.steps as string[])];
      s = {
        sessionId: str(d, 'sessionId'),
        tenantId: str(d, 'tenantId'),
        userId: str(d, 'userId'),
        flowId: str(d, 'flowId'),
        flowVersion: num(d, 'flowVersion'),
        steps,
        language: str(d, 'language'),
        channel: str(d, 'channel'),
        userType: str(d, 'userType'),
        clientId: (d.clientId as string | null) ?? null,
        status: 'active',
        currentStep: null,
        currentStepEnteredAt: null,
        completedSteps: [],
        furthestStepIndex: -1,
        startedAt: str(d, 'at'),
        lastActivityAt: str(d, 'at'),
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
        // Only the fields above: the fixture's `at` is the start time, not a state field.
      };
      stages = {
        reachedAt: steps.map(() => null),
        errors: steps.map(() => 0),
        uploadRejections: steps.map(() => 0),
        rateLimitHits: steps.map(() => 0),
      };
      continue;
    }
    const g = stages as ReferenceStages;
    // The step the session was in before this event (-1: none yet).
    const current = s.currentStep === null ? -1 : s.steps.indexOf(s.currentStep);
    const position = s.eventCount;
    s.eventCount += 1;
    // Every event but a refused request is activity.
    if (type !== 'RateLimitHit' && type !== 'SessionStarted') s.lastActivityAt = str(d, 'at');
    switch (type) {
      case 'StepEntered': {
        const index = num(d, 'stepIndex');
        s.currentStep = str(d, 'step');
        s.currentStepEnteredAt = str(d, 'at');
        if (index > s.furthestStepIndex) {
          s.furthestStepIndex = index;
          furthestAt = str(d, 'at');
        }
        if (g.reachedAt[index] === null) g.reachedAt[index] = str(d, 'at');
        break;
      }
      case 'StepCompleted':
        if (!s.completedSteps.includes(str(d, 'step'))) s.completedSteps.push(str(d, 'step'));
        if (s.resumeCount > 0) s.progressedAfterResume = true;
        break;
      case 'QuestionAsked': {
        const id = str(d, 'questionId');
        s.questionsAsked[id] = (s.questionsAsked[id] ?? 0) + 1;
        break;
      }
      case 'QuestionAnswered':
        s.questionsAnswered += 1;
        break;
      case 'ErrorOccurred': {
        s.errorCount += 1;
        const step = d.step as string | null;
        const index = step === null ? current : s.steps.indexOf(step);
        if (index >= 0) g.errors[index] = (g.errors[index] ?? 0) + 1;
        break;
      }
      case 'UploadAccepted':
        s.uploadsAccepted += 1;
        s.uploadBytes += num(d, 'sizeBytes');
        break;
      case 'UploadRejected':
        s.uploadsRejected += 1;
        if (current >= 0) g.uploadRejections[current] = (g.uploadRejections[current] ?? 0) + 1;
        break;
      case 'CheckpointSaved':
        s.checkpointVersion = num(d, 'checkpointVersion');
        s.checkpoints.push({
          version: num(d, 'checkpointVersion'),
          hash: str(d, 'checkpointHash'),
          clientState: str(d, 'clientState'),
          dataVersion: num(d, 'dataVersion'),
          sizeBytes: num(d, 'sizeBytes'),
          at: str(d, 'at'),
          position,
        });
        if (s.checkpoints.length > keptCheckpoints) s.checkpoints.shift();
        break;
      case 'SessionResumed':
        s.resumeCount += 1;
        break;
      case 'RateLimitHit':
        s.rateLimitHits += 1;
        if (current >= 0) g.rateLimitHits[current] = (g.rateLimitHits[current] ?? 0) + 1;
        break;
      case 'SessionCompleted':
        s.status = 'completed';
        s.endedAt = str(d, 'at');
        s.endReason = null;
        if (s.resumeCount > 0) s.progressedAfterResume = true;
        break;
      case 'SessionCancelled':
      case 'SessionAbandoned':
        s.status = type === 'SessionCancelled' ? 'cancelled' : 'abandoned';
        s.endedAt = str(d, 'at');
        s.endReason = str(d, 'reason');
        break;
      default:
        // SessionStarted again: nothing but the count.
        break;
    }
  }
  if (s === null || stages === null) return null;
  return { state: s, furthestStepReachedAt: furthestAt, stages };
};

/** The session state alone (what a restore or a fold must give). */
export const referenceState = (events: readonly PlainEvent[]): ReferenceState | null =>
  referenceSummary(events)?.state ?? null;

/** The flattened columns of waymark.session_summary_v1 that the reference predicts. */
export const referenceRow = (events: readonly PlainEvent[], lastPosition: number) => {
  const summary = referenceSummary(events);
  if (summary === null) return null;
  const { state: s } = summary;
  return {
    last_position: lastPosition,
    tenant_id: s.tenantId,
    user_id: s.userId,
    flow_id: s.flowId,
    flow_version: s.flowVersion,
    status: s.status,
    current_step: s.currentStep,
    current_step_index: s.currentStep === null ? null : s.steps.indexOf(s.currentStep),
    furthest_step_index: s.furthestStepIndex,
    furthest_step_reached_at: summary.furthestStepReachedAt,
    started_at: s.startedAt,
    last_activity_at: s.lastActivityAt,
    ended_at: s.endedAt,
    errors: s.errorCount,
    question_repeats: Object.values(s.questionsAsked).reduce(
      (sum, n) => sum + (n > 1 ? n - 1 : 0),
      0,
    ),
    upload_rejections: s.uploadsRejected,
    rate_limit_hits: s.rateLimitHits,
    checkpoints: s.checkpointVersion,
    resumes: s.resumeCount,
    language: s.language,
    channel: s.channel,
    user_type: s.userType,
    client_id: s.clientId,
    stages: summary.stages,
  };
};

export type ReferenceRow = NonNullable<ReturnType<typeof referenceRow>>;
