import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderConfigReference } from '../../infra/config/configReference';

/**
 * npm run docs:config [-- --check]
 * Writes the configuration reference rendered from the schema to infra/config/README.md; with
 * --check, writes nothing and exits 1 when the committed file differs.
 */
const target = path.join(__dirname, '..', '..', 'infra', 'config', 'README.md');
const shown = path.relative(process.cwd(), target);

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const rendered = renderConfigReference();
  if (!values.check) {
    await writeFile(target, rendered);
    process.stdout.write(`wrote ${shown}\n`);
    return;
  }
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== rendered) {
    process.stderr.write(
      `${shown} is out of date with the config schema: run npm run docs:config\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${shown} is up to date\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
