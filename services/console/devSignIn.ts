import { signToken } from '../../infra/auth/jwt';
import { resolveJwtSecret } from '../../infra/auth/resolveSecret';
import type { Config } from '../../infra/config/loadConfig';
import { consolePath } from './routes';

/**
 * Development only: a one-click sign-in link to the console, printed by `npm start`. The token
 * (superadmin of tenant `dev`, 8 hours) rides in the URL fragment, which the browser never sends,
 * so it reaches no access log; the console moves it to sessionStorage and clears the fragment.
 * Production never mints one (loadConfig requires a configured secret there anyway).
 */
export const devSignInLink = async (config: Config): Promise<string | null> => {
  if (config.env === 'production') return null;
  const secret = await resolveJwtSecret(config.auth.secret, config.dataDir);
  const token = await signToken(
    { ...config.auth, secret },
    { subject: 'console-dev', tenantId: 'dev', role: 'superadmin' },
    '8h',
  );
  const host = ['0.0.0.0', '::'].includes(config.http.host) ? 'localhost' : config.http.host;
  return `http://${host}:${config.http.port}${consolePath}/#token=${token}`;
};
