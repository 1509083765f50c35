import { z } from 'zod';
import { jsonDepth } from './canonicalJson';

/** Checkpoint data may nest this deep (canonicalisation recurses). */
const maxDataDepth = 32;

/**
 * The documented checkpoint body. `state` is the client's own label for where it is (a code,
 * never free text: it is stored in the clear); `data` is anything the client needs to resume and
 * is sealed before it is stored; `version` is the client's format version of `data`.
 */
export const checkpointBody = z
  .object({
    checkpoint_data: z
      .object({
        version: z.number().int().min(0).max(1_000_000),
        state: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'a code: letters, digits, _.-'),
        data: z
          .record(z.string(), z.unknown())
          .refine((d) => jsonDepth(d) <= maxDataDepth, `nested at most ${maxDataDepth} deep`),
      })
      .strict(),
    force: z.boolean().default(false),
  })
  .strict();

export const resumeBody = z
  .object({ checkpoint_version: z.number().int().min(1).nullable().default(null) })
  .strict();

export const checkpointListQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(50).default(10) })
  .strict();
