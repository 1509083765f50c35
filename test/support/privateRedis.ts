import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A loopback port nobody listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/**
 * A Redis server of the test's own (no persistence, loopback), so faults — freeze, shutdown,
 * restart on the same port — never touch the machine's Redis that other tests use.
 */
export const startPrivateRedis = async () => {
  const port = await freePort();
  let server: ChildProcess | null = null;
  const start = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => undefined);
    for (let i = 0; i < 50; i += 1) {
      if (
        (await probe
          .connect()
          .then(() => probe.ping())
          .catch(() => null)) === 'PONG'
      )
        break;
      await sleep(100);
    }
    probe.disconnect();
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: () => server?.pid ?? 0,
    restart: start,
    /** SHUTDOWN NOSAVE: the server exits at once; the port is closed until `restart`. */
    shutdown: async () => {
      const admin = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
      await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      admin.disconnect();
      await new Promise((r) => (server?.exitCode !== null ? r(null) : server.once('exit', r)));
    },
    stop: () => server?.kill('SIGKILL'),
  };
};

/** A client that never connects: every command fails at once, as while Redis is down. */
export const unreachableRedis = (): Redis => {
  const client = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  return client;
};
