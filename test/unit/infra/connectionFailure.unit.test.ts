import { DependencyUnavailableError } from '../../../infra/dependencies/dependencyUnavailable';
import { isConnectionFailure, rethrowUnavailable } from '../../../infra/postgres/connectionFailure';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('PostgreSQL connection failures', () => {
  it.each([
    ['refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['admin shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['starting up', withCode('the database system is starting up', '57P03')],
    ['connection exception', withCode('connection failure', '08006')],
    ['lost mid-query', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      'several addresses',
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]),
    ],
  ])('%s is an outage, rethrown as database_unavailable', (_, error) => {
    expect(isConnectionFailure(error)).toBe(true);
    let thrown: unknown;
    try {
      rethrowUnavailable(error);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DependencyUnavailableError);
    expect(thrown).toMatchObject({
      code: 'database_unavailable',
      dependency: 'postgresql',
      retriable: true,
    });
  });

  it.each([
    ['unique violation', withCode('duplicate key value', '23505')],
    ['syntax', withCode('syntax error at or near', '42601')],
    ['serialization', withCode('could not serialize access', '40001')],
    ['a bug', new TypeError('x is undefined')],
  ])('%s is not an outage and is rethrown as it is', (_, error) => {
    expect(isConnectionFailure(error)).toBe(false);
    expect(() => rethrowUnavailable(error)).toThrow(error);
  });
});
