import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../infra/config/loadConfig';
import { loadFlows } from '../../infra/config/loadFlows';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { readModelMigrationDirs } from '../../projections/migrations';
import { importLog } from '../import/importLog';
import { parseMapping } from '../import/mappingSchema';
import { progressLine } from '../import/progress';

const usage =
  'usage: npm run import -- <file.xes[.gz]|file.csv[.gz]> [--mapping <mapping.json>] [--tenant <id>]';

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

/** npm run import: a process log into the event store; the flow comes from the mapping's flows file. */
const main = async (): Promise<void> => {
  const file = process.argv[2];
  if (file === undefined || file.startsWith('--')) throw new Error(usage);
  const mappingFile = path.resolve(
    option('mapping', path.join(__dirname, '..', 'import', 'mappings', 'bpic2012.json')),
  );
  const mapping = parseMapping(JSON.parse(await readFile(mappingFile, 'utf8')));
  const flows = await loadFlows(path.resolve(path.dirname(mappingFile), mapping.flowsFile));
  const flow = flows.get(mapping.flowId);
  if (!flow)
    throw new Error(`the mapping names flow ${mapping.flowId}, which its flows file lacks`);
  const config = loadConfig();
  const database = await openDatabase(config, 'waymark-import', readModelMigrationDirs);
  const { store } = openEventStore(config, database);
  const started = Date.now();
  let last = 0;
  const result = await importLog(
    {
      eventStore: store,
      mapping,
      flow,
      tenantId: option('tenant', 'bpic2012'),
      abandonAfterSeconds: config.abandonment.thresholdSeconds,
    },
    file,
    {
      onProgress: (done, total, cases) => {
        if (Date.now() - last < 250 && done < total) return;
        last = Date.now();
        process.stderr.write(
          `\r${progressLine({ done, total, cases, elapsedMs: Date.now() - started })}`,
        );
      },
    },
  );
  process.stderr.write('\n');
  process.stdout.write(
    `${JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000, flow: flow.id })}\n`,
  );
  await database.sql.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
