import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';

/** One case of a process log: its id and its events in file order. */
export type Trace = Readonly<{
  caseId: string;
  events: readonly Readonly<{ activity: string; lifecycle: string; timestamp: string }>[];
  /** Per-case attributes (CSV: the mapped attribute columns of the case's first row). */
  attributes?: Readonly<Record<string, string>>;
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
