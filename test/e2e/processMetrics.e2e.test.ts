import { createServer } from 'node:net';
import path from 'node:path';
import { signToken } from '../../infra/auth/jwt';
import { killAll, startProcess } from '../support/childProcess';
import { waitFor } from '../support/kafkaTopic';
import { promtool } from '../support/promtool';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const auth = {
  secret: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
  issuer: 'waymark',
  audience: 'waymark-api',
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const scrape = async (url: string) => {
  const res = await fetch(url).catch(() => null);
  return res?.status === 200 ? res.text() : '';
};

const listeningPort = (output: string) => Number(/"port":(\d+)/.exec(output)?.[1] ?? 0);

/** Sends a few events through an API, so the counters have samples to lint. */
const drive = async (base: string) => {
  const token = await signToken(auth, { role: 'user', tenantId: 'tenant-m', subject: 'm-1' });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const start = await fetch(`${base}/conversation/start/`, { method: 'POST', headers, body: '{}' });
  expect(start.status).toBe(201);
  const id = ((await start.json()) as { conversation_id: string }).conversation_id;
  const events = [{ type: 'step_entered', step: 'information_collection' }];
  const res = await fetch(`${base}/sessions/${id}/events/`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(201);
};

/** `promtool check metrics` on the /metrics of every process Waymark runs. */
describe('every process exposes metrics promtool accepts', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  const lint = async (name: string, body: string) => {
    const { code, output } = await promtool(['check', 'metrics'], body);
    expect({ name, output, code }).toEqual({ name, output: '', code: 0 });
  };

  it('service mode: API, relay, projector and detector', async () => {
    const [relayPort, projectorPort, detectorPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC: uniqueName('metrics.events'),
      PROJECTOR_GROUP_ID: uniqueName('metrics-projector').replace(/_/g, '-'),
      DLQ_SINK_GROUP_ID: uniqueName('metrics-sink').replace(/_/g, '-'),
      JWT_SECRET: auth.secret,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WAYMARK_DATA_DIR: path.join('/tmp', uniqueName('metrics')),
    };
    const api = startProcess('services/api/main.ts', env);
    const relay = startProcess('services/relay/main.ts', { ...env, METRICS_PORT: `${relayPort}` });
    // The relay creates the events topic; the workers subscribe to it.
    await waitFor(
      () => Promise.resolve(relay.output().includes('relay running')),
      30_000,
      `the relay\n${relay.output()}`,
    );
    const projector = startProcess('services/projector/main.ts', {
      ...env,
      METRICS_PORT: `${projectorPort}`,
    });
    // A tick every second: the detector scores again the risk row the projector wrote.
    const detector = startProcess('services/detector/main.ts', {
      ...env,
      METRICS_PORT: `${detectorPort}`,
      RISK_RESCORE_INTERVAL_MS: '1000',
    });
    await waitFor(
      () => Promise.resolve(listeningPort(api.output()) > 0),
      30_000,
      `the API\n${api.output()}`,
    );
    const apiUrl = `http://127.0.0.1:${listeningPort(api.output())}`;
    await drive(`${apiUrl}/api/v1/onboarding`);
    const url = (port: number) => `http://127.0.0.1:${port}/metrics`;
    await waitFor(
      async () =>
        /projection_events_applied_total\{[^}]*\} [1-9]/.test(await scrape(url(projectorPort))),
      90_000,
      `the projector to apply\n${projector.output()}\n${relay.output()}`,
    );
    await waitFor(
      async () => (await scrape(url(detectorPort))).includes('worker="detector"'),
      30_000,
      `the detector's first pass\n${detector.output()}`,
    );
    await waitFor(
      async () => /session_risk_scored_total\{[^}]*\} [1-9]/.test(await scrape(url(detectorPort))),
      30_000,
      `the detector's risk tick\n${detector.output()}`,
    );
    const bodies = {
      api: await scrape(`${apiUrl}/metrics`),
      relay: await scrape(url(relayPort)),
      projector: await scrape(url(projectorPort)),
      detector: await scrape(url(detectorPort)),
    };
    expect(bodies.api).toMatch(/events_appended_total\{type="SessionStarted"\} 1/);
    expect(bodies.api).toMatch(/read_model_lag_events\{projection="[^"]+"\} \d/);
    expect(bodies.relay).toMatch(
      /relay_oldest_unpublished_event_age_seconds\{category="onboarding"\}/,
    );
    expect(bodies.relay).toContain('worker="relay"');
    expect(bodies.projector).toContain(`worker="${env.PROJECTOR_GROUP_ID}"`);
    expect(bodies.projector).toContain('dlq_queue_depth{status="pending"} 0');
    for (const [name, body] of Object.entries(bodies)) await lint(name, body);
  });

  it('embedded mode: one process, its feed, detector and dead-letter gauge', async () => {
    const embedded = startProcess('services/embedded/main.ts', {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_SECRET: auth.secret,
      WAYMARK_DATA_DIR: path.join('/tmp', uniqueName('metrics-embedded')),
      RISK_RESCORE_INTERVAL_MS: '1000',
    });
    await waitFor(
      () => Promise.resolve(listeningPort(embedded.output()) > 0),
      60_000,
      `the embedded process\n${embedded.output()}`,
    );
    const apiUrl = `http://127.0.0.1:${listeningPort(embedded.output())}`;
    await drive(`${apiUrl}/api/v1/onboarding`);
    let body = '';
    await waitFor(
      async () => {
        body = await scrape(`${apiUrl}/metrics`);
        // The risk tick too: it scores again the row the feed wrote a second before.
        return (
          body.includes('worker="detector"') &&
          body.includes('worker="projector"') &&
          /session_risk_scored_total\{[^}]*\} [1-9]/.test(body)
        );
      },
      30_000,
      `the embedded feed, detector and risk tick\n${embedded.output()}`,
    );
    expect(body).toContain('dlq_queue_depth{status="pending"} 0');
    expect(body).toMatch(/events_appended_total\{type="StepEntered"\} 1/);
    await lint('embedded', body);
  });
});
