import { signToken } from '../../infra/auth/jwt';
import { resolveHmacSecret } from '../../infra/auth/resolveSecret';
import type { Config } from '../../infra/config/loadConfig';
import { consolePath } from './routes';

/**
 * Development only: a one-click sign-in link to the console, printed by `npm start`. The token
 * (superadmin of tenant `dev`, 8 hours) rides in the URL fragment, which the browser never sends,
 * so it reaches no access log; the console moves it to sessionStorage and clears the fragment.
 * Production never mints one, nor does a deployment whose HS256 is off (JWKS without JWT_SECRET).
 */
export const devSignInLink = async (config: Config): Promise<string | null> => {
  if (config.env === 'production') return null;
  const secret = await resolveHmacSecret(config.auth, config.dataDir);
  // With an identity provider and no JWT_SECRET there is no HS256 to sign a dev token with.
  if (secret === undefined) return null;
  const token = await signToken(
    { ...config.auth, secret },
    { subject: 'console-dev', tenantId: 'dev', role: 'superadmin' },
    '8h',
  );
  const host = ['0.0.0.0', '::'].includes(config.http.host) ? 'localhost' : config.http.host;
  return `http://${host}:${config.http.port}${consolePath}/#token=${token}`;
};
