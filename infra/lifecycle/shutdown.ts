import type { Logger } from '../observability/logger';

export type Closer = Readonly<{ name: string; close: () => Promise<void> }>;

/**
 * Graceful shutdown on SIGTERM/SIGINT: closers run in the given order (HTTP server first, then
 * workers, then producers and pools). A deadline bounds the whole thing; past it we exit 1.
 */
export const onShutdown = (logger: Logger, closers: readonly Closer[], timeoutMs: number): void => {
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    for (const closer of closers) {
      try {
        await closer.close();
      } catch (error) {
        logger.warn({ err: error, part: closer.name }, 'error while closing');
      }
    }
    logger.info('stopped');
    logger.flush();
    process.exitCode = 0;
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
};
