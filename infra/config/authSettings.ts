import type { z } from 'zod';
import { jwksAlgorithms, type JwksAlgorithm, type JwksSettings } from '../auth/remoteKeySet';
import { ConfigError } from './configError';
import type { configSchema } from './configSchema';

type Env = z.infer<typeof configSchema>;

/** The identity provider's key set, when JWT_JWKS_URL is set (algorithms validated here). */
export const jwksSettings = (env: Env): JwksSettings | undefined => {
  if (env.JWT_JWKS_URL === undefined) return undefined;
  const unknown = env.JWT_JWKS_ALGORITHMS.filter(
    (a) => !jwksAlgorithms.includes(a as JwksAlgorithm),
  );
  if (unknown.length > 0 || env.JWT_JWKS_ALGORITHMS.length === 0) {
    throw new ConfigError(`JWT_JWKS_ALGORITHMS: one or more of ${jwksAlgorithms.join(', ')}`);
  }
  return {
    url: env.JWT_JWKS_URL,
    algorithms: env.JWT_JWKS_ALGORITHMS as JwksAlgorithm[],
    cacheSeconds: env.JWT_JWKS_CACHE_SECONDS,
    cooldownSeconds: env.JWT_JWKS_COOLDOWN_SECONDS,
    timeoutMs: env.JWT_JWKS_TIMEOUT_MS,
  };
};

/** The JWKS URL must be http(s), and https in production (the keys decide who is who). */
export const checkJwksUrl = (env: 'development' | 'production', url: string | undefined): void => {
  if (url === undefined) return;
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  const allowed = env === 'production' ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(protocol)) {
    throw new ConfigError(
      `JWT_JWKS_URL must be an ${env === 'production' ? 'https' : 'http(s)'} URL`,
    );
  }
};

/** Each listed origin is `*` or scheme://host[:port] exactly as browsers send it in `Origin`. */
export const checkCorsOrigins = (origins: readonly string[]): void => {
  const bad = origins.filter(
    (o) => o !== '*' && !(URL.canParse(o) && new URL(o).origin === o && o !== 'null'),
  );
  if (bad.length > 0) {
    throw new ConfigError(
      `CORS_ALLOWED_ORIGINS: ${bad.join(', ')} is not an origin (scheme://host[:port], no path) or *`,
    );
  }
};
