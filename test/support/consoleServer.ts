import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { RecordedEvent } from '../../events/envelope';
import type { Role } from '../../infra/auth/jwt';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import type { Projection } from '../../projections/projection';
import { testLiveProjection } from './liveProjection';
import { createEmbeddedFeeder } from '../../services/projector/embeddedFeeder';
import { buildTestApp, tokenFor } from './apiHarness';
import { createTestDatabase, type TestDatabase } from './testDatabase';

/**
 * The feed's projection with a poison switch: events of a poisoned session fail as if the
 * projection could not apply them (so they are dead-lettered). The API's retry re-drives with the
 * real projection, so a retry then succeeds, as after a fixed bug.
 */
const poisonable = (inner: Projection, poisoned: Set<string>): Projection => ({
  id: inner.id,
  redrive: (tx, sessionId, stream) => inner.redrive(tx, sessionId, stream),
  applyBatch: async (tx, events) => {
    const bad = (e: RecordedEvent) => poisoned.has(e.streamName.replace(/^onboarding-/, ''));
    const outcome = await inner.applyBatch(
      tx,
      events.filter((e) => !bad(e)),
    );
    const failures = events
      .filter(bad)
      .map((event) => ({ event, error: new Error('poison event: the projection rejected it') }));
    return { ...outcome, failures: [...outcome.failures, ...failures] };
  },
});

/** Parsed JSON, as untyped as supertest's `body`: the tests check its shape. */
type Json = ReturnType<typeof JSON.parse>;

export type ConsoleServer = Readonly<{
  origin: string;
  db: TestDatabase;
  poisoned: Set<string>;
  token: (role: Role, tenant?: string, subject?: string) => Promise<string>;
  api: (path: string, token: string, init?: RequestInit) => Promise<{ status: number; body: Json }>;
  close: () => Promise<void>;
}>;

/**
 * The real API (composeApi, so the console is mounted as in `npm start`) on a fresh PostgreSQL
 * database, listening on a free port, with the embedded projection feed running beside it.
 */
export const startConsoleServer = async (): Promise<ConsoleServer> => {
  const db = await createTestDatabase('waymark_console');
  const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
  const { app } = buildTestApp(store, { sql: db.sql });
  const poisoned = new Set<string>();
  const feeder = createEmbeddedFeeder({
    eventStore: store,
    sql: db.sql,
    projection: poisonable(testLiveProjection(), poisoned),
    logger: createLogger('silent'),
    groupId: 'projector',
    category: 'onboarding',
    intervalMs: 50,
    maxRetries: 3,
  });
  feeder.start();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = async (path: string, token: string, init: RequestInit = {}) => {
    const res = await fetch(`${origin}/api/v1/onboarding${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text) };
  };
  return {
    origin,
    db,
    poisoned,
    token: (role, tenant = 'tenant-a', subject) => tokenFor(role, tenant, subject, '30m'),
    api,
    close: async () => {
      await feeder.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.drop();
    },
  };
};

/** A session started and moved through `steps` by a service of `tenant`, through the API. */
export const seedSession = async (
  s: ConsoleServer,
  opts: Readonly<{
    tenant?: string;
    user: string;
    steps: number;
    complete?: boolean;
    channel?: string;
  }>,
): Promise<string> => {
  const service = await s.token('service', opts.tenant ?? 'tenant-a', 'seeder');
  const started = await s.api('/conversation/start/', service, {
    method: 'POST',
    body: JSON.stringify({ user_id: opts.user, channel: opts.channel ?? 'web' }),
  });
  if (started.status !== 201) throw new Error(`start: ${started.status}`);
  const id: string = started.body.conversation_id;
  const flow: string[] = started.body.session.flow.steps;
  const events = flow.slice(0, opts.steps).flatMap((step) => [
    { type: 'step_entered', step },
    { type: 'step_completed', step },
  ]);
  if (opts.complete === true) events.push({ type: 'session_completed' } as never);
  if (events.length > 0) {
    const r = await s.api(`/sessions/${id}/events/`, service, {
      method: 'POST',
      body: JSON.stringify({ events }),
    });
    if (r.status !== 201) throw new Error(`events: ${r.status}`);
  }
  return id;
};
