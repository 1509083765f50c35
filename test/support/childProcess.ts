import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const running = new Set<ChildProcess>();

/** Kills whatever a test left running (call from afterAll/afterEach). */
export const killAll = (): void => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
};

/** Runs one of Waymark's processes (e.g. services/relay/main.ts) as a real child process. */
export const startProcess = (
  entry: string,
  env: Record<string, string>,
): ChildProcess & { output: () => string } => {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  return Object.assign(child, { output: () => output });
};

export const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
