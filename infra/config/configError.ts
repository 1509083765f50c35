import { CodedError } from '../../events/codedError';

/** The configuration cannot be used: the process must not start (nothing to retry). */
export class ConfigError extends CodedError {
  constructor(message: string) {
    super({ code: 'invalid_configuration', category: 'unrecoverable' }, message);
  }
}
