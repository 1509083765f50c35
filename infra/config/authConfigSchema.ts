import { z } from 'zod';
import { int, list, optionalString } from './configFields';

/** Bearer tokens: HS256 secret and/or the identity provider's key set, and the claims read. */
export const authFields = {
  JWT_SECRET: optionalString.describe(
    'HS256 secret, at least 32 bytes (shorter refuses to start); unset → generated into `WAYMARK_DATA_DIR` in development (unless `JWT_JWKS_URL` is set: then no HS256), required in production unless `JWT_JWKS_URL`',
  ),
  JWT_ISSUER: z.string().default('waymark').describe('required `iss` of bearer tokens'),
  JWT_AUDIENCE: z.string().default('waymark-api').describe('required `aud` of bearer tokens'),
  JWT_JWKS_URL: optionalString.describe(
    "the identity provider's JSON Web Key Set (`https://…/.well-known/jwks.json`): tokens signed with its keys (`JWT_JWKS_ALGORITHMS`) are accepted; HS256 then only if `JWT_SECRET` is set too (no generated secret). `https` required in production",
  ),
  JWT_JWKS_ALGORITHMS: list('RS256,ES256,PS256,EdDSA').describe(
    'comma-separated algorithms accepted from the JWKS: `RS256`, `RS384`, `RS512`, `PS256`, `ES256`, `ES384`, `EdDSA` (never an HMAC one)',
  ),
  JWT_JWKS_CACHE_SECONDS: int(600, 1).describe(
    'the key set is fetched again on the first request after it is this old; a verified token is re-verified after this long too, so a key removed from the set stops working within this time',
  ),
  JWT_JWKS_COOLDOWN_SECONDS: int(30, 0).describe(
    'a token with a `kid` not in the set fetches the set again, at most this often (a new key works at once; unknown `kid`s cannot flood the provider)',
  ),
  JWT_JWKS_TIMEOUT_MS: int(5_000, 100).describe(
    'timeout of one JWKS fetch (while the set cannot be fetched, requests answer 503 `identity_provider_unavailable`)',
  ),
  JWT_TENANT_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_:./-]{1,128}$/)
    .default('tenant_id')
    .describe('the claim that carries the tenant id'),
  JWT_ROLE_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_:./-]{1,128}$/)
    .default('role')
    .describe(
      'the claim that carries the role (a string: `user`, `service`, `admin` or `superadmin`)',
    ),
};

/** Browsers of other origins calling the API (none unless listed). */
export const corsFields = {
  CORS_ALLOWED_ORIGINS: list('').describe(
    'comma-separated origins (`https://app.example.com`) whose browsers may call the API: they get CORS headers and preflight answers; `*` any origin (only when listed); unset → no CORS headers',
  ),
  CORS_MAX_AGE_SECONDS: int(600, 0).describe(
    'how long a browser may reuse a preflight answer (`Access-Control-Max-Age`)',
  ),
};
