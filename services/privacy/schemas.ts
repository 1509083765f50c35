import { z } from 'zod';

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/** A data subject: the pseudonymous user id the calling service gave (as in `user_id`). */
export const subjectIdParam = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'letters, digits and ._:@- (max 128)');

export const eraseBody = z
  .object({
    confirm: z.boolean().default(false),
    /** Superadmin only: the subject's tenant. */
    tenant_id: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/)
      .optional(),
  })
  .strict();

export const auditQuery = z
  .object({
    action: z
      .string()
      .regex(/^[a-z_.]{1,64}$/)
      .optional(),
    actor: z
      .string()
      .regex(/^[A-Za-z0-9._:@-]{1,160}$/)
      .optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/)
      .optional(),
    page: positiveInt(1_000_000).default(1),
    page_size: positiveInt(200).default(50),
  })
  .strict();
