import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../../../infra/auth/jwt';
import { benchAuth, startBenchApi } from './benchApi';

/** A server on CPU 0 answering POST <prefix>/sessions/:id/events/, and how to stop it. */
type Served = Readonly<{ port: number; prefix: string; stop: () => Promise<void> }>;

const startEmmett = async (url: string): Promise<Served> => {
  const script = path.join(__dirname, 'emmettHttpServer.ts');
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', script, url]);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`emmett server exited ${String(code)}`)));
  });
  return {
    port,
    prefix: '',
    stop: () =>
      new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
};

const startWaymarkApi = async (url: string): Promise<Served> => {
  const server = await startBenchApi(url);
  return { port: server.port, prefix: '/api/v1/onboarding', stop: server.stop };
};

/**
 * One HTTP-level sample: autocannon (this process, CPU 1) with 16 connections posting one
 * `question_asked` per request to random sessions. Waymark's full API (JWT, rate limit, zod,
 * logs, metrics) against the minimal Emmett app. Events/s counts 2xx answers only.
 */
export const httpSample = async (
  who: 'waymark' | 'emmett',
  o: Readonly<{ url: string; sessions: readonly string[]; step: string; seconds: number }>,
) => {
  const { url, sessions, step, seconds } = o;
  const served = who === 'waymark' ? await startWaymarkApi(url) : await startEmmett(url);
  const token = await signToken(benchAuth, { role: 'service', tenantId: 'bench', subject: 's' });
  const body = JSON.stringify({ events: [{ type: 'question_asked', step, question_id: 'q1' }] });
  // Each connection writes its own share of the sessions (autocannon's context is per
  // connection): no two requests race on one stream, so neither side measures its conflicts
  // (Waymark retries them after 100 ms, the Emmett app answers 409).
  let connections = 0;
  const pick = (context: { share?: string[] }) => {
    if (context.share === undefined) {
      const mine = connections % 16;
      connections += 1;
      context.share = sessions.filter((_, i) => i % 16 === mine);
    }
    return context.share[Math.floor(Math.random() * context.share.length)] ?? '';
  };
  const result = await autocannon({
    url: `http://127.0.0.1:${served.port}`,
    connections: 16,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        body,
        setupRequest: (req, context) => ({
          ...req,
          path: `${served.prefix}/sessions/${pick(context)}/events/`,
        }),
      },
    ],
  });
  await served.stop();
  return { perSecond: result['2xx'] / seconds, p99: result.latency.p99, non2xx: result.non2xx };
};
