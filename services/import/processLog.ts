import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';

/** One case of a process log: its id and its events in file order. */
export type Trace = Readonly<{
  caseId: string;
  events: readonly Readonly<{ activity: string; lifecycle: string; timestamp: string }>[];
}>;

type OpenEvent = { activity: string; lifecycle: string; timestamp: string };

const readEventAttribute = (event: OpenEvent, key: string, value: string): void => {
  if (key === 'concept:name') event.activity = value;
  else if (key === 'lifecycle:transition') event.lifecycle = value.toLowerCase();
  else if (key === 'time:timestamp') event.timestamp = value;
};

/**
 * Streams an XES log (XML, any size): traces are yielded as they close, so memory holds one
 * chunk and one trace. Only the standard attributes are read: the trace's `concept:name` and each
 * event's `concept:name`, `lifecycle:transition`, `time:timestamp`.
 */
export async function* readXes(input: Readable): AsyncGenerator<Trace> {
  const parser = new SaxesParser({ xmlns: false });
  const done: Trace[] = [];
  let depth = 0;
  let trace: { caseId: string; events: OpenEvent[] } | null = null;
  let event: OpenEvent | null = null;
  parser.on('opentag', (tag) => {
    depth += 1;
    const key = String(tag.attributes.key ?? '');
    const value = String(tag.attributes.value ?? '');
    if (tag.name === 'trace') trace = { caseId: '', events: [] };
    else if (tag.name === 'event' && trace)
      event = { activity: '', lifecycle: 'complete', timestamp: '' };
    else if (event) readEventAttribute(event, key, value);
    else if (trace && key === 'concept:name' && depth === 3) trace.caseId = value;
  });
  parser.on('closetag', (tag) => {
    depth -= 1;
    if (tag.name === 'event' && trace && event) {
      trace.events.push(event);
      event = null;
    } else if (tag.name === 'trace' && trace) {
      done.push(trace);
      trace = null;
    }
  });
  for await (const chunk of input) {
    parser.write((chunk as Buffer).toString('utf8'));
    yield* done.splice(0);
  }
  parser.close();
  yield* done.splice(0);
}

const splitCsv = (line: string): string[] => {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  return [...cells, cell];
};

const requireColumns = (header: readonly string[]) => {
  for (const need of ['case_id', 'activity', 'timestamp'])
    if (!header.includes(need)) throw new Error(`the CSV header needs a ${need} column`);
};

/**
 * Streams a CSV log with a header naming `case_id`, `activity`, `timestamp` (and optionally
 * `lifecycle`); rows of one case must be consecutive (as process-mining exports write them).
 */
export async function* readCsv(lines: AsyncIterable<string>): AsyncGenerator<Trace> {
  let header: string[] | null = null;
  let current: { caseId: string; events: OpenEvent[] } | null = null;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const cells = splitCsv(line);
    if (header === null) {
      header = cells.map((h) => h.trim().toLowerCase());
      requireColumns(header);
      continue;
    }
    const get = (name: string) => cells[(header ?? []).indexOf(name)] ?? '';
    const caseId = get('case_id');
    if (current && current.caseId !== caseId) {
      yield current;
      current = null;
    }
    current ??= { caseId, events: [] };
    current.events.push({
      activity: get('activity'),
      lifecycle: (get('lifecycle') || 'complete').toLowerCase(),
      timestamp: get('timestamp'),
    });
  }
  if (current) yield current;
}
