import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMessageDbEventStore } from '../../../infra/eventStore/messageDbEventStore';
import { createPgSqlClient } from '../../../infra/postgres/pgSqlClient';
import { createMemorySnapshotStore } from '../../../infra/snapshots/memorySnapshotStore';
import { createRestorer } from '../../../services/recovery/restoreSession';
import { createCommandHandler } from '../../../services/sessions/handleCommand';
import { createSessionLoader } from '../../../services/sessions/sessionLoader';
import { percentile } from './report';

/**
 * The command handler without HTTP, as the API process wires it (same pool size, group commit,
 * state cache), driven by `concurrency` workers on random sessions for `seconds`: the baseline
 * for the API's events/s. argv: database url, sessions file (JSON ids), seconds, concurrency,
 * group commit (true/false). Prints one JSON line {perSecond, p99}.
 */
const [url = '', sessionsFile = '', secondsArg = '10', concurrencyArg = '16', gc = 'true'] =
  process.argv.slice(2);
const sessions = JSON.parse(readFileSync(sessionsFile, 'utf8')) as string[];
const seconds = Number(secondsArg);

const main = async () => {
  const sql = createPgSqlClient({
    connectionString: url,
    maxConnections: 20,
    applicationName: 'b1',
  });
  const eventStore = createMessageDbEventStore({
    sql,
    groupCommit: gc === 'true' ? { maxEvents: 200 } : false,
  });
  const tiers = [{ name: 'memory', store: createMemorySnapshotStore(3600) }];
  const loader = createSessionLoader({
    eventStore,
    restore: createRestorer({ eventStore, tiers }),
    takeSnapshot: null,
    cacheSize: 10_000,
    snapshotEvery: 0,
  });
  const handle = createCommandHandler({
    eventStore,
    newId: randomUUID,
    load: loader.load,
    loadForCommand: loader.loadForCommand,
    onCommitted: loader.committed,
  });
  const intent = { type: 'AskQuestion', data: { step: 'approval', questionId: 'q1' } } as const;
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let events = 0;
  await Promise.all(
    Array.from({ length: Number(concurrencyArg) }, async () => {
      while (performance.now() < deadline) {
        const id = sessions[Math.floor(Math.random() * sessions.length)] ?? '';
        const ctx = { now: new Date(), correlationId: randomUUID(), tenantId: 'bench', actor: 'b' };
        const t0 = performance.now();
        // Awaited first: `events += await …` would read `events` before the await and lose
        // the other workers' counts.
        const decided = (await handle(id, [intent], ctx)).events.length;
        events += decided;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  process.stdout.write(
    `${JSON.stringify({ perSecond: events / seconds, p99: percentile(latencies, 99) })}\n`,
  );
  await sql.close();
};

void main();
