import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/**
 * Starts a Waymark process (pinned to a CPU when given) and resolves once its start-up log line
 * appears: the API's carries its port; the relay's says "relay running".
 */
export const startWaymark = async (entry: string, env: Record<string, string>, cpu?: number) => {
  const args = ['--import', 'tsx', path.join(root, entry)];
  const child: ChildProcess =
    cpu === undefined
      ? spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } })
      : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], {
          cwd: root,
          env: { ...process.env, ...env },
        });
  let output = '';
  // Keep the start-up output only (to find the port); later log lines are drained, not stored.
  const keep = (d: Buffer) => {
    if (output.length < 64 * 1024) output += d.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /"port":(\d+)/.exec(output);
      if (match || output.includes('relay running')) {
        clearInterval(timer);
        resolve(Number(match?.[1] ?? 0));
      }
      if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(output));
      }
    }, 50);
  });
  return {
    port,
    child,
    stop: () =>
      new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
};

export const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${String(code)}: ${out}`)),
    );
  });
