import { z } from 'zod';

const decimal = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d{1,10})?$/, 'a decimal number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `between ${min} and ${max}`);

/** The observation form's fields (multipart text parts). Files come separately. */
export const observationFields = z
  .object({
    text_input: z.string().max(2000).optional(),
    gps_latitude: decimal(-90, 90),
    gps_longitude: decimal(-180, 180),
    zone_hint: z.string().max(200).optional(),
    compass_direction: decimal(0, 360).optional(),
  })
  .strict();

/** The generic document upload takes one optional label besides its `file`. */
export const documentFields = z
  .object({
    label: z
      .string()
      .regex(/^[A-Za-z0-9 ._-]{1,64}$/, 'max 64 plain characters')
      .optional(),
  })
  .strict();
