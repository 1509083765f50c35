import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, appendFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The private world of the fault suite: its own PostgreSQL cluster (initdb/pg_ctl), Redis and
 * Kafka broker, all listening on the host end of a veth pair, and a network namespace on the
 * other end where one API process runs, so the test can cut that API off (link down) without
 * touching anything shared. Needs root (ip netns) and PostgreSQL 15's binaries.
 */
const root = path.resolve(__dirname, '../..');
const pgBin = '/usr/lib/postgresql/15/bin';
const sh = (cmd: string, args: readonly string[]) =>
  execFileSync(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** A veth pair: `hostIp` on this side, `nsIp` inside namespace `ns`. */
export const createNetns = () => {
  const tag = `${process.pid % 10_000}${Math.floor(Math.random() * 90 + 10)}`;
  const ns = `wmf${tag}`;
  const [hostIf, nsIf] = [`wh${tag}`, `wn${tag}`];
  const octet = 100 + (process.pid % 150);
  const [hostIp, nsIp] = [`10.231.${octet}.1`, `10.231.${octet}.2`];
  sh('ip', ['netns', 'add', ns]);
  sh('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
  sh('ip', ['link', 'set', nsIf, 'netns', ns]);
  sh('ip', ['addr', 'add', `${hostIp}/24`, 'dev', hostIf]);
  sh('ip', ['link', 'set', hostIf, 'up']);
  sh('ip', ['netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/24`, 'dev', nsIf]);
  sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up']);
  sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
  return {
    ns,
    hostIp,
    nsIp,
    /** Cuts the namespace off (its API can reach nothing, nothing can reach it). */
    down: () => sh('ip', ['link', 'set', hostIf, 'down']),
    up: () => sh('ip', ['link', 'set', hostIf, 'up']),
    remove: () => {
      try {
        sh('ip', ['netns', 'del', ns]);
        sh('ip', ['link', 'del', hostIf]);
      } catch {
        // already gone
      }
    },
  };
};

/** A PostgreSQL cluster of the test's own, run as the postgres user (initdb refuses root). */
export const startPrivatePostgres = async (listen: readonly string[]) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wm-faults-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = (args: readonly string[]) => sh('runuser', ['-u', 'postgres', '--', ...args]);
  asPostgres([`${pgBin}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  appendFileSync(path.join(data, 'pg_hba.conf'), 'host all all 10.231.0.0/16 trust\n');
  appendFileSync(
    path.join(data, 'postgresql.conf'),
    `listen_addresses = '${listen.join(',')}'\nport = ${port}\nmax_connections = 200\n` +
      `fsync = off\nsynchronous_commit = off\nshared_buffers = 64MB\nunix_socket_directories = '${dir}'\n`,
  );
  const ctl = (action: string, ...extra: string[]) =>
    asPostgres([
      `${pgBin}/pg_ctl`,
      '-D',
      data,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(dir, 'log'),
      action,
      ...extra,
    ]);
  ctl('start');
  sh('runuser', [
    '-u',
    'postgres',
    '--',
    `${pgBin}/createdb`,
    '-h',
    dir,
    '-p',
    String(port),
    'waymark',
  ]);
  return {
    port,
    url: (host: string) => `postgres://postgres@${host}:${port}/waymark`,
    /** A fast restart: active sessions are ended, the cluster shuts down cleanly and comes back. */
    restartFast: () => ctl('restart', '-m', 'fast'),
    stop: () => {
      try {
        ctl('stop', '-m', 'immediate');
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A Redis of the test's own on `host` (no persistence). */
export const startPrivateRedisOn = async (host: string) => {
  const port = await freePort();
  let server: ChildProcess | null = null;
  const start = async () => {
    server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        host,
        '--protected-mode',
        'no',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      {
        stdio: 'ignore',
      },
    );
    await sleep(300);
  };
  await start();
  return {
    url: `redis://${host}:${port}`,
    restart: async (downMs: number) => {
      const s = server;
      s?.kill('SIGTERM');
      if (s && s.exitCode === null) await new Promise((r) => s.once('exit', r));
      await sleep(downMs);
      await start();
    },
    stop: () => server?.kill('SIGKILL'),
  };
};

/** A Kafka broker of the test's own (infra/kafka/broker.sh on another port), to SIGSTOP freely. */
export const startPrivateKafka = async (host: string) => {
  const port = await freePort();
  const env = { ...process.env, WAYMARK_KAFKA_PORT: String(port), WAYMARK_KAFKA_HOST: host };
  execFileSync('bash', [path.join(root, 'infra/kafka/broker.sh'), 'start'], {
    env,
    stdio: 'ignore',
  });
  const cache = process.env.WAYMARK_CACHE_DIR ?? path.join(os.homedir(), '.cache/waymark');
  const pid = Number(readFileSync(path.join(cache, `kafka-run-${port}`, 'broker.pid'), 'utf8'));
  return {
    brokers: `${host}:${port}`,
    pause: () => process.kill(pid, 'SIGSTOP'),
    resume: () => process.kill(pid, 'SIGCONT'),
    stop: () => {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
      execFileSync('bash', [path.join(root, 'infra/kafka/broker.sh'), 'stop'], {
        env,
        stdio: 'ignore',
      });
    },
  };
};

export type WaymarkProcess = ChildProcess & {
  name: string;
  output: () => string;
  /** The process's error log lines (the first 50), kept whole for the figures. */
  errors: () => string[];
};

/** One Waymark process (optionally inside a network namespace), its output kept for failures. */
export const startWaymark = (
  name: string,
  entry: string,
  env: Record<string, string>,
  netns?: string,
): WaymarkProcess => {
  const node = [process.execPath, '--import', 'tsx', path.join(root, entry)];
  const [cmd, ...args] = netns === undefined ? node : ['ip', 'netns', 'exec', netns, ...node];
  let output = '';
  const child = spawn(cmd as string, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  const keep = (d: Buffer) => {
    const text = d.toString('utf8');
    output = (output + text).slice(-20_000);
    for (const line of text.split('\n'))
      if (line.includes('"level":"error"') && errors.length < 50) errors.push(line.slice(0, 2_000));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return Object.assign(child, { name, output: () => output, errors: () => errors });
};

export const waitForHttp = async (url: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) })
      .then((r) => r.status < 500)
      .catch(() => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
};
