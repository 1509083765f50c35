import { z } from 'zod';

/** Request bodies. Objects are strict: a key the client may not set is a 400, never stored. */
const slug = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lowercase letters, digits and _ (max 64)');
const externalId = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'letters, digits and ._:@- (max 128)');
const errorCategories = [
  'validation',
  'network',
  'database',
  'llm_api',
  'upload',
  'other',
] as const;

export const startSessionBody = z
  .object({
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,4})?$/, 'a language tag such as en or pt-BR')
      .default('en'),
    user_type: slug.default('standard'),
    channel: slug.default('web'),
    client_context: z
      .record(z.string().max(64), z.unknown())
      .refine((value) => JSON.stringify(value).length <= 4096, 'at most 4 KiB')
      .default({}),
    initial_input: z.string().max(1000).optional(),
    resume_existing: z.boolean().default(false),
    flow_id: slug.optional(),
    user_id: externalId.optional(),
  })
  .strict();

const activity = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step_entered'), step: slug }).strict(),
  z.object({ type: z.literal('step_completed'), step: slug }).strict(),
  z.object({ type: z.literal('question_asked'), step: slug, question_id: externalId }).strict(),
  z
    .object({
      type: z.literal('question_answered'),
      step: slug,
      question_id: externalId,
      answer_length: z.number().int().min(0).max(1_000_000).optional(),
      answer: z.string().max(10_000).optional(),
    })
    .strict()
    .refine((a) => (a.answer === undefined) !== (a.answer_length === undefined), {
      message: 'give exactly one of answer or answer_length',
    }),
  z
    .object({
      type: z.literal('error_occurred'),
      step: slug.nullable().default(null),
      category: z.enum(errorCategories),
      code: externalId,
      retryable: z.boolean().default(false),
    })
    .strict(),
  z.object({ type: z.literal('session_completed') }).strict(),
  z
    .object({ type: z.literal('session_cancelled'), reason: slug.default('user_cancelled') })
    .strict(),
]);

export type Activity = z.infer<typeof activity>;

export const appendEventsBody = (maxEvents: number) =>
  z
    .object({
      events: z.array(activity).min(1).max(maxEvents),
      expected_version: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict();

/** UUIDs are case-insensitive (RFC 9562): compared and stored in canonical lower case. */
export const sessionIdParam = z
  .string()
  .uuid('a session id is a UUID')
  .transform((id) => id.toLowerCase());
