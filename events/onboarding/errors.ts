import { CodedError } from '../codedError';

/** Domain errors carry a code; the API maps each code to one HTTP status. */
export type DomainErrorCode =
  | 'validation_error'
  | 'illegal_state'
  | 'session_not_found'
  | 'session_already_exists'
  | 'session_ended'
  | 'unknown_step';

/** A command broke a domain rule: never worth retrying as it is. */
export class DomainError extends CodedError {
  declare readonly code: DomainErrorCode;
  constructor(code: DomainErrorCode, message: string) {
    super({ code, category: 'validation' }, message);
  }
}
