import { z } from 'zod';

/** The field types the configuration schema is made of (environment values are strings). */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
export const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
export const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );

/** A Kafka consumer group id; the projector's also names its DLQ topic. */
export const groupId = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/)
    .default(fallback);
