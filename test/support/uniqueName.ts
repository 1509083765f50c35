import { randomBytes } from 'node:crypto';

/** Unique names per test (databases, topics, groups, key prefixes): no shared state to flush. */
export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;
