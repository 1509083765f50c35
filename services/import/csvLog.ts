import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ImportMapping } from './mappingSchema';
import type { Trace } from './processLog';

type Row = Readonly<Record<string, string>>;
type Case = {
  caseId: string;
  events: Trace['events'][number][];
  attributes: Record<string, string>;
};

export class CsvLogError extends Error {
  override readonly name = 'CsvLogError';
}

const requireColumns = (header: readonly string[], mapping: ImportMapping) => {
  const { columns, attributes } = mapping;
  const needed: [string, string][] = [
    ['columns.caseId', columns.caseId],
    ['columns.activity', columns.activity],
    ['columns.timestamp', columns.timestamp],
    ...Object.entries(attributes).map(([k, c]): [string, string] => [`attributes.${k}`, c]),
  ];
  for (const [field, column] of needed)
    if (!header.includes(column))
      throw new CsvLogError(`the CSV header has no column "${column}" (mapping ${field})`);
};

const eventOf = (row: Row, mapping: ImportMapping) => ({
  activity: row[mapping.columns.activity] ?? '',
  lifecycle: (row[mapping.columns.lifecycle] || 'complete').toLowerCase(),
  timestamp: row[mapping.columns.timestamp] ?? '',
});

const attributesOf = (row: Row, mapping: ImportMapping): Record<string, string> =>
  Object.fromEntries(
    Object.entries(mapping.attributes)
      .map(([key, column]): [string, string] => [key, row[column ?? ''] ?? ''])
      .filter(([, v]) => v !== ''),
  );

/**
 * Streams a CSV log with `csv-parse` (quoted fields, quoted newlines, the mapping's delimiter, a
 * BOM), its columns named by the mapping. The rows of a case are consecutive, as process-mining
 * exports write them; a case whose rows resume after another case is refused with the line
 * number (never silently split into two sessions), or, with `caseRows: "grouped"`, every case is
 * gathered first (the whole log in memory) and yielded in order of first appearance.
 */
export async function* readCsv(input: Readable, mapping: ImportMapping): AsyncGenerator<Trace> {
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        requireColumns(names, mapping);
        return names;
      },
      delimiter: mapping.delimiter,
      bom: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  const grouped = mapping.caseRows === 'grouped';
  const cases = new Map<string, Case>();
  const ended = new Map<string, number>();
  let current: Case | null = null;
  let currentLastLine = 0;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Row;
    info: { lines: number };
  }>) {
    const caseId = record[mapping.columns.caseId] ?? '';
    if (!grouped && current !== null && current.caseId !== caseId) {
      ended.set(current.caseId, currentLastLine);
      yield current;
      current = null;
    }
    const endedAt = ended.get(caseId);
    if (endedAt !== undefined)
      throw new CsvLogError(
        `line ${info.lines}: a case whose rows ended at line ${endedAt} continues here; sort the log by case or set "caseRows": "grouped" in the mapping`,
      );
    const open: Case = (grouped ? cases.get(caseId) : current) ?? {
      caseId,
      events: [],
      attributes: attributesOf(record, mapping),
    };
    open.events.push(eventOf(record, mapping));
    if (grouped) cases.set(caseId, open);
    else current = open;
    currentLastLine = info.lines;
  }
  if (current) yield current;
  yield* cases.values();
}
