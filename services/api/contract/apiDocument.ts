import { allRouteSpecs } from './allRouteSpecs';
import { buildOpenApiDocument } from './openApiDocument';

const description = [
  'The Waymark onboarding API. Every error uses one envelope `{error, detail, field_errors, correlation_id}`.',
  'Rates are percentages 0–100 unless a field says otherwise.',
  'Rate limits: per end user and resource (`tenant:user:resource`); a service acting for users is also limited as a whole (service_aggregate); headers RateLimit-Policy / RateLimit name the policy that decided.',
  'JSON bodies: at most BODY_LIMIT_BYTES (413) and BODY_MAX_DEPTH levels of nesting (400 naming the field).',
  'Bearer tokens: HS256 (development) and/or RS256, ES256, PS256, EdDSA from the identity provider (JWT_JWKS_URL); the tenant and role claims are configurable.',
  'CORS: origins listed in CORS_ALLOWED_ORIGINS get CORS headers; an `OPTIONS` preflight under the base path is answered 204 before authentication (not listed as an operation).',
  "An error's optional `suggestion` is a fixed text chosen by its error code. The seed's ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS does not apply: Waymark has no model that proposes recovery steps (nor did the seed, which never read the setting); it is read and validated, and `true` only logs a warning at startup.",
].join('\n\n');

let built: ReturnType<typeof buildOpenApiDocument> | null = null;

/** The API's OpenAPI document, built once per process from every route's zod schemas. */
export const apiDocument = () =>
  (built ??= buildOpenApiDocument(allRouteSpecs, {
    version: '1.0.0',
    basePath: '/api/v1/onboarding',
    description,
  }));
