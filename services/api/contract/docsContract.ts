import { z } from 'zod';
import type { RouteSpec } from './routeSpec';

export const docsRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document (OpenAPI 3.1, generated from the zod schemas)',
    tag: 'meta',
    auth: false,
    responses: {
      200: {
        description: 'the document',
        schema: z
          .object({ openapi: z.literal('3.1.0') })
          .catchall(z.unknown())
          .describe('an OpenAPI 3.1 document'),
      },
    },
  },
  ...(
    [
      ['/docs/', 'getReferencePage', 'The rendered API reference (swagger-ui, served locally)'],
      ['/docs/init.js', 'getReferenceInit', 'Script of the reference page'],
      ['/docs/swagger-ui.css', 'getReferenceCss', 'Stylesheet of the reference page'],
      ['/docs/swagger-ui-bundle.js', 'getReferenceBundle', 'swagger-ui bundle'],
    ] as const
  ).map(([path, operationId, summary]): RouteSpec => ({
    method: 'get',
    path,
    operationId,
    summary,
    tag: 'meta',
    auth: false,
    responses: { 200: { description: 'a static asset (not JSON)', schema: z.string() } },
  })),
];
