import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the console's own files live (plain ES modules and CSS, no build step). */
export const publicDir = path.join(__dirname, 'public');

/**
 * Chart.js's self-contained UMD build, served from node_modules. The package's `exports` hide
 * `dist/`, so the path is found from the main entry (dist/chart.cjs).
 */
export const chartJsFile = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
    )
    .sort();

/**
 * The asset version: a hash of every file the console serves, so a changed file gets a new URL
 * and the old ones can be cached forever (`immutable`).
 */
export const assetVersion = (): string => {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(publicDir), chartJsFile]) {
    hash.update(path.relative(publicDir, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
};

/** The page shell with the versioned asset URLs filled in. */
export const indexHtml = (version: string): string =>
  readFileSync(path.join(publicDir, 'index.html'), 'utf8').replaceAll('__VERSION__', version);
