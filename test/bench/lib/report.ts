import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Machine facts written next to every benchmark's raw numbers. */
export const machineFacts = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  // Other work on the machine at the end of the run (the CPUs may be shared).
  loadAverage: os.loadavg(),
  node: process.version,
  postgres: safe(() => execFileSync('psql', ['--version']).toString().trim()),
  date: new Date().toISOString(),
});

const safe = (fn: () => string): string => {
  try {
    return fn();
  } catch {
    return 'unknown';
  }
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Saves the raw result as JSON under bench-results/ and prints the summary, ratios last. */
export const report = (
  name: string,
  raw: object,
  ratios: Record<string, { value: number; goal: string }>,
): void => {
  const dir = path.resolve(__dirname, '../../../bench-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ name, machine: machineFacts(), raw, ratios }, null, 2));
  console.log(`\nraw results: ${file}`);
  for (const [label, { value, goal }] of Object.entries(ratios)) {
    console.log(`RATIO ${label} = ${value.toFixed(3)} (goal ${goal})`);
  }
};
