import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { signToken } from '../../infra/auth/jwt';
import { createBenchDatabase } from './lib/benchDatabase';
import { run } from './lib/processes';
import { benchAuth, messageCount, startBenchApi } from './lib/benchApi';
import { median, report } from './lib/report';

/**
 * bench:crypto — the cost of crypto-shredding on the write path. Events committed per second
 * through POST sessions/{id}/events/ when each carries an answer text (sealed with the subject's
 * key: key lookup, cached, plus AES-256-GCM) against the same requests carrying only an answer
 * length (nothing to seal), alternating A/B on one API process (CPU 0) over PostgreSQL.
 * Env: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_SESSIONS (2000).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sessionCount = Number(process.env.BENCH_SESSIONS ?? 2000);
const answer =
  'We moved here in 2019; the meter is behind the blue gate, ask for the caretaker first.';

const main = async () => {
  await run('taskset', ['-cp', '1', String(process.pid)]).catch(() => undefined);
  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  const server = await startBenchApi(db.url, {
    PRIVACY_KEK: Buffer.alloc(32, 7).toString('base64'),
  });
  const token = await signToken(
    benchAuth,
    { role: 'service', tenantId: 'bench', subject: 'svc' },
    '1h',
  );
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = `http://127.0.0.1:${server.port}/api/v1/onboarding`;
  const sessions: string[] = [];
  console.log(`creating ${sessionCount} sessions (one data subject each)…`);
  for (let i = 0; i < sessionCount; i += 1) {
    const res = await fetch(`${base}/conversation/start/`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ user_id: `u${i}` }),
    });
    if (res.status !== 201) throw new Error(`session start answered ${res.status}`);
    sessions.push(((await res.json()) as { conversation_id: string }).conversation_id);
  }
  const load = async (sealed: boolean) => {
    const activity = sealed
      ? { type: 'question_answered', step: 'approval', question_id: 'q1', answer }
      : {
          type: 'question_answered',
          step: 'approval',
          question_id: 'q1',
          answer_length: answer.length,
        };
    const before = await messageCount(db.sql);
    const result = await autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections: 16,
      duration: seconds,
      headers,
      requests: [
        {
          method: 'POST',
          body: JSON.stringify({ events: [activity] }),
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/onboarding/sessions/${sessions[Math.floor(Math.random() * sessions.length)] ?? ''}/events/`,
          }),
        },
      ],
    });
    if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers`);
    return ((await messageCount(db.sql)) - before) / seconds;
  };
  await load(true);
  const pairs: { sealed: number; plain: number }[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const sealed = await load(true);
    const plain = await load(false);
    console.log(
      `round ${r + 1}: sealed answers ${sealed.toFixed(0)} ev/s, answer length only ${plain.toFixed(0)} ev/s`,
    );
    pairs.push({ sealed, plain });
  }
  await server.stop();
  await db.drop();
  report(
    'crypto',
    { seconds, sessionCount, pairs },
    {
      'append with encryption ÷ without': {
        value: median(pairs.map((p) => p.sealed / p.plain)),
        goal: '>= 0.9',
      },
    },
  );
};

void main();
