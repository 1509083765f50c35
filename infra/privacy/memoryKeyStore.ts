import { randomBytes } from 'node:crypto';
import type { SubjectKeyStore } from './keyStore';

/** Subject keys in memory: for unit tests only, and only because it passes the same contract. */
export const createMemoryKeyStore = (): SubjectKeyStore => {
  const keys = new Map<string, Buffer>();
  return {
    keyFor(subject) {
      const key = keys.get(subject) ?? randomBytes(32);
      keys.set(subject, key);
      return Promise.resolve(key);
    },
    find: (subject) => Promise.resolve(keys.get(subject) ?? null),
    destroy: (subject) => Promise.resolve(keys.delete(subject)),
  };
};
