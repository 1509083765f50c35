import { Readable } from 'node:stream';
import { readCsv } from '../../../services/import/csvLog';
import { toSessionEvents } from '../../../services/import/mapping';
import { parseMapping } from '../../../services/import/mappingSchema';
import type { Trace } from '../../../services/import/processLog';
import { progressLine } from '../../../services/import/progress';

const base = {
  flowId: 'loan',
  flowsFile: 'flows.json',
  lifecycle: 'complete',
  steps: { SUBMIT: 'submitted', CHECK: 'checked' },
  outcomes: { APPROVE: 'completed', DECLINE: 'declined' },
  channel: 'branch',
  language: 'nl',
};

const read = async (csv: string, extra: object = {}) => {
  const traces: Trace[] = [];
  for await (const t of readCsv(Readable.from([csv]), parseMapping({ ...base, ...extra })))
    traces.push(t);
  return traces;
};

describe('mapping file (zod)', () => {
  it('fills the defaults', () => {
    const m = parseMapping(base);
    expect(m.columns).toEqual({
      caseId: 'case_id',
      activity: 'activity',
      timestamp: 'timestamp',
      lifecycle: 'lifecycle',
    });
    expect(m).toMatchObject({
      delimiter: ',',
      caseRows: 'consecutive',
      errors: [],
      attributes: {},
    });
  });

  it('names the field of every problem', () => {
    expect(() => parseMapping({ ...base, stepz: {} })).toThrow(/\(the mapping\): .*stepz/);
    expect(() => parseMapping({ ...base, outcomes: { X: 'won' } })).toThrow(/outcomes\.X: /);
    expect(() => parseMapping({ ...base, delimiter: ';;' })).toThrow(/delimiter: /);
    expect(() => parseMapping({ ...base, columns: { caseId: '' } })).toThrow(/columns\.caseId: /);
    expect(() => parseMapping({ ...base, attributes: { platform: 'os' } })).toThrow(
      /attributes: .*platform/,
    );
    const noFlow = Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'flowId'));
    expect(() => parseMapping(noFlow)).toThrow(/flowId: /);
  });
});

describe('CSV log (csv-parse)', () => {
  it('reads mapped columns, another delimiter, quoted delimiters and quoted newlines', async () => {
    const csv = [
      'Case;Act;When;Platform',
      '1;SUBMIT;2024-01-01T10:00:00Z;"ios; beta"',
      '1;"CHECK";2024-01-01T11:00:00Z;ios',
      '2;"SUB',
      'MIT";2024-01-02T10:00:00Z;android',
    ].join('\r\n');
    const traces = await read(csv, {
      delimiter: ';',
      columns: { caseId: 'Case', activity: 'Act', timestamp: 'When' },
      attributes: { channel: 'Platform' },
    });
    expect(traces.map((t) => t.caseId)).toEqual(['1', '2']);
    expect(traces[0]?.events.map((e) => e.activity)).toEqual(['SUBMIT', 'CHECK']);
    expect(traces[0]?.attributes).toEqual({ channel: 'ios; beta' });
    expect(traces[1]?.events[0]?.activity).toBe('SUB\r\nMIT');
    expect(traces[1]?.events[0]?.lifecycle).toBe('complete');
  });

  it('refuses a case whose rows are not consecutive, with the line number', async () => {
    const csv =
      'case_id,activity,timestamp\na,SUBMIT,2024-01-01\nb,SUBMIT,2024-01-01\na,CHECK,2024-01-02\n';
    await expect(read(csv)).rejects.toThrow(
      /^line 4: a case whose rows ended at line 2 continues here/,
    );
  });

  it('groups them instead with "caseRows": "grouped"', async () => {
    const csv =
      'case_id,activity,timestamp\na,SUBMIT,2024-01-01\nb,SUBMIT,2024-01-01\na,CHECK,2024-01-02\n';
    const traces = await read(csv, { caseRows: 'grouped' });
    expect(traces.map((t) => [t.caseId, t.events.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('names the mapping field of a missing column', async () => {
    await expect(read('case,activity,timestamp\n1,SUBMIT,2024-01-01\n')).rejects.toThrow(
      'the CSV header has no column "case_id" (mapping columns.caseId)',
    );
  });
});

describe('a case with attributes and error activities', () => {
  it('sets the cohort keys from the attributes and records errors in the current step', () => {
    const mapping = parseMapping({ ...base, errors: ['TIMEOUT'] });
    const flow = { id: 'loan', version: 1, steps: ['submitted', 'checked'] } as never;
    const events = toSessionEvents(
      {
        caseId: '7',
        attributes: { channel: 'ios', language: 'de' },
        events: [
          { activity: 'SUBMIT', lifecycle: 'complete', timestamp: '2024-01-01T10:00:00Z' },
          { activity: 'TIMEOUT', lifecycle: 'complete', timestamp: '2024-01-01T10:05:00Z' },
          { activity: 'APPROVE', lifecycle: 'complete', timestamp: '2024-01-01T11:00:00Z' },
        ],
      },
      { tenantId: 't', flow, mapping, abandonAfterSeconds: 1800, now: new Date('2025-01-01') },
    );
    expect(events.map((e) => e.type)).toEqual([
      'SessionStarted',
      'StepEntered',
      'ErrorOccurred',
      'StepCompleted',
      'SessionCompleted',
    ]);
    expect(events[0]?.data).toMatchObject({ channel: 'ios', language: 'de', userType: 'imported' });
    expect(events[2]?.data).toMatchObject({ step: 'submitted', code: 'TIMEOUT' });
  });
});

describe('progress line', () => {
  it('shows the share, the rate and the ETA', () => {
    // A quarter of the file in 10 s: 30 more seconds; 500 cases in 10 s = 50 cases/s.
    expect(progressLine({ done: 250, total: 1000, cases: 500, elapsedMs: 10_000 })).toBe(
      `[${'#'.repeat(8)}${'.'.repeat(22)}] 25.0% 500 cases, 50 cases/s, ETA 30 s`,
    );
    expect(progressLine({ done: 0, total: 1000, cases: 0, elapsedMs: 0 })).toMatch(/ETA \?$/);
  });
});
