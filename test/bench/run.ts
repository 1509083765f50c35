import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench -- <name> [options]`: runs test/bench/<name>.bench.ts (its options after the
 * name). Without a name, lists the benchmarks.
 */
const names = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (name === undefined || !names.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${names.join('|')}> [options]\n`);
  process.exit(name === undefined ? 0 : 2);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(__dirname, `${name}.bench.ts`), ...rest],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
