import { z } from 'zod';
import { commonErrors, errorEnvelope, errorStatus, rateLimitErrors } from './errorCodes';
import type { RouteSpec } from './routeSpec';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema, as a request or a response. */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  // The document's dialect is declared once (OpenAPI 3.1 is JSON Schema 2020-12).
  delete out.$schema;
  return out;
};

/** `/sessions/:id/` → `/sessions/{id}/`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z_]+)/g, '{$1}');

const statusText: Record<number, string> = {
  400: 'invalid request',
  401: 'not authenticated',
  403: 'not permitted',
  404: 'not found',
  409: 'conflict',
  413: 'too large',
  415: 'unsupported media type',
  422: 'unprocessable',
  429: 'rate limit or quota exceeded',
  500: 'server error (look up correlation_id)',
  503: 'unavailable (fail closed); Retry-After',
};

const envelopeRef = { $ref: '#/components/schemas/ErrorEnvelope' };

/** The envelope once, in components: `error` is any code there; each response narrows it. */
const errorEnvelopeSchema = (): JsonSchema => {
  const schema = jsonSchema(errorEnvelope(['internal_error']), 'output');
  const properties = schema.properties as Record<string, JsonSchema>;
  properties.error = { type: 'string', description: 'the error code; each response lists its own' };
  return schema;
};

/**
 * The error responses of a route: one per status, the shared envelope by reference with `error`
 * restricted to that status's codes (inlining the envelope made up 80 % of the document).
 */
const errorResponses = (spec: RouteSpec) => {
  const codes = [
    ...(spec.auth === false ? ['internal_error'] : commonErrors),
    ...(spec.rateLimit !== undefined ? rateLimitErrors : []),
    ...(spec.errors ?? []),
  ];
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const status = errorStatus[code];
    if (status === undefined) throw new Error(`undocumented error code ${code}`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: `${statusText[status] ?? 'error'}: ${list.join(', ')}`,
        content: {
          'application/json': {
            schema: { allOf: [envelopeRef, { properties: { error: { enum: list } } }] },
          },
        },
      },
    ]),
  );
};

const parameters = (spec: RouteSpec) => [
  ...Object.entries(spec.params ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(schema, 'input'),
  })),
  ...Object.entries(spec.query?.shape ?? {}).map(([name, schema]) => {
    const s = jsonSchema(schema as z.ZodType, 'input');
    return {
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      schema: s,
    };
  }),
];

const rateLimitHeaders = {
  'RateLimit-Policy': { schema: { type: 'string' }, description: 'e.g. "standard";q=100;w=300' },
  RateLimit: { schema: { type: 'string' }, description: 'e.g. "standard";r=99;t=300' },
  'X-RateLimit-Limit': { schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { schema: { type: 'integer' } },
  'X-RateLimit-Reset': { schema: { type: 'integer' }, description: 'epoch seconds' },
};

const operation = (spec: RouteSpec) => ({
  operationId: spec.operationId,
  summary: spec.summary,
  ...(spec.description !== undefined ? { description: spec.description } : {}),
  tags: [spec.tag],
  security: spec.auth === false ? [] : [{ bearer: [] }],
  ...(spec.rateLimit !== undefined ? { 'x-rate-limit-resource': spec.rateLimit } : {}),
  parameters: parameters(spec),
  ...(spec.body !== undefined
    ? {
        requestBody: {
          required: true,
          content: {
            [spec.bodyType ?? 'application/json']: { schema: jsonSchema(spec.body, 'input') },
          },
        },
      }
    : {}),
  responses: {
    ...Object.fromEntries(
      Object.entries(spec.responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(spec.rateLimit !== undefined ? { headers: rateLimitHeaders } : {}),
          content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } },
        },
      ]),
    ),
    ...errorResponses(spec),
  },
});

/** The OpenAPI 3.1 document of the API, built from the routes' own zod schemas. */
export const buildOpenApiDocument = (
  specs: readonly RouteSpec[],
  info: Readonly<{ version: string; basePath: string; description: string }>,
) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Waymark onboarding API', version: info.version, description: info.description },
    servers: [{ url: info.basePath }],
    components: {
      schemas: { ErrorEnvelope: errorEnvelopeSchema() },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'HS256 with JWT_SECRET (development) and/or RS256, ES256, PS256, EdDSA verified against JWT_JWKS_URL; issuer JWT_ISSUER, audience JWT_AUDIENCE; claims sub, the tenant (JWT_TENANT_CLAIM, default tenant_id) and the role (JWT_ROLE_CLAIM, default role: user, service, admin, superadmin)',
        },
      },
    },
    paths,
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
