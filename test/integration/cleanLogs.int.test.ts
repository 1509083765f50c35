import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../support/privateRedis';
import { exited, killAll, startProcess } from '../support/childProcess';
import { waitFor } from '../support/kafkaTopic';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

type Line = { level?: string; msg?: string; dependency?: string };
type Started = ReturnType<typeof startProcess>;

/** Every line a process wrote: JSON log lines parsed, anything else (Node warnings) kept raw. */
const linesOf = (child: Started): (Line & { raw: string })[] =>
  child
    .output()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((raw) => {
      try {
        return { ...(JSON.parse(raw) as Line), raw };
      } catch {
        return { raw };
      }
    });

/** What an operator would call noise on a normal start: warnings, errors, or non-JSON output. */
const noise = (child: Started) =>
  linesOf(child)
    .filter((l) => l.level === undefined || ['warn', 'error', 'fatal'].includes(l.level))
    .map((l) => l.raw);

/** A TCP gate in front of the broker's bootstrap address: closed, then opened. */
const bootstrapGate = async () => {
  const [host, port] = (testEnv.kafkaBrokers[0] ?? '127.0.0.1:19092').split(':');
  const listenPort = await freePort();
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  return {
    address: `127.0.0.1:${listenPort}`,
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = connect(Number(port), host);
          sockets.add(client).add(upstream);
          client.pipe(upstream).pipe(client);
          client.on('error', () => upstream.destroy());
          upstream.on('error', () => client.destroy());
        });
        server.listen(listenPort, '127.0.0.1', resolve);
      }),
    close: () => {
      sockets.forEach((s) => s.destroy());
      server?.close();
    },
  };
};

/** Clean, useful logs: nothing alarming on a normal start, one clear line per outage. */
describe('process logs', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  it('relay and projector start and restart without a warning, an error or a Node warning', async () => {
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC: uniqueName('logs.events'),
      PROJECTOR_GROUP_ID: uniqueName('logs').replace(/_/g, '-'),
      DLQ_SINK_GROUP_ID: uniqueName('sink').replace(/_/g, '-'),
      RELAY_ID: uniqueName('relay'),
      LOG_LEVEL: 'info',
    };
    for (const round of ['first start', 'restart']) {
      const relay = startProcess('services/relay/main.ts', env);
      const projector = startProcess('services/projector/main.ts', env);
      await waitFor(
        () =>
          Promise.resolve(
            relay.output().includes('relay running') &&
              projector.output().includes('workers running'),
          ),
        60_000,
        `both to run (${round})`,
      );
      // A moment of steady state: the request queue timer fires, the group settles.
      await new Promise((r) => setTimeout(r, 3_000));
      relay.kill('SIGTERM');
      projector.kill('SIGTERM');
      await Promise.all([exited(relay), exited(projector)]);
      expect({ round, relay: noise(relay), projector: noise(projector) }).toEqual({
        round,
        relay: [],
        projector: [],
      });
    }
  });

  it('warns once while Kafka is unreachable, does not crash, and says when it is back', async () => {
    const gate = await bootstrapGate();
    try {
      const relay = startProcess('services/relay/main.ts', {
        DATABASE_URL: db.url,
        KAFKA_BROKERS: gate.address,
        KAFKA_TOPIC: uniqueName('logs.gate'),
        RELAY_ID: uniqueName('relay'),
        LOG_LEVEL: 'info',
      });
      await waitFor(
        () => Promise.resolve(linesOf(relay).some((l) => l.msg === 'kafka unreachable')),
        30_000,
        'the unreachable warning',
      );
      await new Promise((r) => setTimeout(r, 4_000));
      expect(relay.exitCode).toBeNull();
      await gate.open();
      await waitFor(
        () => Promise.resolve(relay.output().includes('relay running')),
        60_000,
        `the relay to run once Kafka is reachable\n${relay.output()}`,
      );
      const lines = linesOf(relay);
      expect(lines.filter((l) => l.msg === 'kafka unreachable')).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'kafka reachable again')).toHaveLength(1);
      expect(
        lines.filter((l) => l.level === 'error' || l.level === undefined).map((l) => l.raw),
      ).toEqual([]);
      relay.kill('SIGTERM');
      await exited(relay);
    } finally {
      gate.close();
    }
  });
});
