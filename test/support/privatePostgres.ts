import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './privateRedis';

const bin = process.env.WAYMARK_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** initdb and postgres refuse to run as root: run them as the `postgres` user when we are root. */
const run = (tool: string, args: readonly string[]): string => {
  const command = path.join(bin, tool);
  const asRoot = process.getuid?.() === 0;
  return execFileSync(
    asRoot ? 'runuser' : command,
    asRoot ? ['-u', 'postgres', '--', command, ...args] : [...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
};

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl on a free loopback port, trust auth,
 * no fsync), so a test may stop or restart it without touching the machine's shared server.
 */
export const startPrivatePostgres = async () => {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'waymark-pg-'));
  if (process.getuid?.() === 0) {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  // -l: the server's output goes to a file; on our pipe it would keep execFileSync waiting for ever.
  const log = path.join(dir, 'server.log');
  const start = () =>
    void run('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '30', 'start']);
  const stop = (mode: 'fast' | 'immediate' = 'fast') =>
    void run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    /** Stops the server if it runs and removes its files. */
    destroy: () => {
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
