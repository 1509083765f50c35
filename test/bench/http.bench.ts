import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../../infra/auth/jwt';
import { benchSecret } from './lib/httpBenchServer';
import { run } from './lib/processes';
import { median, report } from './lib/report';
import { cpuProfFlags, summarizeProfiles } from './lib/cpuProfile';

/**
 * B2: requests/s of the same POST route in three builds, server on CPU 0, autocannon on CPU 1,
 * 50 connections, alternating rounds: Waymark's full stack (without the limiter) ÷ bare Express,
 * and bare Express ÷ node:http. BENCH_CPU_PROF=1 adds one profiled run of the full stack and of
 * bare Express after the rounds (bench-results/profiles). Env: BENCH_SECONDS (10), BENCH_ROUNDS (3).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const serverScript = path.join(__dirname, 'lib/httpBenchServer.ts');

const measure = async (mode: string, token: string, profile = false): Promise<number> => {
  const child = spawn('taskset', [
    '-c',
    '0',
    process.execPath,
    ...(profile ? cpuProfFlags(`b2-${mode}`) : []),
    '--import',
    'tsx',
    serverScript,
    mode,
  ]);
  const port = await new Promise<number>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    }),
  );
  const body = JSON.stringify({ events: [{ type: 'step_entered', step: 'approval' }] });
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/bench`,
    method: 'POST',
    connections: 50,
    duration: seconds,
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  await new Promise<void>(
    (resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM')),
  );
  if (result.non2xx > 0) throw new Error(`${mode}: ${result.non2xx} non-2xx answers`);
  return result.requests.average;
};

const main = async () => {
  await run('taskset', ['-cp', '1', String(process.pid)]).catch(() => undefined);
  const token = await signToken(
    { secret: benchSecret, issuer: 'waymark', audience: 'waymark-api' },
    { role: 'service', tenantId: 't', subject: 's' },
    '1h',
  );
  const results: Record<'full' | 'bare' | 'node', number[]> = { full: [], bare: [], node: [] };
  for (let r = 0; r < rounds; r += 1) {
    for (const mode of ['bare', 'full', 'node'] as const)
      results[mode].push(await measure(mode, token));
    console.log(
      `round ${r + 1}: full ${results.full.at(-1)?.toFixed(0)} req/s, bare Express ${results.bare.at(-1)?.toFixed(0)}, node:http ${results.node.at(-1)?.toFixed(0)}`,
    );
  }
  if (process.env.BENCH_CPU_PROF === '1') {
    for (const mode of ['full', 'bare'] as const) {
      console.log(`profiled ${mode}: ${(await measure(mode, token, true)).toFixed(0)} req/s`);
      for (const summary of summarizeProfiles(`b2-${mode}`, seconds - 1)) console.log(summary);
    }
  }
  report('http', results, {
    'B2 full stack/bare Express': {
      value: median(results.full.map((f, i) => f / (results.bare[i] ?? NaN))),
      goal: '>= 0.85 (stretch 0.93)',
    },
    'B2 bare Express/node:http': {
      value: median(results.bare.map((b, i) => b / (results.node[i] ?? NaN))),
      goal: 'reported (< 0.15 would call for Fastify)',
    },
  });
};

void main();
