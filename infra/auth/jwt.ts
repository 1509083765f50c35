import { CodedError } from '../../events/codedError';
import { DependencyUnavailableError } from '../dependencies/dependencyUnavailable';
import {
  SignJWT,
  jwtVerify,
  errors as joseErrors,
  type JWTHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose';
import { createRotatingKeySet, type JwksSettings } from './remoteKeySet';
import { createVerifiedTokenCache, type Verified } from './verifiedTokenCache';

export const roles = ['user', 'service', 'admin', 'superadmin'] as const;
export type Role = (typeof roles)[number];

/** Who is calling: the token's subject, its tenant and its role. */
export type Principal = Readonly<{ subject: string; tenantId: string; role: Role }>;

export type JwtSettings = Readonly<{
  /** HS256 secret (development, or a deployment without an identity provider); unset → no HS256. */
  secret?: string | undefined;
  issuer: string;
  audience: string;
  /** The claims carrying the tenant and the role (an identity provider names them its way). */
  tenantClaim?: string;
  roleClaim?: string;
  /** The identity provider's key set (RS256, ES256, …); unset → HS256 only. */
  jwks?: JwksSettings | undefined;
}>;

const hmacAlgorithm = 'HS256';
const minimumSecretBytes = 32;
const claimNames = (s: JwtSettings) => ({
  tenant: s.tenantClaim ?? 'tenant_id',
  role: s.roleClaim ?? 'role',
});

export class InvalidTokenError extends CodedError {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(
      { code: reason === 'expired' ? 'token_expired' : 'invalid_token', category: 'validation' },
      reason === 'expired' ? 'token expired' : 'token invalid',
    );
  }
}

const keyFrom = (secret: string): Uint8Array => {
  const key = new TextEncoder().encode(secret);
  if (key.byteLength < minimumSecretBytes) {
    throw new Error(
      `JWT secret must be at least ${minimumSecretBytes} bytes (HS256 needs 256 bits)`,
    );
  }
  return key;
};

const isRole = (value: unknown): value is Role => roles.includes(value as Role);
const isId = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9._:@-]{1,128}$/.test(value);

/**
 * The key for a token, chosen by its `alg` among the accepted ones only: HS256 → the secret,
 * an asymmetric algorithm → the key set. So an HS256 token is never checked against a public key
 * (algorithm confusion), and `alg: none` or an algorithm not configured is refused by jose before
 * any key is looked at.
 */
const keyChooser = (hmac: Uint8Array | undefined, jwks: JWTVerifyGetKey | undefined) =>
  async function chooseKey(header: JWTHeaderParameters, token: Parameters<JWTVerifyGetKey>[1]) {
    if (header.alg === hmacAlgorithm && hmac !== undefined) return hmac;
    if (header.alg !== hmacAlgorithm && jwks !== undefined) return jwks(header, token);
    throw new InvalidTokenError('invalid');
  };

/**
 * Verifies bearer tokens: HS256 with the secret and/or the identity provider's asymmetric keys
 * (JWKS), issuer, audience and expiry required; the tenant and role come from the configured
 * claims. Refuses to be created with a secret shorter than 32 bytes or with no key at all, so a
 * weak or missing configuration stops the process at start-up. Verified tokens are remembered
 * (verifiedTokenCache.ts): until their expiry when HMAC-signed, and no longer than the key set's
 * cache age when signed by a JWKS key, so a key removed from the set stops working within it.
 * `now` (ms) is injectable so that tests rotate keys without sleeping.
 */
export const createJwtVerifier = (
  settings: JwtSettings,
  options: Readonly<{ now?: () => number }> = {},
) => {
  const now = options.now ?? Date.now;
  const hmac = settings.secret === undefined ? undefined : keyFrom(settings.secret);
  const keySet = settings.jwks === undefined ? undefined : createRotatingKeySet(settings.jwks, now);
  if (hmac === undefined && keySet === undefined) {
    throw new Error('JWT verification needs a secret (HS256) or a JWKS URL');
  }
  const algorithms = [
    ...(hmac === undefined ? [] : [hmacAlgorithm]),
    ...(settings.jwks?.algorithms ?? []),
  ];
  const chooseKey = keyChooser(hmac, keySet?.key);
  const claims = claimNames(settings);
  const verify = async (token: string): Promise<Verified<Principal>> => {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, chooseKey, {
        algorithms,
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now()),
      });
      const { sub } = payload;
      const tenantId = payload[claims.tenant];
      const role = payload[claims.role];
      if (!isId(sub) || !isId(tenantId) || !isRole(role)) throw new InvalidTokenError('invalid');
      const expiresAtMs = (payload.exp ?? 0) * 1000;
      const byKeySet = protectedHeader.alg !== hmacAlgorithm && keySet !== undefined;
      return {
        principal: { subject: sub, tenantId, role },
        expiresAtMs,
        recheckAtMs: byKeySet ? Math.min(expiresAtMs, now() + keySet.maxAgeMs) : expiresAtMs,
      };
    } catch (error) {
      if (error instanceof InvalidTokenError || error instanceof DependencyUnavailableError)
        throw error;
      throw new InvalidTokenError(error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid');
    }
  };
  const cache = createVerifiedTokenCache<Principal>(now);
  return async (token: string): Promise<Principal> => {
    const hit = cache.get(token);
    if (hit === 'expired') throw new InvalidTokenError('expired');
    if (hit !== undefined) return hit;
    const entry = await verify(token);
    cache.set(token, entry);
    return entry.principal;
  };
};

/** An HS256 token (development, `npm run token`, tests), with the configured claim names. */
export const signToken = async (
  settings: JwtSettings,
  claims: Principal,
  expiresIn: string | number = '1h',
): Promise<string> => {
  if (settings.secret === undefined) throw new Error('signing needs JWT_SECRET (HS256)');
  const names = claimNames(settings);
  return new SignJWT({ [names.tenant]: claims.tenantId, [names.role]: claims.role })
    .setProtectedHeader({ alg: hmacAlgorithm, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keyFrom(settings.secret));
};
