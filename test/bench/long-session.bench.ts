import { randomUUID } from 'node:crypto';
import { signToken } from '../../infra/auth/jwt';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { benchAuth, startBenchApi } from './lib/benchApi';
import { createBenchDatabase } from './lib/benchDatabase';
import { run } from './lib/processes';
import { median, report } from './lib/report';
import { growStream, measureAppends, startSession, type Target } from './lib/sessionLoad';

/**
 * Long sessions: append latency through POST sessions/{id}/events/ with 16 workers (one session
 * each, one event per request) on sessions at event ~10 against sessions at event ~5,000, in the
 * same API process, alternating. Four API configurations per round (order rotated): the command
 * path as shipped (state cache + tail, snapshots), the same without group commit, and the full
 * fold (no cache, no snapshots: the path before issue 17) with and without group commit. The
 * full-fold configurations use their own long sessions, which never get a snapshot.
 * Env: BENCH_ROUNDS (3), BENCH_LONG_EVENTS (5000), BENCH_WORKERS (16), BENCH_REQUESTS (40).
 */
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const longEvents = Number(process.env.BENCH_LONG_EVENTS ?? 5000);
const workers = Number(process.env.BENCH_WORKERS ?? 16);
const requests = Number(process.env.BENCH_REQUESTS ?? 40);
const shortEvents = 10;
const warmup = 5;

type Config = Readonly<{ name: string; cached: boolean; groupCommit: boolean }>;
const configs: Config[] = [
  { name: 'cached', cached: true, groupCommit: true },
  { name: 'cached, no group commit', cached: true, groupCommit: false },
  { name: 'full fold', cached: false, groupCommit: true },
  { name: 'full fold, no group commit', cached: false, groupCommit: false },
];
type Phase = Awaited<ReturnType<typeof measureAppends>>;
type Row = { config: string; round: number; short: Phase; long: Phase };

const main = async () => {
  await run('taskset', ['-cp', '1', String(process.pid)]).catch(() => undefined);
  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
  const token = await signToken(
    benchAuth,
    { role: 'service', tenantId: 'bench', subject: 's' },
    '1h',
  );
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let users = 0;
  const sessionsAt = async (t: Target, length: number) => {
    const ids = await Promise.all(
      Array.from({ length: workers }, () => startSession(t, `u${(users += 1)}`)),
    );
    await Promise.all(ids.map((id) => growStream(store, id, length)));
    return ids;
  };
  const api = (c: Config) =>
    startBenchApi(db.url, {
      APPEND_GROUP_COMMIT: String(c.groupCommit),
      SESSION_STATE_CACHE_SIZE: c.cached ? '10000' : '0',
      SESSION_SNAPSHOT_EVERY: c.cached ? '100' : '0',
    });

  console.log(`seeding ${2 * workers} sessions of ${longEvents} events…`);
  const seeder = await api(configs[0] as Config);
  const long = {
    cached: await sessionsAt({ port: seeder.port, headers }, longEvents),
    fullFold: await sessionsAt({ port: seeder.port, headers }, longEvents),
  };
  await seeder.stop();
  // Autovacuum would otherwise analyse the freshly seeded table in the middle of a phase.
  await db.sql.query('VACUUM ANALYZE message_store.messages');

  const rows: Row[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const order = configs.map((_, i) => configs[(i + r) % configs.length] as Config);
    for (const c of order) {
      const server = await api(c);
      const t = { port: server.port, headers };
      const measure = async (ids: readonly string[] | null) =>
        measureAppends(t, ids ?? (await sessionsAt(t, shortEvents)), requests, warmup);
      const longIds = c.cached ? long.cached : long.fullFold;
      // Short first in odd rounds, long first in even ones: neither gets the warmer process.
      const [short, longer]: [Phase, Phase] =
        r % 2 === 0
          ? [await measure(null), await measure(longIds)]
          : await measure(longIds).then(async (l) => [await measure(null), l]);
      await server.stop();
      const f = (p: Phase) =>
        `p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms, ${p.perSecond.toFixed(0)} ev/s`;
      console.log(
        `round ${r + 1} ${c.name}: at ~${shortEvents}: ${f(short)}; at ~${longEvents}: ${f(longer)}`,
      );
      rows.push({ config: c.name, round: r + 1, short, long: longer });
    }
  }
  await db.drop();
  const of = (name: string) => rows.filter((row) => row.config === name);
  const ratio = (name: string, pick: (row: Row) => number) => median(of(name).map(pick));
  report(
    'long-session',
    { rounds, longEvents, workers, requests, warmup, rows },
    {
      [`full fold: p50 at ~${longEvents} / at ~${shortEvents}`]: {
        value: ratio('full fold', (x) => x.long.p50 / x.short.p50),
        goal: 'reported (the path before)',
      },
      [`full fold at ~${longEvents}: group commit / none (ev/s)`]: {
        value: median(
          of('full fold').map(
            (x, i) =>
              x.long.perSecond / (of('full fold, no group commit')[i]?.long.perSecond ?? NaN),
          ),
        ),
        goal: 'reported',
      },
      [`cached at ~${longEvents}: group commit / none (ev/s)`]: {
        value: median(
          of('cached').map(
            (x, i) => x.long.perSecond / (of('cached, no group commit')[i]?.long.perSecond ?? NaN),
          ),
        ),
        goal: 'reported (>= 1: group commit no slower)',
      },
      [`cached: ev/s at ~${longEvents} / at ~${shortEvents}`]: {
        value: ratio('cached', (x) => x.long.perSecond / x.short.perSecond),
        goal: 'reported',
      },
      [`cached: p50 at ~${longEvents} / at ~${shortEvents}`]: {
        value: ratio('cached', (x) => x.long.p50 / x.short.p50),
        goal: '<= 1.2',
      },
      [`cached: p99 at ~${longEvents} / at ~${shortEvents}`]: {
        value: ratio('cached', (x) => x.long.p99 / x.short.p99),
        goal: '<= 1.2',
      },
    },
  );
};

void main();
