import { randomUUID } from 'node:crypto';
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './apiTypes.generated';

export type { paths, components, operations } from './apiTypes.generated';

export type ApiClientOptions = Readonly<{
  /** The API's origin (http://host:port); a trailing /api/v1/onboarding is accepted too. */
  baseUrl: string;
  /** A bearer token for every request (omit for health, metrics and the document). */
  token?: string | undefined;
  /** Per-request deadline. */
  timeoutMs?: number;
  /** The X-Correlation-ID of each request (shown in the API's logs and error bodies). */
  correlationId?: () => string;
}>;

const apiPath = '/api/v1/onboarding';
const defaultCorrelationId = () => `client-${randomUUID()}`;

/**
 * The typed client of the Waymark API: paths, parameters, bodies and answers (errors too) are
 * typed from the OpenAPI document by openapi-typescript; openapi-fetch does the calls. Every
 * request carries the token and a fresh X-Correlation-ID.
 */
export const createApiClient = (options: ApiClientOptions) => {
  const origin = options.baseUrl.replace(/\/+$/, '').replace(new RegExp(`${apiPath}$`), '');
  const { timeoutMs } = options;
  const client = createClient<paths>({
    baseUrl: `${origin}${apiPath}`,
    fetch: (request: Request) =>
      fetch(
        timeoutMs === undefined
          ? request
          : new Request(request, { signal: AbortSignal.timeout(timeoutMs) }),
      ),
  });
  const headers: Middleware = {
    onRequest: ({ request }) => {
      if (options.token !== undefined)
        request.headers.set('Authorization', `Bearer ${options.token}`);
      request.headers.set('X-Correlation-ID', (options.correlationId ?? defaultCorrelationId)());
      return request;
    },
  };
  client.use(headers);
  return client;
};

export type ApiClient = ReturnType<typeof createApiClient>;
