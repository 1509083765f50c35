import type { RecordedEvent } from '../../events/envelope';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { oneOfEach } from '../support/builders/onboarding';
import { median, report } from './lib/report';

/**
 * B6: Avro (avsc, single-object encoding) against JSON for the real onboarding event schemas.
 * JSON baseline: Buffer.from(JSON.stringify(event)) and JSON.parse(buffer.toString()), what a
 * Kafka producer and consumer would do. Alternates A/B, five rounds of 2 s each, median.
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
const codec = createAvroCodec();
const avroBuffers = events.map((e) => codec.encode(e).value);
const jsonBuffers = events.map((e) => Buffer.from(JSON.stringify(e)));

const opsPerSecond = (fn: (i: number) => unknown, ms: number): number => {
  let n = 0;
  const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < end) {
    for (let k = 0; k < 200; k += 1) fn(n++ % events.length);
  }
  return n / (ms / 1000);
};

const cases = {
  avroEncode: (i: number) => codec.encode(events[i] as RecordedEvent),
  jsonEncode: (i: number) => Buffer.from(JSON.stringify(events[i])),
  avroDecode: (i: number) => codec.decode(avroBuffers[i] as Buffer),
  jsonDecode: (i: number) => JSON.parse((jsonBuffers[i] as Buffer).toString('utf8')) as unknown,
};

const rounds = Number(process.argv[2] ?? 5);
const results: Record<keyof typeof cases, number[]> = {
  avroEncode: [],
  jsonEncode: [],
  avroDecode: [],
  jsonDecode: [],
};
for (const fn of Object.values(cases)) opsPerSecond(fn, 1000);
for (let r = 0; r < rounds; r += 1) {
  for (const [name, fn] of Object.entries(cases) as [
    keyof typeof cases,
    (i: number) => unknown,
  ][]) {
    results[name].push(opsPerSecond(fn, 2000));
  }
}
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<
  keyof typeof cases,
  number
>;
const bytes = {
  avro: avroBuffers.reduce((a, b) => a + b.length, 0),
  json: jsonBuffers.reduce((a, b) => a + b.length, 0),
};
console.log(
  'ops/s (median):',
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v)])),
);
console.log('bytes for one of each event type:', bytes);
report(
  'codec',
  { results, medians: m, bytes },
  {
    'decode avro/json': { value: m.avroDecode / m.jsonDecode, goal: '>= 2.5' },
    'encode avro/json': { value: m.avroEncode / m.jsonEncode, goal: '>= 1.5' },
    'bytes avro/json': { value: bytes.avro / bytes.json, goal: '<= 0.5' },
  },
);
