import { CodedError } from '../../events/codedError';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

export const roles = ['user', 'service', 'admin', 'superadmin'] as const;
export type Role = (typeof roles)[number];

/** Who is calling: the token's subject, its tenant and its role. */
export type Principal = Readonly<{ subject: string; tenantId: string; role: Role }>;

export type JwtSettings = Readonly<{ secret: string; issuer: string; audience: string }>;

/** The only algorithm accepted: tokens with `alg: none` or any other algorithm are refused. */
const algorithm = 'HS256';
const minimumSecretBytes = 32;

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

const cacheLimit = 10_000;

/**
 * Verifies bearer tokens: HS256 only, issuer, audience and expiry required. Refuses to be created
 * with a secret shorter than 32 bytes, so a weak secret stops the process at start-up.
 * A verified token is remembered (by its exact string, until its own expiry) because HMAC through
 * WebCrypto costs more than the rest of a request; an altered token is a different key.
 */
export const createJwtVerifier = (settings: JwtSettings) => {
  const key = keyFrom(settings.secret);
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  const verify = async (token: string): Promise<{ principal: Principal; expiresAtMs: number }> => {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [algorithm],
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp', 'sub'],
      });
      const { sub, tenant_id: tenantId, role } = payload as Record<string, unknown>;
      if (!isId(sub) || !isId(tenantId) || !isRole(role)) throw new InvalidTokenError('invalid');
      return {
        principal: { subject: sub, tenantId, role },
        expiresAtMs: (payload.exp ?? 0) * 1000,
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError(error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid');
    }
  };
  return async (token: string): Promise<Principal> => {
    const hit = verified.get(token);
    if (hit !== undefined && hit.expiresAtMs > Date.now()) return hit.principal;
    if (hit !== undefined) {
      verified.delete(token);
      throw new InvalidTokenError('expired');
    }
    const entry = await verify(token);
    if (verified.size >= cacheLimit) verified.clear();
    verified.set(token, entry);
    return entry.principal;
  };
};

export const signToken = async (
  settings: JwtSettings,
  claims: Principal,
  expiresIn: string | number = '1h',
): Promise<string> =>
  new SignJWT({ tenant_id: claims.tenantId, role: claims.role })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keyFrom(settings.secret));
