import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { DependencyUnavailableError } from '../dependencies/dependencyUnavailable';

/** The asymmetric algorithms a JWKS may sign with (never an HMAC one: a public key is no secret). */
export const jwksAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type JwksAlgorithm = (typeof jwksAlgorithms)[number];

export type JwksSettings = Readonly<{
  url: string;
  algorithms: readonly JwksAlgorithm[];
  /** The set is fetched again on the first verification after it is this old. */
  cacheSeconds: number;
  /** A token with an unknown `kid` refetches the set at most this often. */
  cooldownSeconds: number;
  timeoutMs: number;
}>;

/**
 * The identity provider's key set, fetched by jose's remote key set (HTTP, timeout, JWK selection
 * by `kid`/`alg`/`kty`). When to fetch again is decided here, on the verifier's clock, rather than
 * by jose's own timers (set to never): so one injectable clock governs both the key set's age and
 * the verified-token cache, and a test can rotate keys without sleeping.
 * - older than `cacheSeconds` → fetched before use: a key removed from the set stops verifying
 *   within `cacheSeconds` of its removal;
 * - a `kid` not in the set → fetched again unless the last fetch is younger than
 *   `cooldownSeconds` (a new key is picked up at once; bogus `kid`s cannot hammer the provider).
 * A failed fetch (refused, timed out, not 200, not a key set) is the identity provider's outage,
 * not the token's fault: DependencyUnavailableError (503, Retry-After). No key is trusted beyond
 * its cache age, so a token is never accepted without a current key set.
 */
export const createRotatingKeySet = (settings: JwksSettings, now: () => number) => {
  const remote = createRemoteJWKSet(new URL(settings.url), {
    timeoutDuration: settings.timeoutMs,
    cacheMaxAge: Number.POSITIVE_INFINITY,
    cooldownDuration: Number.POSITIVE_INFINITY,
  });
  let fetchedAtMs = Number.NEGATIVE_INFINITY;
  const ageMs = () => now() - fetchedAtMs;
  const reload = async () => {
    try {
      await remote.reload();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DependencyUnavailableError('identity_provider', `key set: ${reason}`);
    }
    fetchedAtMs = now();
  };
  const key: JWTVerifyGetKey = async (header, token) => {
    if (ageMs() >= settings.cacheSeconds * 1000) await reload();
    try {
      return await remote(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      if (ageMs() < settings.cooldownSeconds * 1000) throw error;
      await reload();
      return remote(header, token);
    }
  };
  return { key, maxAgeMs: settings.cacheSeconds * 1000 };
};
