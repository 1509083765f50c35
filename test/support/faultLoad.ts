import { setTimeout as sleep } from 'node:timers/promises';
import { signToken } from '../../infra/auth/jwt';

/**
 * The fault suite's load: workers that each start sessions and append events through the API,
 * spreading over the API processes, retrying what failed. Every answer is recorded (time,
 * status; 0 = no answer), and every 2xx-acknowledged append with the version it reported, so the
 * suite can check that each acknowledged event is in the store.
 */
/** One answer: when, its status (0: none), which API, and a 5xx's error code. */
export type Answer = Readonly<{ at: number; status: number; api: number; code?: string }>;
export type Ack = Readonly<{ sessionId: string; version: number }>;
export type LoadSettings = Readonly<{
  apis: readonly string[];
  auth: { secret: string; issuer: string; audience: string };
  workers: number;
  eventsPerSession: number;
  /** Sessions in all: the load's bound (it may be stopped earlier). */
  sessions: number;
  /** Optional pause between a worker's requests (spreads a small load over the faults). */
  pauseMs: number;
}>;

const step = 'information_collection';
const eventAt = (k: number) =>
  k === 0 ? { type: 'step_entered', step } : { type: 'question_asked', step, question_id: `q${k}` };

export const runLoad = (settings: LoadSettings) => {
  const answers: Answer[] = [];
  const acks: Ack[] = [];
  const sessionIds: string[] = [];
  let next = 0;
  let request = 0;
  let stopped = false;

  const call = async (
    method: string,
    url: (api: string) => string,
    token: string,
    body?: unknown,
  ) => {
    for (;;) {
      const api = request++ % settings.apis.length;
      const res = await fetch(url(settings.apis[api] as string), {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      }).catch(() => null);
      const at = Date.now();
      if (res !== null && (res.status < 500 || res.status === 501)) {
        answers.push({ at, status: res.status, api });
        return {
          status: res.status,
          body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
        };
      }
      const failed = (await res?.json().catch(() => null)) as { error?: string } | null;
      answers.push({ at, status: res?.status ?? 0, api, code: failed?.error ?? '' });
      await sleep(200);
    }
  };

  const oneSession = async (worker: number, n: number) => {
    const token = await signToken(
      settings.auth,
      { role: 'user', tenantId: 'acme', subject: `w${worker}-s${n}` },
      '2h',
    );
    // resume_existing: a start that committed but whose answer was lost comes back as "resumed".
    const started = await call('POST', (a) => `${a}/conversation/start/`, token, {
      language: 'en',
      resume_existing: true,
    });
    if (started.status >= 300) throw new Error(`start answered ${started.status}`);
    const id = String(started.body.conversation_id);
    sessionIds.push(id);
    acks.push({ sessionId: id, version: 0 });
    let version = 0;
    for (let k = 0; k < settings.eventsPerSession - 1; k += 1) {
      if (settings.pauseMs > 0) await sleep(settings.pauseMs);
      const res = await call('POST', (a) => `${a}/sessions/${id}/events/`, token, {
        events: [eventAt(k)],
        expected_version: version,
      });
      if (res.status === 201) {
        version = Number(res.body.version);
        acks.push({ sessionId: id, version });
      } else if (res.status === 409) {
        // An earlier attempt committed but its answer was lost: learn the version and go on.
        const read = await call('GET', (a) => `${a}/sessions/${id}/`, token);
        version = Number(read.body.version);
        k = version - 1;
      } else throw new Error(`append answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };

  const done = Promise.all(
    Array.from({ length: settings.workers }, async (_, worker) => {
      for (let n = next++; n < settings.sessions && !stopped; n = next++)
        await oneSession(worker, n);
    }),
  );
  /** No new sessions after this; the ones under way are finished. */
  const stop = () => {
    stopped = true;
  };
  return { answers, acks, sessionIds, done, stop };
};
