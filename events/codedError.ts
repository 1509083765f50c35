/**
 * What kind of failure an error is, for whoever has to handle it: a consumer retries the
 * transient kinds (database, network, timeout, broker) and dead-letters the others at once; a
 * dead-letter entry is filed under it.
 */
export type FailureCategory =
  | 'database'
  | 'network'
  | 'timeout'
  | 'broker'
  | 'validation'
  | 'decode'
  | 'gap'
  | 'bug'
  | 'unrecoverable';

/**
 * An error that carries its meaning as properties, as kafkajs' errors carry `retriable`: a stable
 * `code`, its failure `category` and whether trying again can succeed. Code reads these, never
 * the class name. The message of a coded error names ids, codes and positions only (never a
 * payload or a value someone typed), so it may go into logs and dead letters as it is.
 */
export class CodedError extends Error {
  readonly code: string;
  readonly category: FailureCategory;
  readonly retriable: boolean;

  constructor(
    what: Readonly<{ code: string; category: FailureCategory; retriable?: boolean }>,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
    this.code = what.code;
    this.category = what.category;
    this.retriable = what.retriable ?? false;
  }
}
