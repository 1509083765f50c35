import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The root logger: JSON lines, one per event, with fields we choose. Nothing logs request bodies,
 * answers, tokens or headers wholesale; the redact list is a second line of defence for the few
 * places a header object could slip in (explicit paths: wildcards are slow on the hot path).
 */
export const createLogger = (
  level: string,
  destination: pino.DestinationStream = pino.destination({ sync: false }),
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
