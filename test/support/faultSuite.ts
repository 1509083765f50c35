import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import '../../infra/kafka/requestQueueTimerFix';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { listLeases } from '../../infra/postgres/leaderLease';
import { migrate } from '../../infra/postgres/migrate';
import { createPgSqlClient } from '../../infra/postgres/pgSqlClient';
import { readPartitionOffsets } from '../../infra/postgres/positions';
import { readModelMigrationDirs } from '../../projections/migrations';
import {
  createNetns,
  freePort,
  startPrivateKafka,
  startPrivatePostgres,
  startPrivateRedisOn,
  startWaymark,
  waitForHttp,
  type WaymarkProcess,
} from './faultCluster';
import { runLoad, type Answer } from './faultLoad';
import { summaryMismatches } from './readModelCheck';

/**
 * R1, the end-to-end fault suite: 2 API, 2 relay, 3 projector and 2 detector processes on a
 * private PostgreSQL, Redis and Kafka, under a bounded load, while it kill -9s the relay leader
 * and a projector, SIGSTOPs the broker for 10 s, restarts PostgreSQL (fast) and Redis, and cuts
 * one API off in its network namespace. Returns the figures; the caller asserts on them.
 */
export type FaultFigures = Readonly<{
  sessions: number;
  storedEvents: number;
  acknowledged: number;
  acknowledgedMissing: number;
  kafkaRecords: number;
  eventsMissingInKafka: number;
  kafkaDuplicates: number;
  duplicateShare: number;
  readModelMismatchCount: number;
  /** The first 20 sessions whose summary row differs from the fold of their stream. */
  readModelMismatches: string[];
  projectorLag: number;
  fiveXxOutsideFaults: number;
  fiveXxInsideFaults: number;
  /** 5xx outside the fault windows by API, status and code: seconds after the load began. */
  fiveXxOutsideByCause: Record<string, { count: number; firstS: number; lastS: number }>;
  /** The fault windows (with their grace), seconds after the load began. */
  faultWindows: number[][];
  /** Requests that got no answer (timeout, refused) inside a fault window: the faults were felt. */
  unansweredInsideFaults: number;
  /** 2xx answers inside fault windows: the load really ran through the faults. */
  okInsideFaults: number;
  answers: number;
  /** The API processes' error log lines (what a 500 was). */
  apiErrors: string[];
  faults: string[];
}>;

const topic = 'onboarding.events.v1';
const t0 = Date.now();
/** Phase lines on stderr, so a stalled run says where it stalled. */
const phase = (what: string) =>
  process.stderr.write(`faults +${((Date.now() - t0) / 1000).toFixed(1)}s ${what}\n`);
/** Each phase has its own deadline: a hang names the phase instead of the test timing out. */
const within = async <T>(what: string, ms: number, work: Promise<T>): Promise<T> => {
  phase(what);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
};
const group = 'projector';

export const runFaultSuite = async (size: {
  sessions: number;
  eventsPerSession: number;
  workers: number;
  pauseMs: number;
  /** Stop starting sessions once the faults are over (the small run), or run to the bound. */
  stopAfterFaults: boolean;
  /** The relays' batch: what a killed leader may have sent without checkpointing it. */
  relayBatch: number;
}): Promise<FaultFigures> => {
  const net = createNetns();
  const cleanups: (() => unknown)[] = [() => net.remove()];
  const procs: WaymarkProcess[] = [];
  try {
    phase('private PostgreSQL, Redis, Kafka');
    const pg = await startPrivatePostgres(['127.0.0.1', net.hostIp]);
    cleanups.unshift(() => pg.stop());
    const redis = await startPrivateRedisOn(net.hostIp);
    cleanups.unshift(() => redis.stop());
    const kafka = await startPrivateKafka(net.hostIp);
    cleanups.unshift(() => kafka.stop());
    const sql = createPgSqlClient({
      connectionString: pg.url('127.0.0.1'),
      maxConnections: 4,
      applicationName: 'faults',
    });
    cleanups.unshift(() => sql.close());
    await within('migrate', 60_000, migrate(sql, readModelMigrationDirs));
    const setup = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
    await within(
      'create topic',
      60_000,
      (async () => {
        await setup.connect();
        await setup.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
        await setup.disconnect();
      })(),
    );

    const auth = {
      secret: randomBytes(32).toString('base64'),
      issuer: 'waymark',
      audience: 'waymark-api',
    };
    const common = {
      DATABASE_URL: pg.url(net.hostIp),
      REDIS_URL: redis.url,
      KAFKA_BROKERS: kafka.brokers,
      JWT_SECRET: auth.secret,
      PRIVACY_KEK: randomBytes(32).toString('base64'),
      RATE_LIMITER_STANDARD_LIMIT: '1000000',
      RATE_LIMITER_CRITICAL_LIMIT: '1000000',
      RATE_LIMITER_CIRCUIT_BREAKER_RESET_MS: '5000',
      SESSION_ABANDONMENT_THRESHOLD_SECONDS: '86400',
      SESSION_ABANDONMENT_SCAN_INTERVAL_MS: '2000',
      DATABASE_POOL_SIZE: '8',
      RELAY_BATCH_SIZE: String(size.relayBatch),
      // The suite counts delivery, not the limiter's fail-fast (R2 measures that): with nine
      // processes and the load on two cores, the default 50 ms Redis timeout opens the breaker
      // and fail-closed session starts answer 503 outside any fault.
      REDIS_COMMAND_TIMEOUT_MS: '1000',
    };
    const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'wm-faults-'));
    const apiPorts = [await freePort(), await freePort()];
    const start = (name: string, entry: string, env: Record<string, string> = {}, ns?: string) => {
      const p = startWaymark(
        name,
        entry,
        { ...common, WAYMARK_DATA_DIR: dataDir(), WAYMARK_INSTANCE_ID: name, ...env },
        ns,
      );
      procs.push(p);
      return p;
    };
    const relays = ['relay-1', 'relay-2'].map((n) => start(n, 'services/relay/main.ts'));
    const projectors = ['projector-1', 'projector-2', 'projector-3'].map((n) =>
      start(n, 'services/projector/main.ts'),
    );
    ['detector-1', 'detector-2'].forEach((n) => start(n, 'services/detector/main.ts'));
    start('api-1', 'services/api/main.ts', { PORT: String(apiPorts[0]), HOST: '127.0.0.1' });
    start('api-2', 'services/api/main.ts', { PORT: String(apiPorts[1]), HOST: '0.0.0.0' }, net.ns);
    const apis = [
      `http://127.0.0.1:${apiPorts[0]}/api/v1/onboarding`,
      `http://${net.nsIp}:${apiPorts[1]}/api/v1/onboarding`,
    ];
    phase('processes started');
    for (const a of apis) await waitForHttp(`${a}/health/`, 120_000);
    phase('APIs answer');

    const loadStart = Date.now();
    const load = runLoad({ apis, auth, ...size });
    const windows: [number, number][] = [];
    const faults: string[] = [];
    const fault = async (name: string, act: () => Promise<void>, graceMs = 10_000) => {
      const from = Date.now();
      await within(name, 60_000, act());
      windows.push([from, Date.now() + graceMs]);
      faults.push(`${name} (${Date.now() - from} ms)`);
      await sleep(2_000);
    };
    const leaderOf = async (lease: string) =>
      (await listLeases(sql)).find((l) => l.name === lease && l.valid)?.holder;
    await sleep(3_000);
    await fault('kill -9 relay leader', async () => {
      const leader = await leaderOf('relay:relay-1:onboarding');
      const victim = relays.find((r) => r.name === leader);
      if (victim === undefined) throw new Error(`no relay leader (${String(leader)})`);
      victim.kill('SIGKILL');
      await sleep(500);
    });
    await fault('kill -9 projector', async () => {
      projectors[0]?.kill('SIGKILL');
      await sleep(500);
    });
    await fault('SIGSTOP broker 10 s', async () => {
      kafka.pause();
      await sleep(10_000);
      kafka.resume();
    });
    await fault('PostgreSQL restart (fast)', () => Promise.resolve(void pg.restartFast()));
    await fault('Redis restart', () => redis.restart(1_000));
    await fault('API 2 cut off 5 s (netns link down)', async () => {
      net.down();
      await sleep(5_000);
      net.up();
    });
    if (size.stopAfterFaults) load.stop();
    await within('load finishes', 1_800_000, load.done);

    // Drain: the relay catches up with the store, the projectors with the topic.
    const store = createMessageDbEventStore({ sql, groupCommit: false });
    const stored = await store.readCategory('onboarding', 1, 10_000_000);
    const admin = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const highs = async () =>
      new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const lag = async () => {
      const offsets = await readPartitionOffsets(sql, group, topic);
      let behind = 0;
      for (const [p, high] of await highs()) behind += high - (offsets.get(p) ?? 0);
      return behind;
    };
    const total = async () => [...(await highs()).values()].reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline && ((await total()) < stored.length || (await lag()) > 0))
      await sleep(500);
    const projectorLag = await lag();
    phase(`drained: stored ${stored.length}, lag ${projectorLag}`);
    const count = await total();
    await within('admin disconnect', 30_000, admin.disconnect());

    const records = await within('read the topic', 150_000, readAll(kafka.brokers, count));
    const codec = createAvroCodec();
    const ids = records.map((v) => codec.decode(v).eventId);
    const distinct = new Set(ids);
    const byStream = new Map<string, number>();
    stored.forEach((e) =>
      byStream.set(e.streamName, Math.max(byStream.get(e.streamName) ?? -1, e.streamPosition)),
    );
    const inFault = (t: number) => windows.some(([a, b]) => t >= a && t <= b);
    const fiveXx = load.answers.filter((a) => a.status >= 500);
    const mismatches = await within(
      'compare read model',
      600_000,
      summaryMismatches(sql, store, load.sessionIds),
    );
    return {
      sessions: load.sessionIds.length,
      storedEvents: stored.length,
      acknowledged: load.acks.length,
      acknowledgedMissing: load.acks.filter(
        (a) => (byStream.get(`onboarding-${a.sessionId}`) ?? -1) < a.version,
      ).length,
      kafkaRecords: ids.length,
      eventsMissingInKafka: stored.filter((e) => !distinct.has(e.eventId)).length,
      kafkaDuplicates: ids.length - distinct.size,
      duplicateShare: ids.length === 0 ? 0 : (ids.length - distinct.size) / ids.length,
      readModelMismatchCount: mismatches.length,
      readModelMismatches: mismatches.slice(0, 20),
      projectorLag,
      fiveXxOutsideFaults: fiveXx.filter((a) => !inFault(a.at)).length,
      fiveXxInsideFaults: fiveXx.filter((a) => inFault(a.at)).length,
      fiveXxOutsideByCause: causes(
        fiveXx.filter((a) => !inFault(a.at)),
        loadStart,
      ),
      faultWindows: windows.map(([a, b]) => [(a - loadStart) / 1000, (b - loadStart) / 1000]),
      unansweredInsideFaults: load.answers.filter((a) => a.status === 0 && inFault(a.at)).length,
      okInsideFaults: load.answers.filter((a) => a.status < 300 && a.status > 0 && inFault(a.at))
        .length,
      answers: load.answers.length,
      apiErrors: procs.filter((p) => p.name.startsWith('api')).flatMap((p) => p.errors()),
      faults,
    };
  } catch (error) {
    const tails = procs.map((p) => `--- ${p.name}\n${p.output().slice(-3_000)}`).join('\n');
    throw new Error(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n${tails}`,
    );
  } finally {
    procs.forEach((p) => p.kill('SIGKILL'));
    for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
  }
};

const causes = (answers: readonly Answer[], since: number) => {
  const out: Record<string, { count: number; firstS: number; lastS: number }> = {};
  for (const a of answers) {
    const s = (a.at - since) / 1000;
    const c = (out[`api-${a.api + 1} ${a.status} ${a.code ?? ''}`] ??= {
      count: 0,
      firstS: s,
      lastS: s,
    });
    c.count += 1;
    c.lastS = s;
  }
  return out;
};

/** Every record of the events topic (values), read by a fresh consumer group. */
const readAll = async (brokers: string, count: number): Promise<Buffer[]> => {
  const consumer = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).consumer({
    groupId: `faults-reader-${Date.now()}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${count}`)), 120_000);
    void consumer.run({
      eachMessage: ({ message }) => {
        if (message.value) values.push(message.value);
        if (values.length >= count) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return values;
};
