import { parseArgs } from 'node:util';
import { exitCodeOf, formatResult, runSmoke, writeRefusal } from '../smoke/smokeChecks';

const usage =
  'usage: npm run smoke -- --base-url URL --token ADMIN_TOKEN [--write --write-token SERVICE_TOKEN] [--smoke-tenant waymark-smoke] [--timeout-ms 10000]';

/**
 * npm run smoke: checks a running Waymark (health, OpenAPI, an analytics read, the metrics
 * scrape), read-only unless --write. One line per check, exit 0 (all passed or skipped), 1 (a
 * check failed), 2 (bad usage, or --write refused because a token is not of the smoke tenant).
 */
const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      token: { type: 'string' },
      write: { type: 'boolean', default: false },
      'write-token': { type: 'string' },
      'smoke-tenant': { type: 'string', default: 'waymark-smoke' },
      'timeout-ms': { type: 'string', default: '10000' },
    },
  });
  const baseUrl = values['base-url'];
  const token = values.token;
  if (baseUrl === undefined || token === undefined) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const options = {
    baseUrl,
    token,
    write: values.write,
    writeToken: values['write-token'],
    smokeTenant: values['smoke-tenant'],
    timeoutMs: Number(values['timeout-ms']),
  };
  const refused = writeRefusal(options);
  if (refused !== null) {
    process.stderr.write(`smoke: ${refused}\n`);
    return 2;
  }
  const results = await runSmoke(options);
  for (const r of results) process.stdout.write(`${formatResult(r)}\n`);
  return exitCodeOf(results);
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `smoke failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
