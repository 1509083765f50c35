import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../shared/appError';

/**
 * The first top-level field (or `_` for the body itself) whose value nests deeper than
 * `maxDepth` containers, found without recursion: V8's JSON.parse is iterative and accepts any
 * depth under the body limit, but JSON.stringify, zod and the canonicaliser recurse, so a
 * 10^5-level body must be refused before any of them sees it.
 */
export const fieldNestedBeyond = (value: unknown, maxDepth: number): string | null => {
  if (value === null || typeof value !== 'object') return null;
  const stack: [unknown, number, string][] = [];
  const top = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  for (const [key, child] of top) stack.push([child, 2, key]);
  while (stack.length > 0) {
    const [node, depth, field] = stack.pop() as [unknown, number, string];
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return field;
    for (const child of Object.values(node)) stack.push([child, depth + 1, field]);
  }
  return null;
};

/** 400 `validation_error` naming the field for a JSON body nested beyond `maxDepth` levels. */
export const createJsonDepthLimit =
  (maxDepth: number) =>
  (req: Request, _res: Response, next: NextFunction): void => {
    const field = fieldNestedBeyond(req.body, maxDepth);
    if (field === null) return next();
    throw new AppError('invalid', 'validation_error', 'the request is not valid', {
      fieldErrors: { [field]: [`nested deeper than ${maxDepth} levels`] },
    });
  };
