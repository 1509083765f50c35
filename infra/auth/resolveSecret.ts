import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The HMAC secret: from configuration when set; otherwise (development only) a random secret kept
 * in the data directory, so `npm run token` in the same directory mints tokens that `npm start`
 * accepts. loadConfig refuses production mode without a configured secret.
 */
export const resolveJwtSecret = (configured: string | undefined, dataDir: string) =>
  resolveDevSecret(configured, dataDir, 'jwt-secret', () => randomBytes(48).toString('base64url'));

/**
 * The HS256 secret the verifier and `npm run token` use, or none. Without a JWKS as before;
 * with a JWKS URL only an explicitly configured JWT_SECRET: a deployment that has an identity
 * provider does not silently accept tokens signed with a secret generated on disk.
 */
export const resolveHmacSecret = async (
  auth: Readonly<{ secret?: string | undefined; jwks?: unknown }>,
  dataDir: string,
): Promise<string | undefined> =>
  auth.jwks !== undefined ? auth.secret : resolveJwtSecret(auth.secret, dataDir);

/**
 * The key-encryption key of crypto-shredding (32 bytes): from PRIVACY_KEK; in development a
 * random one kept in the data directory. loadConfig refuses production mode without it.
 */
export const resolvePrivacyKek = async (configured: string | undefined, dataDir: string) =>
  Buffer.from(
    await resolveDevSecret(configured, dataDir, 'privacy-kek', () =>
      randomBytes(32).toString('base64'),
    ),
    'base64',
  );

const resolveDevSecret = async (
  configured: string | undefined,
  dataDir: string,
  name: string,
  generate: () => string,
): Promise<string> => {
  if (configured !== undefined) return configured;
  const file = path.join(dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = generate();
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
};
