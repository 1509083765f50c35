import { CodedError } from '../../../events/codedError';
import { DomainError } from '../../../events/onboarding/errors';
import { defaultFlow, flowProblems } from '../../../events/onboarding/flows';
import { subjectOf } from '../../../events/sealed';
import {
  categoryOf,
  onboardingCategory,
  onboardingStream,
  streamId,
} from '../../../events/streamNames';
import {
  userSessionsCategory,
  userSessionsStream,
} from '../../../events/userSessions/userSessions';

/** The small pure pieces of events/: names, flow checks, coded errors, with literal values. */
describe('stream names', () => {
  it('onboarding streams are category-id, and both parts come back out', () => {
    expect(onboardingCategory).toBe('onboarding');
    expect(onboardingStream('abc-1')).toBe('onboarding-abc-1');
    expect(categoryOf('onboarding-abc-1')).toBe('onboarding');
    expect(streamId('onboarding-abc-1')).toBe('abc-1');
    expect(streamId('nodash')).toBe('');
    // A dash first: the id is what follows it.
    expect(streamId('-x')).toBe('x');
  });

  it('user index streams escape tenant and user', () => {
    expect(userSessionsCategory).toBe('usersessions');
    expect(userSessionsStream('t/a', 'u b')).toBe('usersessions-t%2Fa/u%20b');
  });

  it('the data subject of a session is tenant/user', () =>
    expect(subjectOf('tenant-a', 'user-1')).toBe('tenant-a/user-1'));
});

describe('flowProblems', () => {
  it('a valid flow has none', () => expect(flowProblems(defaultFlow)).toEqual([]));

  it('names each problem', () => {
    expect(flowProblems({ id: 'Bad-Id', version: 1, steps: ['a'] })).toEqual([
      'flow id "Bad-Id" must match /^[a-z][a-z0-9_]{0,63}$/',
    ]);
    expect(flowProblems({ id: 'f', version: 0, steps: ['a'] })).toEqual(['version must be >= 1']);
    expect(flowProblems({ id: 'f', version: 1.5, steps: ['a'] })).toEqual(['version must be >= 1']);
    expect(flowProblems({ id: 'f', version: 1, steps: [] })).toEqual([
      'a flow needs at least one step',
    ]);
    expect(flowProblems({ id: 'f', version: 1, steps: ['ok', 'Not OK', '9x'] })).toEqual([
      'bad step names: Not OK, 9x',
    ]);
    expect(flowProblems({ id: 'f', version: 1, steps: ['a', 'b', 'a'] })).toEqual([
      'step names must be unique',
    ]);
  });
});

describe('coded errors', () => {
  it('carry code, category and retriable (false unless said), and their class name', () => {
    const plain = new CodedError({ code: 'x', category: 'bug' }, 'm');
    expect(plain).toMatchObject({ code: 'x', category: 'bug', retriable: false, message: 'm' });
    expect(plain.name).toBe('CodedError');
    expect(new CodedError({ code: 'y', category: 'network', retriable: true }, 'n').retriable).toBe(
      true,
    );
  });

  it('a domain error is a validation failure, never retriable', () => {
    const e = new DomainError('unknown_step', 'msg');
    expect(e).toMatchObject({
      code: 'unknown_step',
      category: 'validation',
      retriable: false,
      name: 'DomainError',
      message: 'msg',
    });
  });
});
