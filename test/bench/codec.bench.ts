import type { RecordedEvent } from '../../events/envelope';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { oneOfEach } from '../support/builders/onboarding';
import { median, report } from './lib/report';

/**
 * B6: Avro (avsc, single-object encoding) against JSON for the real onboarding event schemas.
 * JSON baseline: Buffer.from(JSON.stringify(event)) and JSON.parse(buffer.toString()), what a
 * Kafka producer and consumer would do. Each round alternates Avro and JSON in 100 ms slices for
 * 2 s per case; the ratio of a round is the median of its paired slices (neighbouring slices see
 * the same load on a shared machine), the figure the median over rounds (default 5).
 *
 * The events are one of each type from one session: session and correlation ids repeat from one
 * event to the next, as they do within a session's batch, so the codec's small UUID and string
 * caches hit; event ids and positions differ per event. A second set, 1,400 events of 100
 * sessions where every id, tenant, actor and time differs from one event to the next, gives the
 * decode ratio when those caches miss (reported, no goal).
 */
const events: RecordedEvent[] = oneOfEach().map((e, i) => ({
  ...e,
  eventId: `6f1c2d3e-4b5a-4c6d-8e7f-${String(100000000000 + i)}`,
  streamName: 'onboarding-9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11',
  streamPosition: i,
  globalPosition: 1_000_000 + i,
  recordedAt: '2026-11-28T10:00:00.123456Z',
  metadata: {
    correlationId: '1b7f0a52-3c1e-4e55-9d8c-0f3f8c1a2b3c',
    tenantId: 'tenant-acme',
    actor: 'user:user-42',
  },
}));
const uuidOf = (n: number): string => {
  const h = n.toString(16).padStart(12, '0');
  return `7a1b2c3d-${h.slice(0, 4)}-4c5d-8e6f-${h}`;
};
const distinct: RecordedEvent[] = Array.from({ length: 100 }, (_, s) =>
  oneOfEach().map((e, i) => ({
    ...e,
    eventId: uuidOf(s * 100 + i),
    streamName: `onboarding-${uuidOf(1e6 + s * 100 + i)}`,
    streamPosition: i,
    globalPosition: 1_000_000 + s * 14 + i,
    recordedAt: new Date(Date.parse('2026-11-28T10:00:00Z') + s * 997 + i * 13)
      .toISOString()
      .replace('Z', '456Z'),
    metadata: {
      correlationId: uuidOf(2e6 + s * 100 + i),
      tenantId: `tenant-${s}-${i}`,
      actor: `user:user-${s}-${i}`,
    },
  })),
).flat();
const codec = createAvroCodec();
const avroBuffers = events.map((e) => codec.encode(e).value);
const jsonBuffers = events.map((e) => Buffer.from(JSON.stringify(e)));
const avroDistinct = distinct.map((e) => codec.encode(e).value);
const jsonDistinct = distinct.map((e) => Buffer.from(JSON.stringify(e)));

const opsPerSecond = (fn: (i: number) => unknown, ms: number): number => {
  let n = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  while (process.hrtime.bigint() < end) {
    for (let k = 0; k < 200; k += 1) fn(n++);
  }
  return n / (ms / 1000);
};

/** Ops/s of a and b over `ms` each, in alternating slices, and the median of the slice ratios. */
const paired = (a: (i: number) => unknown, b: (i: number) => unknown, ms: number) => {
  const slices = Math.max(1, Math.round(ms / 100));
  const as: number[] = [];
  const bs: number[] = [];
  for (let k = 0; k < slices; k += 1) {
    as.push(opsPerSecond(a, 100));
    bs.push(opsPerSecond(b, 100));
  }
  return { a: median(as), b: median(bs), ratio: median(as.map((x, k) => x / (bs[k] as number))) };
};

const e = (n: number) => n % events.length;
const d = (n: number) => n % distinct.length;
const cases = {
  avroEncode: (n: number) => codec.encode(events[e(n)] as RecordedEvent),
  jsonEncode: (n: number) => Buffer.from(JSON.stringify(events[e(n)])),
  avroDecode: (n: number) => codec.decode(avroBuffers[e(n)] as Buffer),
  jsonDecode: (n: number) => JSON.parse((jsonBuffers[e(n)] as Buffer).toString('utf8')) as unknown,
};
const distinctCases = {
  avro: (n: number) => codec.decode(avroDistinct[d(n)] as Buffer),
  json: (n: number) => JSON.parse((jsonDistinct[d(n)] as Buffer).toString('utf8')) as unknown,
};

const rounds = Number(process.argv[2] ?? 5);
const results: Record<keyof typeof cases, number[]> = {
  avroEncode: [],
  jsonEncode: [],
  avroDecode: [],
  jsonDecode: [],
};
const ratios: Record<'decode' | 'encode' | 'decodeDistinct', number[]> = {
  decode: [],
  encode: [],
  decodeDistinct: [],
};
for (const fn of Object.values(cases)) opsPerSecond(fn, 1000);
for (let r = 0; r < rounds; r += 1) {
  for (const op of ['encode', 'decode'] as const) {
    const avroCase = op === 'encode' ? 'avroEncode' : 'avroDecode';
    const jsonCase = op === 'encode' ? 'jsonEncode' : 'jsonDecode';
    const p = paired(cases[avroCase], cases[jsonCase], 2000);
    results[avroCase].push(p.a);
    results[jsonCase].push(p.b);
    ratios[op].push(p.ratio);
  }
  ratios.decodeDistinct.push(paired(distinctCases.avro, distinctCases.json, 2000).ratio);
}
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<
  keyof typeof cases,
  number
>;
const bytes = {
  avro: avroBuffers.reduce((a, b) => a + b.length, 0),
  json: jsonBuffers.reduce((a, b) => a + b.length, 0),
};
console.log('round ratios avro/json:', ratios);
console.log(
  'ops/s (median):',
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v)])),
);
console.log('bytes for one of each event type:', bytes);
report(
  'codec',
  { results, ratios, medians: m, bytes },
  {
    'decode avro/json': { value: median(ratios.decode), goal: '>= 1.5' },
    'encode avro/json': { value: median(ratios.encode), goal: '>= 1.5' },
    'decode avro/json, every id distinct': {
      value: median(ratios.decodeDistinct),
      goal: 'none, reported',
    },
    'bytes avro/json': { value: bytes.avro / bytes.json, goal: '<= 0.4' },
  },
);
