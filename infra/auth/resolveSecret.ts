import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The HMAC secret: from configuration when set; otherwise (development only) a random secret kept
 * in the data directory, so `npm run token` in the same directory mints tokens that `npm start`
 * accepts. loadConfig refuses production mode without a configured secret.
 */
export const resolveJwtSecret = async (
  configured: string | undefined,
  dataDir: string,
): Promise<string> => {
  if (configured !== undefined) return configured;
  const file = path.join(dataDir, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
};
