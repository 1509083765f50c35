import { defaultFlow } from '../../../events/onboarding/flows';
import { at, command, sessionStarted } from '../../support/builders/onboarding';
import { given } from '../../support/specs/deciderSpec';

/**
 * The decider's rules one by one, with their error messages (clients see them): every command
 * that names a step checks it, counts must be non-negative integers, and a live session records
 * what it is told (resumes, rate limits, uploads).
 */
const started = sessionStarted();
const step = 'information_collection';
const entered = { type: 'StepEntered', data: { step, stepIndex: 0, at: at(1) } } as const;
const unknownStep = 'step "payment" is not in flow default';

describe('decide: every command that names a step checks it', () => {
  it('asking a question records it in its step, or refuses an unknown step', () => {
    given([started])
      .when(command('AskQuestion', { step: 'approval', questionId: 'q1' }, 3))
      .then([{ type: 'QuestionAsked', data: { step: 'approval', questionId: 'q1', at: at(3) } }]);
    given([started])
      .when(command('AskQuestion', { step: 'payment', questionId: 'q1' }))
      .thenFails('unknown_step', unknownStep);
  });

  it('answering refuses an unknown step', () =>
    given([started])
      .when(
        command('AnswerQuestion', {
          step: 'payment',
          questionId: 'q1',
          answerLength: 1,
          answer: null,
        }),
      )
      .thenFails('unknown_step', unknownStep));

  it('an error in a named step records it there, and an unknown step is refused', () => {
    given([started])
      .when(
        command('RecordError', {
          step: 'approval',
          category: 'database',
          code: 'E42',
          retryable: false,
        }),
      )
      .then([
        {
          type: 'ErrorOccurred',
          data: {
            step: 'approval',
            category: 'database',
            code: 'E42',
            retryable: false,
            at: at(1),
          },
        },
      ]);
    given([started])
      .when(
        command('RecordError', { step: 'payment', category: 'other', code: 'x', retryable: false }),
      )
      .thenFails('unknown_step', unknownStep);
  });

  it('entering an unknown step names it and the flow', () =>
    given([started])
      .when(command('EnterStep', { step: 'payment' }))
      .thenFails('unknown_step', unknownStep));
});

describe('decide: completing steps', () => {
  it('only the current step can be completed, even one entered before', () =>
    given([
      started,
      entered,
      { type: 'StepEntered', data: { step: 'approval', stepIndex: 2, at: at(2) } },
    ])
      .when(command('CompleteStep', { step }))
      .thenFails('illegal_state', `step "${step}" must be entered before it is completed`));

  it('a clock behind the entry gives a duration of 0, never negative', () =>
    given([started, { type: 'StepEntered', data: { step, stepIndex: 0, at: at(10) } }])
      .when(command('CompleteStep', { step }, 4))
      .then([{ type: 'StepCompleted', data: { step, stepIndex: 0, durationMs: 0, at: at(4) } }]));

  it('names the steps left when completing too early', () =>
    given([started, entered])
      .when(command('CompleteSession', {}))
      .thenFails(
        'illegal_state',
        'steps not completed yet: information_collection, recommendation_review, approval',
      ));
});

describe('decide: counts must be non-negative integers', () => {
  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('answer length %p', (n) =>
    given([started])
      .when(command('AnswerQuestion', { step, questionId: 'q', answerLength: n, answer: null }))
      .thenFails('validation_error', 'answerLength must be a non-negative integer'),
  );

  it('an answer length of 0 is fine', () =>
    given([started])
      .when(command('AnswerQuestion', { step, questionId: 'q', answerLength: 0, answer: null }))
      .then([
        {
          type: 'QuestionAnswered',
          data: { step, questionId: 'q', answerLength: 0, answer: null, at: at(1) },
        },
      ]));

  it('upload sizes, checkpoint sizes and versions, idle seconds', () => {
    given([started])
      .when(
        command('AcceptUpload', {
          uploadId: 'u',
          kind: 'photo',
          sizeBytes: -5,
          contentType: 'image/png',
        }),
      )
      .thenFails('validation_error', 'sizeBytes must be a non-negative integer');
    const cp = {
      checkpointHash: 'h',
      clientState: 's',
      dataVersion: 1,
      data: null,
      sizeBytes: 1,
      minIntervalMs: 0,
      force: false,
    };
    given([started])
      .when(command('SaveCheckpoint', { ...cp, sizeBytes: -1 }))
      .thenFails('validation_error', 'sizeBytes must be a non-negative integer');
    given([started])
      .when(command('SaveCheckpoint', { ...cp, dataVersion: 0.5 }))
      .thenFails('validation_error', 'dataVersion must be a non-negative integer');
    given([started])
      .when(command('AbandonSession', { reason: 'idle', idleSeconds: -1 }))
      .thenFails('validation_error', 'idleSeconds must be a non-negative integer');
  });
});

describe('decide: what a live session records as told', () => {
  it('an accepted upload, with its size', () =>
    given([started])
      .when(
        command('AcceptUpload', {
          uploadId: 'u1',
          kind: 'document',
          sizeBytes: 0,
          contentType: 'application/pdf',
        }),
      )
      .then([
        {
          type: 'UploadAccepted',
          data: {
            uploadId: 'u1',
            kind: 'document',
            sizeBytes: 0,
            contentType: 'application/pdf',
            at: at(1),
          },
        },
      ]));

  it('a rejected upload', () =>
    given([started])
      .when(command('RejectUpload', { kind: 'photo', reason: 'bad_type' }))
      .then([{ type: 'UploadRejected', data: { kind: 'photo', reason: 'bad_type', at: at(1) } }]));

  it('a resume, from a checkpoint or from none', () => {
    given([started])
      .when(command('ResumeSession', { fromCheckpointVersion: 3 }, 7))
      .then([{ type: 'SessionResumed', data: { fromCheckpointVersion: 3, at: at(7) } }]);
    given([started])
      .when(command('ResumeSession', { fromCheckpointVersion: null }))
      .then([{ type: 'SessionResumed', data: { fromCheckpointVersion: null, at: at(1) } }]);
  });

  it('a rate-limit refusal, with its resource', () =>
    given([started])
      .when(command('RecordRateLimitHit', { resource: 'session_events' }, 2))
      .then([{ type: 'RateLimitHit', data: { resource: 'session_events', at: at(2) } }]));

  it('a checkpoint exactly at the end of the interval is saved', () => {
    const previous = {
      type: 'CheckpointSaved' as const,
      data: {
        checkpointVersion: 1,
        checkpointHash: 'h1',
        clientState: 's',
        dataVersion: 1,
        data: null,
        sizeBytes: 1,
        at: at(0),
      },
    };
    given([started, previous])
      .when(
        command(
          'SaveCheckpoint',
          {
            checkpointHash: 'h2',
            clientState: 's',
            dataVersion: 1,
            data: null,
            sizeBytes: 1,
            minIntervalMs: 30_000,
            force: false,
          },
          30,
        ),
      )
      .then([
        {
          type: 'CheckpointSaved',
          data: { ...previous.data, checkpointVersion: 2, checkpointHash: 'h2', at: at(30) },
        },
      ]);
  });
});

describe('decide: refusals name the session state', () => {
  it.each([
    ['completed', { type: 'SessionCompleted', data: { at: at(30) } }],
    ['cancelled', { type: 'SessionCancelled', data: { reason: 'user_cancelled', at: at(30) } }],
    [
      'abandoned',
      { type: 'SessionAbandoned', data: { reason: 'idle', idleSeconds: 1, at: at(30) } },
    ],
  ] as const)('after %s', (status, end) => {
    const walk = defaultFlow.steps.flatMap((s, i) => [
      { type: 'StepEntered', data: { step: s, stepIndex: i, at: at(i * 2) } } as const,
      {
        type: 'StepCompleted',
        data: { step: s, stepIndex: i, durationMs: 1, at: at(i * 2 + 1) },
      } as const,
    ]);
    given([started, ...walk, end])
      .when(command('ResumeSession', { fromCheckpointVersion: null }))
      .thenFails('session_ended', `session is ${status}; no further activity is accepted`);
  });

  it('before the start, and on a second start', () => {
    given([])
      .when(command('AskQuestion', { step, questionId: 'q' }))
      .thenFails('session_not_found', 'session has not started');
    given([started])
      .when(
        command('StartSession', {
          sessionId: started.data.sessionId,
          tenantId: 'tenant-a',
          userId: 'user-1',
          flow: defaultFlow,
          language: 'en',
          channel: 'web',
          userType: 'standard',
          clientId: null,
        }),
      )
      .thenFails('session_already_exists', 'session already started');
  });
});
