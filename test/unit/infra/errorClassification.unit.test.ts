import {
  backoffMs,
  classifyError,
  retryPolicies,
  UnrecoverableError,
} from '../../../infra/consumers/errorClassification';
import { UnknownSchemaError } from '../../../infra/kafka/avroCodec';
import { sanitiseError } from '../../../infra/kafka/deadLetters';
import { GapError } from '../../../projections/projectionErrors';

const withCode = (name: string, code: string) =>
  Object.assign(new Error('value "jane@example.com" is bad'), { name, code });

describe('error classification', () => {
  it.each([
    [withCode('error', '08006'), 'database'],
    [withCode('error', '40001'), 'database'],
    [withCode('error', '57014'), 'timeout'],
    [withCode('error', '22P02'), 'validation'],
    [withCode('Error', 'ECONNREFUSED'), 'network'],
    [withCode('Error', 'ETIMEDOUT'), 'timeout'],
    [Object.assign(new Error('x'), { name: 'KafkaJSConnectionError', retriable: true }), 'broker'],
    [new UnknownSchemaError('x'), 'decode'],
    [new GapError('s', 1, 3), 'gap'],
    [new UnrecoverableError('x'), 'unrecoverable'],
    [new TypeError('x'), 'bug'],
    ['a string', 'bug'],
  ] as const)('classifies %p as %s', (error, category) =>
    expect(classifyError(error)).toBe(category),
  );

  it('retries transient categories with capped exponential backoff and jitter, never permanent ones', () => {
    expect(retryPolicies.database).toEqual({
      maxAttempts: 3,
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
    });
    expect(retryPolicies.network.maxAttempts).toBe(5);
    expect(retryPolicies.validation.maxAttempts).toBe(1);
    expect(backoffMs(retryPolicies.database, 1, () => 1)).toBe(1_000);
    expect(backoffMs(retryPolicies.database, 3, () => 1)).toBe(4_000);
    expect(backoffMs(retryPolicies.database, 10, () => 1)).toBe(30_000);
    expect(backoffMs(retryPolicies.database, 3, () => 0.5)).toBe(2_000);
  });

  it('never lets driver error text (which may quote values) into dead letters', () => {
    const pg = sanitiseError(withCode('error', '22P02'));
    expect(pg.message).toBe('error (code 22P02)');
    expect(JSON.stringify(pg)).not.toContain('jane@example.com');
    expect(sanitiseError(new GapError('s-1', 2, 4)).message).toBe(
      'gap in session stream: expected position 2, got 4',
    );
  });
});
