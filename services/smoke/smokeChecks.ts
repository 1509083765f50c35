import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiClient, type ApiClient } from '../client/apiClient';

export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';
export type CheckResult = Readonly<{
  name: string;
  status: CheckStatus;
  detail: string;
  ms: number;
}>;

export type SmokeOptions = Readonly<{
  /** The API's origin (http://host:port); a trailing /api/v1/onboarding is accepted too. */
  baseUrl: string;
  /** An admin token: the analytics read, and the erasure in write mode. */
  token: string;
  /** Write mode: start a session, append, read back, erase the subject. */
  write: boolean;
  /** A service-role token of the smoke tenant, for the writes. */
  writeToken?: string | undefined;
  smokeTenant: string;
  timeoutMs: number;
}>;

const apiPath = '/api/v1/onboarding';
const eraseAttempts = 10;
const eraseRetryMs = 500;

/** What any typed-client call answers: the status and, on an error, the envelope's code. */
type Answer = Readonly<{ response: Response; error?: unknown }>;
const codeOf = (a: Answer): string => {
  const error = a.error as { error?: unknown } | undefined;
  return typeof error?.error === 'string' ? error.error : '';
};

/** Claims of a JWT, read without verifying (the server verifies; this only guards write mode). */
export const unverifiedClaims = (token: string): Record<string, unknown> => {
  try {
    const payload = token.split('.')[1] ?? '';
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
};

type Clients = Readonly<{ origin: string; admin: ApiClient; writer: ApiClient }>;
type Check = (o: SmokeOptions, c: Clients) => Promise<[CheckStatus, string]>;

const health: Check = async (_o, { admin }) => {
  const a = await admin.GET('/health/');
  const status = a.data?.status ?? (a.error as { status?: string } | undefined)?.status;
  return a.response.status === 200 && status !== 'fail'
    ? ['PASS', `200 status=${String(status)}`]
    : ['FAIL', `${a.response.status} status=${String(status)}`];
};

/** The document is served since issue 13; an older server without it is a skip, not a pass. */
const openApi: Check = async (_o, { admin }) => {
  const a = await admin.GET('/openapi.json');
  if (a.response.status === 404) return ['SKIP', '404: this version serves no OpenAPI document'];
  const version = (a.data as { openapi?: unknown } | undefined)?.openapi;
  return a.response.status === 200 && typeof version === 'string'
    ? ['PASS', `200 openapi=${version}`]
    : ['FAIL', `${a.response.status} not an OpenAPI document`];
};

const analytics: Check = async (_o, { admin }) => {
  const a = await admin.GET('/analytics/funnel/');
  return a.data !== undefined
    ? ['PASS', `200 total_sessions=${a.data.total_sessions}`]
    : ['FAIL', `${a.response.status} ${codeOf(a)}`];
};

/** /metrics is outside the API's base path and its document (Prometheus' text format). */
const metrics: Check = async (o, { origin }) => {
  const res = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(o.timeoutMs) });
  const body = await res.text();
  return res.status === 200 && body.includes('http_request_duration_seconds')
    ? ['PASS', `200 ${body.split('\n').filter((l) => l.startsWith('# TYPE')).length} metrics`]
    : ['FAIL', `${res.status} no http_request_duration_seconds`];
};

/** Write mode: one session of a fresh smoke subject, then that subject erased. */
const writeChecks = (): [string, Check][] => {
  const subject = `smoke-${randomUUID()}`;
  let sessionId = '';
  const session = () => ({ params: { path: { id: sessionId } } });
  return [
    [
      'write: start session',
      async (_o, { writer }) => {
        const a = await writer.POST('/conversation/start/', {
          body: { user_id: subject, channel: 'smoke' },
        });
        sessionId = a.data?.conversation_id ?? '';
        return a.response.status === 201
          ? ['PASS', `201 ${sessionId}`]
          : ['FAIL', `${a.response.status} ${codeOf(a)}`];
      },
    ],
    [
      'write: append event',
      async (_o, { writer }) => {
        const a = await writer.POST('/sessions/{id}/events/', {
          ...session(),
          body: { events: [{ type: 'step_entered', step: 'information_collection' }] },
        });
        return a.data !== undefined
          ? ['PASS', `${a.response.status} version=${a.data.version}`]
          : ['FAIL', `${a.response.status} ${codeOf(a)}`];
      },
    ],
    [
      'write: read back',
      async (_o, { writer }) => {
        const a = await writer.GET('/sessions/{id}/', session());
        const version = a.data?.version ?? -1;
        return a.response.status === 200 && version >= 1
          ? ['PASS', `200 version=${version}`]
          : ['FAIL', `${a.response.status} ${codeOf(a)}`];
      },
    ],
    [
      'write: erase smoke subject',
      async (_o, { admin }) => {
        // Erasure finds the subject's sessions in the read model, which trails the log by a
        // moment: repeat (erasure is idempotent) until the smoke session is among them.
        for (let attempt = 1; ; attempt += 1) {
          const a = await admin.POST('/admin/subjects/{subject}/erase/', {
            params: { path: { subject } },
            body: { confirm: true },
          });
          if (a.data?.erased !== true) return ['FAIL', `${a.response.status} ${codeOf(a)}`];
          const { sessions } = a.data;
          if (sessions >= 1) return ['PASS', `200 sessions=${sessions} attempts=${attempt}`];
          if (attempt >= eraseAttempts)
            return ['FAIL', `200 but sessions=0 after ${attempt} attempts (read model behind?)`];
          await sleep(eraseRetryMs);
        }
      },
    ],
  ];
};

/** Write mode is refused unless both tokens belong to the smoke tenant (checked before any call). */
export const writeRefusal = (o: SmokeOptions): string | null => {
  if (!o.write) return null;
  if (o.writeToken === undefined)
    return '--write needs --write-token (a service token of the smoke tenant)';
  for (const [name, token] of [
    ['--token', o.token],
    ['--write-token', o.writeToken],
  ] as const) {
    const tenant = unverifiedClaims(token).tenant_id;
    if (tenant !== o.smokeTenant)
      return `${name} is for tenant "${String(tenant)}", not the smoke tenant "${o.smokeTenant}"`;
  }
  return null;
};

/**
 * The checks, in order, each timed and caught: a check that throws (network, timeout) fails with
 * its message and the others still run. Read-only unless `write`.
 */
export const runSmoke = async (o: SmokeOptions): Promise<CheckResult[]> => {
  const origin = o.baseUrl.replace(/\/+$/, '').replace(new RegExp(`${apiPath}$`), '');
  const client = (token: string | undefined) =>
    createApiClient({
      baseUrl: origin,
      token,
      timeoutMs: o.timeoutMs,
      correlationId: () => `smoke-${randomUUID()}`,
    });
  const clients = { origin, admin: client(o.token), writer: client(o.writeToken) };
  const checks: [string, Check][] = [
    ['health', health],
    ['openapi', openApi],
    ['analytics read', analytics],
    ['metrics scrape', metrics],
    ...(o.write ? writeChecks() : []),
  ];
  const results: CheckResult[] = [];
  for (const [name, check] of checks) {
    const started = Date.now();
    const [status, detail] = await check(o, clients).catch(
      (error: unknown): [CheckStatus, string] => [
        'FAIL',
        error instanceof Error ? error.message : String(error),
      ],
    );
    results.push({ name, status, detail, ms: Date.now() - started });
  }
  return results;
};

/** 0 when nothing failed (skips allowed), 1 otherwise. */
export const exitCodeOf = (results: readonly CheckResult[]) =>
  results.some((r) => r.status === 'FAIL') ? 1 : 0;

export const formatResult = (r: CheckResult) => `${r.status} ${r.name}: ${r.detail} (${r.ms} ms)`;
