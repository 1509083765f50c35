import type { z } from 'zod';
import { AppError } from './appError';

/** Parses input with a zod schema or answers 400 with field errors (messages, never values). */
export const validate = <S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request',
): z.infer<S> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  throw new AppError('invalid', 'validation_error', `the ${what} is not valid`, { fieldErrors });
};
