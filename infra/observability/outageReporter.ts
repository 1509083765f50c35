import type { Logger } from './logger';

export type OutageReporter = Readonly<{
  /** The dependency failed (again): warns on the first failure, then every `repeatMs`. */
  failed: (reason: string) => void;
  /** The dependency answered: one info line if it had been failing, else nothing. */
  succeeded: () => void;
  isDown: () => boolean;
}>;

/**
 * What an operator wants while a dependency is unreachable: one warning when it goes, a
 * reminder every `repeatMs` (30 s) with how long it has been, and an info line when it is back,
 * instead of one error per retry (or, for the swallowed client errors, nothing at all).
 */
export const createOutageReporter = (
  logger: Logger,
  dependency: string,
  repeatMs = 30_000,
  clock: () => number = Date.now,
): OutageReporter => {
  let downSince: number | null = null;
  let lastWarned = 0;
  let failures = 0;
  return {
    failed: (reason) => {
      const now = clock();
      failures += 1;
      if (downSince === null) {
        downSince = now;
        lastWarned = now;
        logger.warn({ dependency, reason }, `${dependency} unreachable`);
      } else if (now - lastWarned >= repeatMs) {
        lastWarned = now;
        logger.warn(
          { dependency, reason, downForSeconds: Math.round((now - downSince) / 1000), failures },
          `${dependency} still unreachable`,
        );
      }
    },
    succeeded: () => {
      if (downSince === null) return;
      logger.info(
        { dependency, downForSeconds: Math.round((clock() - downSince) / 1000), failures },
        `${dependency} reachable again`,
      );
      downSince = null;
      failures = 0;
    },
    isDown: () => downSince !== null,
  };
};

/** The dependency a failed pass could not reach, or null when the failure is something else. */
const unreachableDependency = (error: unknown): { name: string; reason: string } | null => {
  const e = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    dependency?: unknown;
    retriable?: unknown;
    reason?: unknown;
  };
  const reason = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.dependency === 'string' && e.retriable === true)
    return { name: e.dependency, reason: typeof e.reason === 'string' ? e.reason : reason };
  // kafkajs marks what a retry can fix: a broker away, a leader moving, a coordinator loading.
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS') && e.retriable === true)
    return { name: 'kafka', reason };
  return null;
};

/**
 * For a loop's failed passes (relay, detector, feed): an outage of a named dependency goes to
 * that dependency's reporter (one warning, reminders, "reachable again"); anything else is an
 * error worth a line each time. `passed` marks every dependency reachable again.
 */
export const createPassOutages = (logger: Logger, repeatMs?: number) => {
  const reporters = new Map<string, OutageReporter>();
  return {
    failed: (error: unknown, message: string): void => {
      const down = unreachableDependency(error);
      if (down === null) {
        logger.error({ err: error }, message);
        return;
      }
      let reporter = reporters.get(down.name);
      if (reporter === undefined) {
        reporter = createOutageReporter(logger, down.name, repeatMs);
        reporters.set(down.name, reporter);
      }
      reporter.failed(down.reason);
    },
    passed: (): void => reporters.forEach((r) => r.succeeded()),
  };
};
