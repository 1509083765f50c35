import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { signToken } from '../../infra/auth/jwt';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { createApiClient } from '../../services/client/apiClient';
import { eventHeaders } from '../../infra/kafka/eventPublisher';
import { killAll, startProcess } from '../support/childProcess';
import { readTopic, topicSize, waitFor } from '../support/kafkaTopic';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const auth = {
  secret: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
  issuer: 'waymark',
  audience: 'waymark-api',
};
const brokerScript = path.resolve(__dirname, '../../infra/kafka/broker.sh');

/** The whole write path as users run it: HTTP → event store → relay → Kafka. */
describe('pipeline: HTTP → Message DB → relay → Kafka', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  it('delivers every accepted event to Kafka, read back by kafkajs and by Kafka’s console consumer', async () => {
    const topic = uniqueName('e2e.events');
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC: topic,
      JWT_SECRET: auth.secret,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WAYMARK_DATA_DIR: path.join('/tmp', uniqueName('e2e')),
    };
    const api = startProcess('services/api/main.ts', env);
    const relay = startProcess('services/relay/main.ts', env);
    let port = 0;
    await waitFor(
      () => {
        port = Number(/"port":(\d+)/.exec(api.output())?.[1] ?? 0);
        return Promise.resolve(port > 0);
      },
      30_000,
      `the API to listen\n${api.output()}`,
    );
    const base = `http://127.0.0.1:${port}`;

    const sessions: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 5; i += 1) {
      const token = await signToken(auth, {
        role: 'user',
        tenantId: 'tenant-e2e',
        subject: `user-${i}`,
      });
      // The typed client integrators get (services/client/): paths, bodies and answers typed
      // from the OpenAPI document.
      const client = createApiClient({ baseUrl: base, token, correlationId: () => `e2e-${i}` });
      const start = await client.POST('/conversation/start/', { body: { channel: 'mobile' } });
      expect(start.response.status).toBe(201);
      const id = start.data?.conversation_id ?? '';
      sessions.push(id);
      const events = [
        { type: 'step_entered' as const, step: 'information_collection' },
        {
          type: 'question_answered' as const,
          step: 'information_collection',
          question_id: 'q1',
          answer: 'some text',
        },
        { type: 'step_completed' as const, step: 'information_collection' },
      ];
      const res = await client.POST('/sessions/{id}/events/', {
        params: { path: { id } },
        body: { events },
      });
      expect(res.response.status).toBe(201);
      expect(res.data?.version).toBe(events.length);
      accepted += 1 + events.length;
    }

    await waitFor(
      async () => (await topicSize(topic).catch(() => 0)) >= accepted,
      60_000,
      `the relay to publish\n${relay.output()}`,
    );
    const codec = createAvroCodec();
    const messages = await readTopic(topic);
    expect(messages).toHaveLength(accepted);
    const decoded = messages.map((m) => ({ m, e: codec.decode(m.value) }));
    expect(new Set(decoded.map(({ m }) => m.key))).toEqual(new Set(sessions));
    expect(
      decoded.every(
        ({ m, e }) =>
          m.headers[eventHeaders.correlationId] === e.metadata.correlationId &&
          /^e2e-\d$/.test(e.metadata.correlationId),
      ),
    ).toBe(true);
    expect(
      decoded
        .filter(({ e }) => e.type === 'SessionStarted')
        .map(({ e }) => (e.data as { channel: string }).channel),
    ).toEqual(Array(5).fill('mobile'));

    const { stdout } = await promisify(execFile)(
      'bash',
      [
        brokerScript,
        'tool',
        'org.apache.kafka.tools.consumer.ConsoleConsumer',
        '--bootstrap-server',
        testEnv.kafkaBrokers.join(','),
        '--topic',
        topic,
        '--from-beginning',
        '--max-messages',
        String(accepted),
        '--timeout-ms',
        '30000',
        '--property',
        'print.key=true',
        '--property',
        'print.value=false',
        '--property',
        'print.headers=true',
      ],
      { timeout: 90_000 },
    );
    const lines = stdout.split('\n').filter((l) => l.includes('event-type:'));
    expect(lines).toHaveLength(accepted);
    expect(new Set(lines.map((l) => l.split('\t').at(-1)))).toEqual(new Set(sessions));
    expect(lines.filter((l) => l.includes('event-type:SessionStarted'))).toHaveLength(5);
  });
});
