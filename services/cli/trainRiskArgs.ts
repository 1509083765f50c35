import { parseArgs } from 'node:util';

export const trainRiskUsage =
  'usage: npm run risk:train -- [--tenant <id>] [--horizon-minutes 15] [--exclude-reasons declined] [--l2 1] [--no-activate] [--force]';

const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};

/**
 * The risk:train options, parsed strictly: an unknown option, a stray argument or a bad number is
 * an error (with the usage), never silently a default. No `--tenant` trains the global model.
 */
export const parseTrainRiskArgs = (argv: readonly string[]) => {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      tenant: { type: 'string' },
      'horizon-minutes': { type: 'string', default: '15' },
      'exclude-reasons': { type: 'string', default: 'declined' },
      l2: { type: 'string', default: '1' },
      'no-activate': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  if (values.tenant !== undefined && !/^[A-Za-z0-9._:-]{1,128}$/.test(values.tenant))
    throw new Error('--tenant must be a tenant id (letters, digits and ._:-)');
  return {
    tenantId: values.tenant ?? null,
    horizonMinutes: positive('horizon-minutes', values['horizon-minutes']),
    excludeReasons: values['exclude-reasons'].split(',').filter(Boolean),
    l2: positive('l2', values.l2),
    activate: !values['no-activate'],
    force: values.force,
  };
};
