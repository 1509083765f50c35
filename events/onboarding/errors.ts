/** Domain errors carry a code; the API maps each code to one HTTP status. */
export type DomainErrorCode =
  | 'validation_error'
  | 'illegal_state'
  | 'session_not_found'
  | 'session_already_exists'
  | 'session_ended'
  | 'unknown_step';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
