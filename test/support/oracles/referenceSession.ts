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

/** What one event may change: the state, the stage stats, and when the furthest step was reached. */
type Ctx = {
  s: ReferenceState;
  g: ReferenceStages;
  d: Data;
  /** The step the session was in before this event (-1: none yet). */
  current: number;
  /** The stream position of this event. */
  position: number;
  furthestAt: string | null;
};

const bump = (values: number[], index: number) => {
  if (index >= 0) values[index] = (values[index] ?? 0) + 1;
};

const end = (c: Ctx, status: string, reason: string | null) => {
  c.s.status = status;
  c.s.endedAt = str(c.d, 'at');
  c.s.endReason = reason;
};

/** One handler per event type (SessionStarted again: nothing but the count). */
const handlers: Readonly<Record<string, (c: Ctx) => void>> = {
  SessionStarted: () => undefined,
  StepEntered: (c) => {
    const index = num(c.d, 'stepIndex');
    c.s.currentStep = str(c.d, 'step');
    c.s.currentStepEnteredAt = str(c.d, 'at');
    if (index > c.s.furthestStepIndex) {
      c.s.furthestStepIndex = index;
      c.furthestAt = str(c.d, 'at');
    }
    if (c.g.reachedAt[index] === null) c.g.reachedAt[index] = str(c.d, 'at');
  },
  StepCompleted: (c) => {
    if (!c.s.completedSteps.includes(str(c.d, 'step'))) c.s.completedSteps.push(str(c.d, 'step'));
    if (c.s.resumeCount > 0) c.s.progressedAfterResume = true;
  },
  QuestionAsked: (c) => {
    const id = str(c.d, 'questionId');
    c.s.questionsAsked[id] = (c.s.questionsAsked[id] ?? 0) + 1;
  },
  QuestionAnswered: (c) => {
    c.s.questionsAnswered += 1;
  },
  ErrorOccurred: (c) => {
    c.s.errorCount += 1;
    const step = c.d.step as string | null;
    bump(c.g.errors, step === null ? c.current : c.s.steps.indexOf(step));
  },
  UploadAccepted: (c) => {
    c.s.uploadsAccepted += 1;
    c.s.uploadBytes += num(c.d, 'sizeBytes');
  },
  UploadRejected: (c) => {
    c.s.uploadsRejected += 1;
    bump(c.g.uploadRejections, c.current);
  },
  CheckpointSaved: (c) => {
    c.s.checkpointVersion = num(c.d, 'checkpointVersion');
    c.s.checkpoints.push({
      version: num(c.d, 'checkpointVersion'),
      hash: str(c.d, 'checkpointHash'),
      clientState: str(c.d, 'clientState'),
      dataVersion: num(c.d, 'dataVersion'),
      sizeBytes: num(c.d, 'sizeBytes'),
      at: str(c.d, 'at'),
      position: c.position,
    });
    if (c.s.checkpoints.length > keptCheckpoints) c.s.checkpoints.shift();
  },
  SessionResumed: (c) => {
    c.s.resumeCount += 1;
  },
  RateLimitHit: (c) => {
    c.s.rateLimitHits += 1;
    bump(c.g.rateLimitHits, c.current);
  },
  SessionCompleted: (c) => {
    end(c, 'completed', null);
    if (c.s.resumeCount > 0) c.s.progressedAfterResume = true;
  },
  SessionCancelled: (c) => end(c, 'cancelled', str(c.d, 'reason')),
  SessionAbandoned: (c) => end(c, 'abandoned', str(c.d, 'reason')),
};

const startedFrom = (d: Data): ReferenceState => ({
  sessionId: str(d, 'sessionId'),
  tenantId: str(d, 'tenantId'),
  userId: str(d, 'userId'),
  flowId: str(d, 'flowId'),
  flowVersion: num(d, 'flowVersion'),
  steps: [...(d.steps as string[])],
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
});

/**
 * The session summary after all `events` (null if no SessionStarted came first). Events before
 * the session started are not part of it; a second SessionStarted changes nothing but the count.
 */
export const referenceSummary = (events: readonly PlainEvent[]): ReferenceSummary | null => {
  const first = events.findIndex((e) => e.type === 'SessionStarted');
  if (first < 0) return null;
  const s = startedFrom(events[first]?.data as Data);
  const g: ReferenceStages = {
    reachedAt: s.steps.map(() => null),
    errors: s.steps.map(() => 0),
    uploadRejections: s.steps.map(() => 0),
    rateLimitHits: s.steps.map(() => 0),
  };
  let furthestAt: string | null = null;
  for (const { type, data } of events.slice(first + 1)) {
    const d = data as Data;
    const c: Ctx = {
      s,
      g,
      d,
      current: s.currentStep === null ? -1 : s.steps.indexOf(s.currentStep),
      position: s.eventCount,
      furthestAt,
    };
    s.eventCount += 1;
    // Every event but a refused request (and a repeated start) is activity.
    if (type !== 'RateLimitHit' && type !== 'SessionStarted') s.lastActivityAt = str(d, 'at');
    const handler = handlers[type];
    if (handler === undefined) throw new Error(`reference: unknown event type ${type}`);
    handler(c);
    furthestAt = c.furthestAt;
  }
  return { state: s, furthestStepReachedAt: furthestAt, stages: g };
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
