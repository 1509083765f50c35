import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * A generated file's CLI: writes `render()` to `target`; with --check writes nothing and exits 1
 * when the committed file differs (the unit tests run the check), naming the command to run.
 */
export const writeOrCheck = (
  target: string,
  render: () => string | Promise<string>,
  fix: string,
) => {
  const shown = path.relative(process.cwd(), target);
  const main = async (): Promise<void> => {
    const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
    const rendered = await render();
    if (!values.check) {
      await writeFile(target, rendered);
      process.stdout.write(`wrote ${shown}\n`);
      return;
    }
    const committed = await readFile(target, 'utf8').catch(() => '');
    if (committed !== rendered) {
      process.stderr.write(`${shown} is out of date: run ${fix}\n`);
      process.exit(1);
    }
    process.stdout.write(`${shown} is up to date\n`);
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
};
