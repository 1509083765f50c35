import type { z } from 'zod';

/** One documented response of a route: its status, what it means and the body's schema. */
export type ResponseSpec = Readonly<{ description: string; schema: z.ZodType }>;

/**
 * One route as the OpenAPI document describes it, next to the feature that serves it. The
 * request schemas are the ones the route validates with; the response schemas describe what
 * the route's presenter writes. `errors` lists the route's own error codes besides the ones
 * every authenticated route can answer (services/api/contract/errorCodes.ts).
 */
export type RouteSpec = Readonly<{
  method: 'get' | 'post' | 'delete';
  /** Express path below the base path, e.g. `/sessions/:id/`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** false: no bearer token needed (health, the document itself). */
  auth?: boolean;
  /** The rate-limit resource the route charges (RateLimit headers, 429). */
  rateLimit?: string;
  params?: Readonly<Record<string, z.ZodType>>;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyType?: 'application/json' | 'multipart/form-data';
  responses: Readonly<Record<number, ResponseSpec>>;
  errors?: readonly string[];
}>;
