import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from './processes';

/**
 * The native baselines the benchmarks compare against, run the same way everywhere: one
 * client, latencies as the tools themselves report them.
 */

/** p99 (ms) of `redis-benchmark -c 1 --csv <args>` against the Redis at `url`. */
export const redisBenchmarkP99 = async (url: string, args: readonly string[]): Promise<number> => {
  const u = new URL(url);
  const out = await run('redis-benchmark', [
    ...['-h', u.hostname, '-p', u.port || '6379', '-c', '1', '--csv'],
    ...args,
  ]);
  // CSV columns: test, rps, avg, min, p50, p95, p99, max (quoted).
  const row = out.trim().split('\n').at(-1)?.split(',');
  const p99 = Number(row?.[6]?.replace(/"/g, ''));
  if (!Number.isFinite(p99)) throw new Error(`cannot parse redis-benchmark output: ${out}`);
  return p99;
};

/** Per-transaction latencies (ms) of pgbench running `script` with one client (`-l` log). */
export const pgbenchLatencies = async (
  url: string,
  script: string,
  length: readonly string[],
): Promise<number[]> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgbench-'));
  const file = path.join(dir, 'script.sql');
  writeFileSync(file, script);
  try {
    await run('pgbench', [
      ...['-n', '-c', '1', ...length, '-f', file],
      ...['--log', `--log-prefix=${path.join(dir, 'log')}`, url],
    ]);
    // Log lines: client transaction latency_us script epoch epoch_us.
    return readdirSync(dir)
      .filter((f) => f.startsWith('log'))
      .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
      .filter(Boolean)
      .map((line) => Number(line.split(' ')[2]) / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
