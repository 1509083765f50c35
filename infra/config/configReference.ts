import { z } from 'zod';
import { configSchema } from './configSchema';

/**
 * Renders the configuration reference (infra/config/README.md) from the zod schema: one row per
 * variable in schema order, the default as the schema applies it before any transform, and the
 * schema's description. Pure; services/cli/docsConfig.ts writes or checks the file.
 */
export interface ConfigVariable {
  readonly name: string;
  readonly defaultValue: string;
  readonly description: string;
}

const formatDefault = (value: unknown): string =>
  value === undefined
    ? 'unset'
    : `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

export const configVariables = (schema: z.ZodObject = configSchema): ConfigVariable[] => {
  const properties = z.toJSONSchema(schema, { io: 'input' }).properties ?? {};
  return Object.keys(schema.shape).map((name) => {
    const property = properties[name];
    const json = typeof property === 'object' ? property : {};
    if (json.description === undefined || json.description.trim() === '') {
      throw new Error(`${name} has no description in the configuration schema`);
    }
    return { name, defaultValue: formatDefault(json.default), description: json.description };
  });
};

const header = ['Variable', 'Default', 'Description'] as const;

/** Pads cells to the column width, the layout prettier gives Markdown tables. */
const table = (rows: readonly (readonly string[])[]): string => {
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows.map(line);
  return [head, line(widths.map((w) => '-'.repeat(w))), ...body].join('\n');
};

export const renderConfigReference = (schema: z.ZodObject = configSchema): string => {
  const cells = configVariables(schema).map((v) => [
    `\`${v.name}\``,
    v.defaultValue,
    v.description.replaceAll('|', '\\|'),
  ]);
  return [
    '# Configuration reference',
    '',
    'Every environment variable Waymark reads; `infra/config/loadConfig.ts` validates them once at',
    'start-up and an invalid value stops the process with the variable named.',
    '',
    'Generated from `infra/config/configSchema.ts` by `npm run docs:config`: do not edit by hand.',
    '',
    table([header, ...cells]),
    '',
  ].join('\n');
};
