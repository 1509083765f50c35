import { setTimeout as sleep } from 'node:timers/promises';
import { WrongExpectedVersionError } from '../../infra/eventStore/eventStore';

export type ConflictRetry = Readonly<{
  /** Attempts in all, the first included. */
  attempts: number;
  /** Told of every conflict, retried or not (the append_conflicts_total metric). */
  onConflict?: () => void;
}>;

/**
 * Runs `attempt` again while it fails with a wrong expected version, up to `attempts` times, with
 * 100 ms × 1.5ⁿ backoff between tries (Emmett's defaults). Each try must re-read what it decides
 * on: the point of a retry is deciding against the stream's fresh state. Any other error, or the
 * last conflict, is thrown.
 */
export const retryOnConflict = async <T>(
  attempt: (n: number) => Promise<T>,
  options: ConflictRetry,
): Promise<T> => {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      options.onConflict?.();
      if (n >= options.attempts) throw error;
      await sleep(100 * 1.5 ** (n - 1));
    }
  }
};
