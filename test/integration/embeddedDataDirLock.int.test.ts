import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signToken } from '../../infra/auth/jwt';
import { lockFileName } from '../../infra/lifecycle/dataDirLock';
import { exited, killAll, startProcess } from '../support/childProcess';
import { waitFor } from '../support/kafkaTopic';

const auth = {
  secret: 'lock-test-secret-lock-test-secret-lock',
  issuer: 'waymark',
  audience: 'waymark-api',
};

type Started = ReturnType<typeof startProcess>;

const listeningPort = async (child: Started): Promise<number> => {
  let port = 0;
  await waitFor(
    () => {
      port = Number(/"port":(\d+)/.exec(child.output())?.[1] ?? 0);
      if (child.exitCode !== null) throw new Error(`exited early:\n${child.output()}`);
      return Promise.resolve(port > 0);
    },
    60_000,
    `the embedded process to listen\n${child.output()}`,
  );
  return port;
};

const headersFor = async (subject: string) => ({
  Authorization: `Bearer ${await signToken(auth, { role: 'user', tenantId: 'tenant-lock', subject })}`,
  'Content-Type': 'application/json',
});

/** Starts a session for `subject` and returns its id; only a 201 counts as acknowledged. */
const startSession = async (base: string, subject: string): Promise<string> => {
  const response = await fetch(`${base}/conversation/start/`, {
    method: 'POST',
    headers: await headersFor(subject),
    body: JSON.stringify({ channel: 'web' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { conversation_id: string }).conversation_id;
};

/** `npm start` owns its data directory: a second process on it refuses, and nothing is lost. */
describe('embedded data directory lock', () => {
  let dataDir: string;
  beforeAll(async () => (dataDir = await mkdtemp(path.join(tmpdir(), 'waymark-lock-'))));
  afterAll(async () => {
    killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    WAYMARK_DATA_DIR: dataDir,
    JWT_SECRET: auth.secret,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  });

  it('refuses a second process, keeps what the first acknowledged, and replaces a stale lock', async () => {
    const first = startProcess('services/embedded/main.ts', env());
    const base = `http://127.0.0.1:${await listeningPort(first)}/api/v1/onboarding`;
    const acknowledged: { id: string; subject: string }[] = [];
    for (let i = 0; i < 5; i += 1) {
      acknowledged.push({ id: await startSession(base, `before-${i}`), subject: `before-${i}` });
    }

    const second = startProcess('services/embedded/main.ts', env());
    // The first keeps writing while the second tries to open the same directory.
    const during = (async () => {
      for (let i = 0; i < 5; i += 1) {
        acknowledged.push({ id: await startSession(base, `during-${i}`), subject: `during-${i}` });
      }
    })();
    const code = await exited(second);
    await during;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(second.output()).toContain(`in use by process ${first.pid}`);
    expect(second.output()).not.toContain('listening');
    for (let i = 0; i < 5; i += 1) {
      acknowledged.push({ id: await startSession(base, `after-${i}`), subject: `after-${i}` });
    }

    first.kill('SIGTERM');
    expect(await exited(first)).toBe(0);
    // A clean stop removes the lock; put back one left by a process that died (kill -9).
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(path.join(dataDir, lockFileName), JSON.stringify({ pid: dead, host: 'x' }));

    const third = startProcess('services/embedded/main.ts', env());
    const again = `http://127.0.0.1:${await listeningPort(third)}/api/v1/onboarding`;
    const lock = JSON.parse(await readFile(path.join(dataDir, lockFileName), 'utf8')) as {
      pid: number;
    };
    expect(lock.pid).toBe(third.pid);
    for (const { id, subject } of acknowledged) {
      const response = await fetch(`${again}/sessions/${id}/`, {
        headers: await headersFor(subject),
      });
      expect({ id, status: response.status }).toEqual({ id, status: 200 });
    }
    expect(acknowledged).toHaveLength(15);
    third.kill('SIGTERM');
    expect(await exited(third)).toBe(0);
  });
});
