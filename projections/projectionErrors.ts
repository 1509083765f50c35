import { CodedError } from '../events/codedError';

/**
 * A gap: the event's stream position is past the next one the read model expects, so an earlier
 * event of that session was never applied. Never skipped silently: it goes to the DLQ, and a retry
 * re-drives the session from the event store.
 */
export class GapError extends CodedError {
  constructor(
    readonly sessionId: string,
    readonly expected: number,
    readonly got: number,
  ) {
    super(
      { code: 'stream_gap', category: 'gap' },
      `gap in session stream: expected position ${expected}, got ${got}`,
    );
  }
}

/** A session whose earlier event in this batch failed: later ones wait for the retry. */
export class BlockedByEarlierFailureError extends CodedError {
  constructor(readonly sessionId: string) {
    super(
      { code: 'blocked_by_earlier_failure', category: 'gap' },
      'an earlier event of this session failed in the same batch',
    );
  }
}
