import pino, { type Logger } from 'pino';

export type { Logger };

/** Bytes a log destination gathers before one write, and the longest a line waits for it. */
const logBufferBytes = 4096;
const logFlushMs = 100;

/**
 * Where log lines go (stdout by default), asynchronously and buffered: one write per ~4 KiB, not
 * one per line. Profiling B2 showed the write of every request's line (`writeString`) as the
 * single largest cost of the request path (~20% of busy CPU). A line waits at most 100 ms; pino
 * flushes the rest synchronously when the process exits.
 */
export const createLogDestination = (dest: string | number = 1): pino.DestinationStream => {
  const stream = pino.destination({ dest, sync: false, minLength: logBufferBytes });
  const timer = setInterval(() => {
    if (!(stream as { destroyed?: boolean }).destroyed) stream.flush();
  }, logFlushMs);
  timer.unref();
  return stream;
};

/**
 * The root logger: JSON lines, one per event, with fields we choose. Nothing logs request bodies,
 * answers, tokens or headers wholesale; the redact list is a second line of defence for the few
 * places a header object could slip in (explicit paths: wildcards are slow on the hot path).
 */
export const createLogger = (
  level: string,
  destination: pino.DestinationStream = createLogDestination(),
): Logger =>
  pino(
    {
      level,
      base: { service: 'waymark' },
      redact: {
        paths: [
          'authorization',
          'headers.authorization',
          'req.headers.authorization',
          'token',
          'password',
        ],
        censor: '[redacted]',
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
