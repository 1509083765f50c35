import { z } from 'zod';
import { CodedError } from '../../events/codedError';

const name = z.string().min(1);

/**
 * The mapping file (see mappings/bpic2012.json and the README): validated strictly, so a typo in
 * a field name is an error that names the field, not a silently ignored option.
 */
export const mappingSchema = z.strictObject({
  flowId: name,
  flowsFile: name,
  /** Only events with this lifecycle transition count (`complete` in most logs). */
  lifecycle: name.transform((v) => v.toLowerCase()),
  steps: z.record(name, name),
  outcomes: z.record(name, z.enum(['completed', 'declined', 'cancelled'])),
  /** Activities that are errors: an `ErrorOccurred` (category `other`) in the current step. */
  errors: z.array(name).default([]),
  channel: name,
  language: name,
  /** CSV only: which columns hold what (defaults: the column names of the same meaning). */
  columns: z
    .strictObject({
      caseId: name.default('case_id'),
      activity: name.default('activity'),
      timestamp: name.default('timestamp'),
      lifecycle: name.default('lifecycle'),
    })
    .default({
      caseId: 'case_id',
      activity: 'activity',
      timestamp: 'timestamp',
      lifecycle: 'lifecycle',
    }),
  /** CSV only: per-case columns that set the session's cohort keys (from the case's first row). */
  attributes: z
    .strictObject({ channel: name, language: name, userType: name, clientId: name })
    .partial()
    .default({}),
  /** CSV only: one character, `,` by default. */
  delimiter: z.string().length(1).default(','),
  /** CSV only: rows of a case that are not consecutive are refused (default) or grouped. */
  caseRows: z.enum(['consecutive', 'grouped']).default('consecutive'),
});

export type ImportMapping = z.output<typeof mappingSchema>;

export class InvalidMappingError extends CodedError {
  constructor(message: string) {
    super({ code: 'invalid_mapping', category: 'validation' }, message);
  }
}

/** Parses a mapping file's JSON; every problem is reported with the field it is in. */
export const parseMapping = (json: unknown): ImportMapping => {
  const parsed = mappingSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (i) => `${i.path.length > 0 ? i.path.join('.') : '(the mapping)'}: ${i.message}`,
  );
  throw new InvalidMappingError(`invalid mapping: ${problems.join('; ')}`);
};
