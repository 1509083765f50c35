import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSchema } from '../../../infra/config/configSchema';
import { renderConfigReference } from '../../../infra/config/configReference';

const committed = readFileSync(
  path.join(__dirname, '..', '..', '..', 'infra', 'config', 'README.md'),
  'utf8',
);
const rows = committed
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );

describe('configuration reference', () => {
  it('is the committed infra/config/README.md (run npm run docs:config after changing the schema)', () => {
    expect(committed).toBe(renderConfigReference());
  });

  it('lists every schema variable exactly once, in schema order, each with a description', () => {
    const names = rows.map(([variable]) => variable?.replaceAll('`', ''));
    expect(names).toEqual(Object.keys(configSchema.shape));
    for (const [variable, defaultValue, description, ...rest] of rows) {
      expect({ variable, rest }).toEqual({ variable, rest: [] });
      expect(defaultValue).not.toBe('');
      expect(description?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('takes defaults from the schema as set, before transforms', () => {
    const byName = new Map(rows.map(([variable, defaultValue]) => [variable, defaultValue]));
    expect(byName.get('`BODY_LIMIT_BYTES`')).toBe('`262144`');
    expect(byName.get('`APPEND_GROUP_COMMIT`')).toBe('`true`');
    expect(byName.get('`RATE_LIMITER_CRITICAL_RESOURCES`')).toBe('`session_start,uploads`');
    expect(byName.get('`DATABASE_URL`')).toBe('unset');
  });

  it('changes when a variable is added, and refuses one without a description', () => {
    const added = configSchema.extend({ NEW_SETTING: z.string().default('x').describe('new') });
    expect(renderConfigReference(added)).not.toBe(committed);
    expect(renderConfigReference(added)).toContain('| `NEW_SETTING`');
    const undocumented = configSchema.extend({ NEW_SETTING: z.string().default('x') });
    expect(() => renderConfigReference(undocumented)).toThrow(/NEW_SETTING has no description/);
  });
});
