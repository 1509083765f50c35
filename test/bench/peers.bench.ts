import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createBenchDatabase } from './lib/benchDatabase';
import { httpSample } from './lib/peerHttp';
import { emmettSubject, sessionEvents, waymarkSubject, type PeerSubject } from './lib/peerSubjects';
import { run } from './lib/processes';
import { median, percentile, report } from './lib/report';

/**
 * Waymark side by side with Emmett 0.42 (@event-driven-io/emmett-postgresql), same PostgreSQL,
 * same process, 16 workers, the same events, alternating rounds: store level (append one event to
 * a random stream) and command level (read, fold, decide with Waymark's own pure decider, append)
 * on streams of ~10 and ~BENCH_LONG_EVENTS events; and HTTP level (Waymark's API against a minimal
 * Express 5 app around Emmett's CommandHandler, lib/emmettHttpServer.ts) on the short streams.
 * Env: BENCH_SECONDS (5), BENCH_ROUNDS (3), BENCH_LONG_EVENTS (2000), BENCH_WORKERS (16).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const longEvents = Number(process.env.BENCH_LONG_EVENTS ?? 2000);
const workers = Number(process.env.BENCH_WORKERS ?? 16);
const shortStreams = 200;

type Sample = { perSecond: number; p99: number };

/**
 * `workers` loops on random streams for `seconds`; the first second warms up, unmeasured. Each
 * worker picks from its own share of the streams: no two write one stream at once, so neither
 * store spends the run on version conflicts (Emmett rejects concurrent appends to one stream).
 */
const drive = async (streams: readonly string[], op: (id: string) => Promise<void>) => {
  const share = (w: number) => streams.filter((_, i) => i % workers === w);
  const pick = (mine: readonly string[]) => mine[Math.floor(Math.random() * mine.length)] ?? '';
  const loop = async (until: number, latencies: number[] | null) => {
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const mine = share(w);
        while (performance.now() < until) {
          const t0 = performance.now();
          await op(pick(mine));
          latencies?.push(performance.now() - t0);
        }
      }),
    );
  };
  await loop(performance.now() + 1000, null);
  const latencies: number[] = [];
  const started = performance.now();
  await loop(started + seconds * 1000, latencies);
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, p99: percentile(latencies, 99) };
};

const main = async () => {
  await run('taskset', ['-cp', '1', String(process.pid)]).catch(() => undefined);
  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  const now = new Date();
  const subjects: PeerSubject[] = [waymarkSubject(db.url), emmettSubject(db.url)];
  const streams = new Map<string, { short: string[]; long: string[] }>();
  for (const s of subjects) {
    console.log(`${s.name}: seeding ${shortStreams} short and ${workers} long streams…`);
    const seeded = async (length: number) => {
      const id = randomUUID();
      const { started, asked } = sessionEvents(id, now);
      await s.seed(id, [...started, ...Array.from({ length: length - 1 }, () => asked)]);
      return id;
    };
    const short = await Promise.all(Array.from({ length: shortStreams }, () => seeded(10)));
    const long = await Promise.all(Array.from({ length: workers }, () => seeded(longEvents)));
    streams.set(s.name, { short, long });
  }
  await db.sql.query('VACUUM ANALYZE');
  const levels = ['store', 'command ~10', `command ~${longEvents}`, 'http'] as const;
  const { asked, ask, step } = sessionEvents('x', now);
  const sampleOf = (
    level: (typeof levels)[number],
    s: PeerSubject,
    set: Readonly<{ short: string[]; long: string[] }>,
  ): Promise<Sample> => {
    if (level === 'http') {
      const who = s.name === 'waymark' ? 'waymark' : 'emmett';
      return httpSample(who, { url: db.url, sessions: set.short, step, seconds });
    }
    if (level === 'store') return drive(set.short, (id) => s.append(id, asked));
    return drive(level === 'command ~10' ? set.short : set.long, (id) => s.command(id, ask));
  };
  const results: Record<string, Sample[]> = {};
  for (let r = 0; r < rounds; r += 1) {
    for (const level of levels) {
      // Alternate who goes first each round.
      for (const s of r % 2 === 0 ? subjects : [...subjects].reverse()) {
        const set = streams.get(s.name) ?? { short: [], long: [] };
        const sample = await sampleOf(level, s, set);
        (results[`${s.name} ${level}`] ??= []).push(sample);
        console.log(
          `round ${r + 1} ${level} ${s.name}: ${sample.perSecond.toFixed(0)} ev/s, p99 ${sample.p99.toFixed(1)} ms`,
        );
      }
    }
  }
  for (const s of subjects) await s.close().catch(() => undefined);
  await db.drop();
  const ratio = (level: string) =>
    median(
      (results[`waymark ${level}`] ?? []).map(
        (w, i) => w.perSecond / (results[`emmett ${level}`]?.[i]?.perSecond ?? NaN),
      ),
    );
  report(
    'peers',
    { seconds, rounds, longEvents, workers, shortStreams, results },
    {
      'waymark/emmett store appends (ev/s)': { value: ratio('store'), goal: '>= 2' },
      'waymark/emmett commands ~10 events (ev/s)': { value: ratio('command ~10'), goal: '>= 2' },
      'waymark/emmett HTTP, Waymark doing more per request (ev/s)': {
        value: ratio('http'),
        goal: '>= 1.0',
      },
      'waymark/emmett HTTP p99 (ms)': {
        value: median(
          (results['waymark http'] ?? []).map(
            (w, i) => w.p99 / (results['emmett http']?.[i]?.p99 ?? NaN),
          ),
        ),
        goal: '<= 1.0',
      },
      [`waymark/emmett commands ~${longEvents} events (ev/s)`]: {
        value: ratio(`command ~${longEvents}`),
        goal: '>= 5',
      },
    },
  );
};

void main();
