import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './privateRedis';

const pings = (port: number): boolean => {
  try {
    execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

const answers = async (port: number): Promise<void> => {
  for (let i = 0; i < 50 && !pings(port); i += 1) await sleep(100);
};

/**
 * A Redis Cluster of the test's own: three masters on free loopback ports (no replicas, no
 * persistence), joined with `redis-cli --cluster create`. Never the machine's shared Redis.
 */
export const startPrivateRedisCluster = async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'waymark-rc-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const servers: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(dir, `nodes-${port}.conf`),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = () => {
    servers.forEach((s) => s.kill('SIGKILL'));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await answers(port);
    execFileSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { stdio: 'pipe' },
    );
    for (let i = 0; i < 100; i += 1) {
      const info = execFileSync('redis-cli', ['-p', String(ports[0]), 'cluster', 'info'], {
        encoding: 'utf8',
      });
      if (info.includes('cluster_state:ok')) break;
      await sleep(100);
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop };
};
