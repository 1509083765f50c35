import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SqlClient } from '../postgres/sqlClient';
import type { SubjectKeyStore } from './keyStore';

const wrap = (kek: Buffer, key: Buffer, subject: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv).setAAD(Buffer.from(subject));
  const body = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([iv, body]).toString('base64');
};

const unwrap = (kek: Buffer, wrapped: string, subject: string): Buffer => {
  const raw = Buffer.from(wrapped, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12)).setAAD(
    Buffer.from(subject),
  );
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
};

/**
 * Subject keys in PostgreSQL (`waymark.subject_keys`), each wrapped with the key-encryption key
 * (KEK) from configuration: a database dump alone reveals nothing. Unwrapped keys are cached
 * in-process for `cacheMs` so appends do not pay a round trip each; after an erasure other
 * processes may still hold the key for at most that long (this process forgets it at once).
 */
export const createPgKeyStore = (
  sql: SqlClient,
  kek: Buffer,
  cacheMs = 30_000,
): SubjectKeyStore => {
  if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  const cache = new Map<string, { key: Buffer; until: number }>();
  const cached = (subject: string): Buffer | null => {
    const hit = cache.get(subject);
    if (hit && hit.until > Date.now()) return hit.key;
    cache.delete(subject);
    return null;
  };
  const remember = (subject: string, key: Buffer): Buffer => {
    if (cache.size > 10_000) cache.clear();
    cache.set(subject, { key, until: Date.now() + cacheMs });
    return key;
  };
  const find = async (subject: string): Promise<Buffer | null> => {
    const hit = cached(subject);
    if (hit) return hit;
    const rows = await sql.query<{ wrapped_key: string }>(
      'SELECT wrapped_key FROM waymark.subject_keys WHERE subject = $1',
      [subject],
    );
    const wrapped = rows[0]?.wrapped_key;
    return wrapped === undefined ? null : remember(subject, unwrap(kek, wrapped, subject));
  };

  return {
    find,
    async keyFor(subject) {
      const existing = await find(subject);
      if (existing) return existing;
      // Two processes may race to create: the first insert wins and both use its key.
      await sql.query(
        'INSERT INTO waymark.subject_keys (subject, wrapped_key) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING',
        [subject, wrap(kek, randomBytes(32), subject)],
      );
      const key = await find(subject);
      if (!key) throw new Error('subject key vanished while being created');
      return key;
    },
    async destroy(subject) {
      cache.delete(subject);
      const rows = await sql.query(
        'DELETE FROM waymark.subject_keys WHERE subject = $1 RETURNING subject',
        [subject],
      );
      return rows.length > 0;
    },
  };
};
