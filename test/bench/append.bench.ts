import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../../infra/auth/jwt';
import { createBenchDatabase } from './lib/benchDatabase';
import { run } from './lib/processes';
import { benchAuth, messageCount, startBenchApi } from './lib/benchApi';
import { median, report } from './lib/report';
import { cpuProfFlags, summarizeProfiles } from './lib/cpuProfile';

/**
 * B1: events committed per second through POST sessions/{id}/events/ (JWT, validation, fold,
 * decide, Message DB append), counted by the row delta in message_store.messages, against pgbench
 * calling write_message directly at the same concurrency, alternating A/B. Second ratio: group
 * commit against one transaction per request at high concurrency. Third: the API against its own
 * command handler driven in a process of its own on the API's CPU without HTTP (same store, pool,
 * concurrency and state cache). BENCH_CPU_PROF=1 adds one profiled API run (bench-results/profiles).
 * Env: BENCH_SECONDS (default 10), BENCH_ROUNDS (3), BENCH_SESSIONS (2000).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sessionCount = Number(process.env.BENCH_SESSIONS ?? 2000);

const main = async () => {
  // The load generator (autocannon, in this process) and pgbench use CPU 1; the API runs on CPU 0.
  await run('taskset', ['-cp', '1', String(process.pid)]).catch(() => undefined);
  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  const script = path.join(os.tmpdir(), `write_message_${process.pid}.sql`);
  writeFileSync(
    script,
    `\\set sid random(1, 100000)\nSELECT message_store.write_message(gen_random_uuid()::varchar, 'onboarding-' || :sid, 'QuestionAsked', '{"step":"approval","questionId":"q1","at":"2026-01-01T00:00:00Z"}', '{"correlationId":"c","tenantId":"t","actor":"a"}', NULL);\n`,
  );
  const pgbench = async (clients: number) => {
    const before = await messageCount(db.sql);
    await run(
      'taskset',
      [
        '-c',
        '1',
        'pgbench',
        '-n',
        '-c',
        String(clients),
        '-j',
        '2',
        '-T',
        String(seconds),
        '-f',
        script,
        db.url,
      ],
      { PGOPTIONS: '-c search_path=message_store,public' },
    );
    return ((await messageCount(db.sql)) - before) / seconds;
  };

  const handler = async (sessions: string[]) => {
    const file = path.join(os.tmpdir(), `b1_sessions_${process.pid}.json`);
    writeFileSync(file, JSON.stringify(sessions));
    const runner = path.join(__dirname, 'lib/commandRunner.ts');
    const out = await run('taskset', [
      '-c',
      '0',
      process.execPath,
      '--import',
      'tsx',
      runner,
      db.url,
      file,
      String(seconds),
      '16',
      'true',
    ]);
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { perSecond: number; p99: number };
  };

  const api = async (
    groupCommit: boolean,
    connections: number,
    sessions: string[],
    profile = false,
  ) => {
    const server = await startBenchApi(db.url, {
      APPEND_GROUP_COMMIT: String(groupCommit),
      ...(profile ? { NODE_OPTIONS: cpuProfFlags('b1-api').join(' ') } : {}),
    });
    const token = await signToken(
      benchAuth,
      { role: 'service', tenantId: 'bench', subject: 'svc' },
      '1h',
    );
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (sessions.length === 0) {
      console.log(`creating ${sessionCount} sessions through the API…`);
      for (let i = 0; i < sessionCount; i += 1) {
        const res = await fetch(
          `http://127.0.0.1:${server.port}/api/v1/onboarding/conversation/start/`,
          { method: 'POST', headers, body: JSON.stringify({ user_id: `u${i}` }) },
        );
        sessions.push(((await res.json()) as { conversation_id: string }).conversation_id);
      }
    }
    const body = JSON.stringify({
      events: [{ type: 'question_asked', step: 'approval', question_id: 'q1' }],
    });
    console.log(
      `api: group commit ${String(groupCommit)}, ${connections} connections, ${seconds} s`,
    );
    const before = await messageCount(db.sql);
    const result = await autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections,
      duration: seconds,
      headers,
      requests: [
        {
          method: 'POST',
          body,
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/onboarding/sessions/${sessions[Math.floor(Math.random() * sessions.length)] ?? ''}/events/`,
          }),
        },
      ],
    });
    const rate = ((await messageCount(db.sql)) - before) / seconds;
    await server.stop();
    return { rate, non2xx: result.non2xx, errors: result.errors, p99: result.latency.p99 };
  };

  const sessions: string[] = [];
  const pairs: { api: number; pgbench: number; handler: number }[] = [];
  await api(true, 16, sessions);
  for (let r = 0; r < rounds; r += 1) {
    const a = await api(true, 16, sessions);
    const b = await pgbench(16);
    const h = await handler(sessions);
    console.log(
      `round ${r + 1}: api ${a.rate.toFixed(0)} ev/s (p99 ${a.p99} ms, non-2xx ${a.non2xx}), pgbench write_message ${b.toFixed(0)} ev/s, command handler without HTTP ${h.perSecond.toFixed(0)} ev/s (p99 ${h.p99.toFixed(1)} ms)`,
    );
    pairs.push({ api: a.rate, pgbench: b, handler: h.perSecond });
  }
  if (process.env.BENCH_CPU_PROF === '1') {
    await api(true, 16, sessions, true);
    for (const summary of summarizeProfiles('b1-api', seconds - 1)) console.log(summary);
  }
  const group: { on: number; off: number }[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const on = await api(true, 64, sessions);
    const off = await api(false, 64, sessions);
    console.log(
      `round ${r + 1} c=64: group commit ${on.rate.toFixed(0)} ev/s, one tx per request ${off.rate.toFixed(0)} ev/s`,
    );
    group.push({ on: on.rate, off: off.rate });
  }
  await db.drop();
  report(
    'append',
    { seconds, sessionCount, pairs, group },
    {
      'B1 api/pgbench write_message (c=16)': {
        value: median(pairs.map((p) => p.api / p.pgbench)),
        goal: '>= 0.6 (stretch 0.85)',
      },
      'B1 api/command handler without HTTP (c=16)': {
        value: median(pairs.map((p) => p.api / p.handler)),
        goal: '>= 0.8',
      },
      'B1 group commit/one tx per request (c=64)': {
        value: median(group.map((g) => g.on / g.off)),
        goal: '>= 3',
      },
    },
  );
};

void main();
