import { defaultFlow } from '../../../events/onboarding/flows';
import { at, command, sessionStarted } from '../../support/builders/onboarding';
import { given } from '../../support/specs/deciderSpec';

const started = sessionStarted();
const step = 'information_collection';
const entered = { type: 'StepEntered', data: { step, stepIndex: 0, at: at(1) } } as const;
const completedAll = defaultFlow.steps.flatMap((s, i) => [
  { type: 'StepEntered', data: { step: s, stepIndex: i, at: at(i * 2) } } as const,
  {
    type: 'StepCompleted',
    data: { step: s, stepIndex: i, durationMs: 1000, at: at(i * 2 + 1) },
  } as const,
]);

describe('decide: starting a session', () => {
  const start = command(
    'StartSession',
    {
      sessionId: started.data.sessionId,
      tenantId: 'tenant-a',
      userId: 'user-1',
      flow: defaultFlow,
      language: 'en',
      channel: 'web',
      userType: 'standard',
      clientId: null,
    },
    0,
  );

  it('records SessionStarted with the flow steps copied in and the command clock', () =>
    given([]).when(start).then([sessionStarted()]));

  it('refuses to start twice', () =>
    given([started]).when(start).thenFails('session_already_exists'));

  it('refuses an invalid flow', () =>
    given([])
      .when({
        ...start,
        data: { ...start.data, flow: { id: 'x', version: 1, steps: [] } },
      } as typeof start)
      .thenFails('validation_error'));
});

describe('decide: steps', () => {
  it('enters a step of the flow with its index', () =>
    given([started])
      .when(command('EnterStep', { step: 'approval' }))
      .then([{ type: 'StepEntered', data: { step: 'approval', stepIndex: 2, at: at(1) } }]));

  it('rejects a step that is not in the flow', () =>
    given([started])
      .when(command('EnterStep', { step: 'payment' }))
      .thenFails('unknown_step'));

  it('completes the current step with its duration from the clock', () =>
    given([started, entered])
      .when(command('CompleteStep', { step }, 4))
      .then([
        { type: 'StepCompleted', data: { step, stepIndex: 0, durationMs: 3000, at: at(4) } },
      ]));

  it('refuses to complete a step that was not entered', () =>
    given([started]).when(command('CompleteStep', { step })).thenFails('illegal_state'));

  it('rejects activity before the session started', () =>
    given([]).when(command('EnterStep', { step })).thenFails('session_not_found'));
});

describe('decide: questions, errors, uploads, checkpoints', () => {
  it('records an answer by length only', () =>
    given([started])
      .when(command('AnswerQuestion', { step, questionId: 'q1', answerLength: 12, answer: null }))
      .then([
        {
          type: 'QuestionAnswered',
          data: { step, questionId: 'q1', answerLength: 12, answer: null, at: at(1) },
        },
      ]));

  it('rejects a negative answer length', () =>
    given([started])
      .when(command('AnswerQuestion', { step, questionId: 'q1', answerLength: -1, answer: null }))
      .thenFails('validation_error'));

  it('records an error outside any step', () =>
    given([started])
      .when(
        command('RecordError', {
          step: null,
          category: 'network',
          code: 'timeout',
          retryable: true,
        }),
      )
      .then([
        {
          type: 'ErrorOccurred',
          data: { step: null, category: 'network', code: 'timeout', retryable: true, at: at(1) },
        },
      ]));

  const checkpoint = (hash: string, extra: { force?: boolean; minIntervalMs?: number } = {}) => ({
    checkpointHash: hash,
    clientState: 'in_progress',
    dataVersion: 1,
    data: null,
    sizeBytes: 10,
    minIntervalMs: extra.minIntervalMs ?? 30_000,
    force: extra.force ?? false,
  });
  const saved = (version: number, hash: string, seconds: number) => ({
    type: 'CheckpointSaved' as const,
    data: {
      checkpointVersion: version,
      checkpointHash: hash,
      clientState: 'in_progress',
      dataVersion: 1,
      data: null,
      sizeBytes: 10,
      at: at(seconds),
    },
  });

  it('assigns checkpoint versions itself, in sequence', () => {
    given([started])
      .when(command('SaveCheckpoint', checkpoint('h1'), 1))
      .then([saved(1, 'h1', 1)]);
    given([started, saved(1, 'h1', 1)])
      .when(command('SaveCheckpoint', checkpoint('h2'), 40))
      .then([saved(2, 'h2', 40)]);
  });

  it('records nothing for an unchanged payload or inside the interval, unless forced', () => {
    given([started, saved(1, 'h1', 1)])
      .when(command('SaveCheckpoint', checkpoint('h1'), 100))
      .then([]);
    given([started, saved(1, 'h1', 1)])
      .when(command('SaveCheckpoint', checkpoint('h2'), 20))
      .then([]);
    given([started, saved(1, 'h1', 1)])
      .when(command('SaveCheckpoint', checkpoint('h1', { force: true }), 2))
      .then([saved(2, 'h1', 2)]);
  });
});

describe('decide: ending a session', () => {
  it('completes when every step of the flow is completed', () =>
    given([started, ...completedAll])
      .when(command('CompleteSession', {}, 20))
      .then([{ type: 'SessionCompleted', data: { at: at(20) } }]));

  it('refuses to complete with steps left', () =>
    given([started, entered]).when(command('CompleteSession', {})).thenFails('illegal_state'));

  it('cancels and abandons an active session', () => {
    given([started])
      .when(command('CancelSession', { reason: 'user_cancelled' }))
      .then([{ type: 'SessionCancelled', data: { reason: 'user_cancelled', at: at(1) } }]);
    given([started])
      .when(command('AbandonSession', { reason: 'idle', idleSeconds: 900 }))
      .then([{ type: 'SessionAbandoned', data: { reason: 'idle', idleSeconds: 900, at: at(1) } }]);
  });

  it('abandons in event time: ended at last activity + threshold, detected now', () => {
    // Last activity at(1), threshold 900 s, detected an hour later at(3601).
    given([started, entered])
      .when(
        command(
          'AbandonSession',
          { reason: 'inactivity', idleSeconds: 3600, endedAt: at(901) },
          3601,
        ),
      )
      .then([
        {
          type: 'SessionAbandoned',
          data: { reason: 'inactivity', idleSeconds: 3600, detectedAt: at(3601), at: at(901) },
        },
      ]);
    // An end before the last activity or after the detection is not an event time.
    given([started, entered])
      .when(command('AbandonSession', { reason: 'inactivity', idleSeconds: 1, endedAt: at(0) }, 5))
      .thenFails('validation_error');
    given([started, entered])
      .when(command('AbandonSession', { reason: 'inactivity', idleSeconds: 1, endedAt: at(9) }, 5))
      .thenFails('validation_error');
  });

  it.each([
    ['completed', { type: 'SessionCompleted', data: { at: at(30) } }],
    ['cancelled', { type: 'SessionCancelled', data: { reason: 'user_cancelled', at: at(30) } }],
    [
      'abandoned',
      { type: 'SessionAbandoned', data: { reason: 'idle', idleSeconds: 60, at: at(30) } },
    ],
  ] as const)('rejects any activity after the session was %s', (_, end) => {
    given([started, ...completedAll, end])
      .when(command('EnterStep', { step }))
      .thenFails('session_ended');
    given([started, ...completedAll, end])
      .when(command('CancelSession', { reason: 'again' }))
      .thenFails('session_ended');
  });
});
