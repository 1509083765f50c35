import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Flow } from '../../events/onboarding/flows';
import { onboardingStream } from '../../events/streamNames';
import { WrongExpectedVersionError, type EventStore } from '../../infra/eventStore/eventStore';
import { toSessionEvents, type ImportMapping } from './mapping';
import { readCsv } from './csvLog';
import { readXes, type Trace } from './processLog';

export type ImportResult = {
  cases: number;
  sessions: number;
  events: number;
  alreadyImported: number;
};

const tracesOf = (file: string, input: Readable, mapping: ImportMapping): AsyncGenerator<Trace> => {
  const plain = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const bare = file.replace(/\.gz$/, '');
  if (bare.endsWith('.xes') || bare.endsWith('.xml')) return readXes(plain);
  if (bare.endsWith('.csv')) return readCsv(plain, mapping);
  throw new Error('the file must be .xes or .csv (optionally .gz)');
};

/**
 * Imports a process log into the event store as onboarding sessions, streaming: one trace in
 * memory at a time plus up to `concurrency` appends in flight. Each case is one stream appended
 * with expected version −1 under a stable id, so a second import of the same file adds nothing.
 */
export const importLog = async (
  deps: Readonly<{
    eventStore: EventStore;
    mapping: ImportMapping;
    flow: Flow;
    tenantId: string;
    /** SESSION_ABANDONMENT_THRESHOLD_SECONDS: cases without outcome end that long after. */
    abandonAfterSeconds: number;
    clock?: () => Date;
  }>,
  file: string,
  options: Readonly<{
    concurrency?: number;
    /** Bytes read of the file's size, and cases read so far. */
    onProgress?: (done: number, total: number, cases: number) => void;
  }> = {},
): Promise<ImportResult> => {
  const total = statSync(file).size;
  const input = createReadStream(file);
  let read = 0;
  const result: ImportResult = { cases: 0, sessions: 0, events: 0, alreadyImported: 0 };
  input.on('data', (chunk) => {
    read += chunk.length;
    options.onProgress?.(read, total, result.cases);
  });
  const metadata = {
    correlationId: `import-${randomUUID()}`,
    tenantId: deps.tenantId,
    actor: 'import',
  };
  const inFlight = new Set<Promise<void>>();
  const append = async (trace: Trace) => {
    const events = toSessionEvents(trace, { ...deps, now: deps.clock?.() ?? new Date() });
    if (events.length === 0) return;
    const sessionId = (events[0]?.data as { sessionId: string }).sessionId;
    try {
      await deps.eventStore.appendToStream(
        onboardingStream(sessionId),
        events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata })),
        { expectedVersion: -1 },
      );
      result.sessions += 1;
      result.events += events.length;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      result.alreadyImported += 1;
    }
  };
  for await (const trace of tracesOf(file, input, deps.mapping)) {
    result.cases += 1;
    const p = append(trace).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= (options.concurrency ?? 16)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return result;
};
