import { performance } from 'node:perf_hooks';
import type { EventStore } from '../../../infra/eventStore/eventStore';
import { percentile } from './report';

/** A running API and the headers of a service caller of the bench tenant. */
export type Target = Readonly<{ port: number; headers: Record<string, string> }>;

const base = (t: Target) => `http://127.0.0.1:${t.port}/api/v1/onboarding`;
const oneEvent = JSON.stringify({
  events: [{ type: 'question_asked', step: 'approval', question_id: 'q1' }],
});

/** Starts a session through the API and appends one event (the template for seeding). */
export const startSession = async (t: Target, userId: string): Promise<string> => {
  const res = await fetch(`${base(t)}/conversation/start/`, {
    method: 'POST',
    headers: t.headers,
    body: JSON.stringify({ user_id: userId }),
  });
  const id = ((await res.json()) as { conversation_id: string }).conversation_id;
  await postEvent(t, id);
  return id;
};

export const postEvent = async (t: Target, sessionId: string): Promise<void> => {
  const res = await fetch(`${base(t)}/sessions/${sessionId}/events/`, {
    method: 'POST',
    headers: t.headers,
    body: oneEvent,
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`append answered ${res.status}`);
};

/**
 * Grows a session's stream to `length` events straight in the store, by repeating its last event
 * (a QuestionAsked the API wrote) in batches: the same event the API appends, without the wait.
 */
export const growStream = async (store: EventStore, sessionId: string, length: number) => {
  const stream = `onboarding-${sessionId}`;
  const { events, version } = await store.readStream(stream);
  const last = events.at(-1);
  if (last === undefined) throw new Error(`no events in ${stream}`);
  for (let v = version; v < length - 1;) {
    const n = Math.min(500, length - 1 - v);
    const batch = Array.from({ length: n }, () => ({
      eventId: crypto.randomUUID(),
      type: last.type,
      data: last.data,
      metadata: last.metadata,
    }));
    v = (await store.appendToStream(stream, batch, { expectedVersion: v })).nextExpectedVersion;
  }
};

/**
 * One worker per session, each appending one event per request, one request at a time; the
 * first `warmup` requests of each are not measured (a fresh process's first read of a session).
 * Events/s counts the measured requests only.
 */
export const measureAppends = async (
  t: Target,
  sessions: readonly string[],
  requests: number,
  warmup: number,
) => {
  // Every worker warms up before any is measured: one worker's first read (a whole replay on a
  // fresh process) must not land in another's measured latencies.
  await Promise.all(
    sessions.map(async (id) => {
      for (let i = 0; i < warmup; i += 1) await postEvent(t, id);
    }),
  );
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    sessions.map(async (id) => {
      for (let i = 0; i < requests; i += 1) {
        const t0 = performance.now();
        await postEvent(t, id);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: (sessions.length * requests) / seconds,
  };
};
