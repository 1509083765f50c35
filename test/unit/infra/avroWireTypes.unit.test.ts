import avro from 'avsc';
import fc from 'fast-check';
import type { RecordedEvent } from '../../../events/envelope';
import { onboardingEventTypes } from '../../../events/onboarding/events';
import {
  eventSchema,
  olderEventSchemas,
  type AvroRecordSchema,
} from '../../../events/schemas/onboardingSchemas';
import { createAvroCodec, UnknownSchemaError } from '../../../infra/kafka/avroCodec';
import { logicalTypes } from '../../../infra/kafka/avroLogicalTypes';
import { wireUnionHook } from '../../../infra/kafka/avroWireUnion';
import { fingerprintBytes, rabinFingerprint } from '../../../infra/kafka/rabinFingerprint';
import { oneOfEach } from '../../support/builders/onboarding';

/**
 * Envelope version 2 (timestamp-micros longs, the Uuid fixed, each with a string branch) and the
 * values version 1 left on Kafka topics. A v1 value is built here the way the v1 codec wrote it:
 * plain avsc, no logical types, text as strings, the event id as 16 bytes.
 */
const sessionId = '9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11';
const recorded = (): RecordedEvent[] =>
  oneOfEach().map((e, i) => ({
    ...e,
    eventId: `6f1c2d3e-4b5a-4c6d-8e7f-${String(100000000000 + i)}`,
    streamName: `onboarding-${sessionId}`,
    streamPosition: i,
    globalPosition: 1000 + i,
    recordedAt: i % 2 ? '2026-01-05T10:00:00.123456Z' : '2026-01-05T10:00:00.123Z',
    metadata: {
      correlationId: i % 3 ? '1b7f0a52-3c1e-4e55-9d8c-0f3f8c1a2b3c' : 'corr-from-a-client',
      tenantId: 'tenant-a',
      actor: 'user:u1',
      ...(i % 2 ? { causationId: '3f0e3c1a-2b3c-4d5e-8f70-0a1b2c3d4e5f' } : {}),
    },
  }));

const plain = (schema: AvroRecordSchema) => avro.Type.forSchema(schema as avro.Schema);
const fingerprintOf = (type: avro.Type) =>
  fingerprintBytes(rabinFingerprint(Buffer.from(JSON.stringify(type.schema()))));
const envelopeRecord = (event: RecordedEvent, eventId: unknown) => ({
  eventId,
  sessionId: event.streamName.slice('onboarding-'.length),
  streamPosition: event.streamPosition,
  globalPosition: event.globalPosition,
  recordedAt: event.recordedAt,
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId ?? null,
  tenantId: event.metadata.tenantId,
  actor: event.metadata.actor,
  data: event.data,
});
/** The last envelope-1 schema of a type: the one with the current data fields. */
const v1SchemaOf = (type: string): AvroRecordSchema => {
  const names = (s: AvroRecordSchema) =>
    JSON.stringify(
      (s.fields.find((f) => f.name === 'data')?.type as AvroRecordSchema).fields.map((f) => f.name),
    );
  const current = names(eventSchema(type as 'SessionStarted'));
  return olderEventSchemas().find(
    (s) => s.name === type && names(s) === current,
  ) as AvroRecordSchema;
};
const v1Value = (event: RecordedEvent): Buffer => {
  const type = plain(v1SchemaOf(event.type));
  const body = type.toBuffer(
    envelopeRecord(event, Buffer.from(event.eventId.replaceAll('-', ''), 'hex')),
  );
  return Buffer.concat([Buffer.from([0xc3, 0x01]), fingerprintOf(type), body]);
};
/** What a reader without Waymark's logical types sees in a v2 value. */
const onTheWire = (codec: ReturnType<typeof createAvroCodec>, event: RecordedEvent) =>
  plain(eventSchema(event.type as 'SessionStarted')).fromBuffer(
    codec.encode(event).value.subarray(10),
  ) as Record<string, unknown> & { data: Record<string, unknown> };

describe('Avro envelope version 2 and the version-1 values already on Kafka', () => {
  const codec = createAvroCodec();

  it('keeps the fingerprints of the version-1 schemas that values on the topics carry', () => {
    // Fingerprints of the schemas the v1 codec wrote with (main before envelope 2): a change here
    // would make every stored value unreadable, so they are pinned, not recomputed.
    const published: Record<string, string> = {
      SessionStarted: '5d66ccfdb551c9ca',
      StepEntered: '27c7d585e5207350',
      StepCompleted: '663f12f9bc90027c',
      QuestionAsked: '961fa8be4592b53b',
      QuestionAnswered: '372344c34f9eb644',
      ErrorOccurred: '21f510f71b85b00e',
      UploadAccepted: 'dc8c587b35c7b13d',
      UploadRejected: '5c9bfef2d8c2a358',
      CheckpointSaved: 'e0f0ea131466d542',
      SessionResumed: '0ac2d6d7eb3d4904',
      RateLimitHit: '3802633fe1872260',
      SessionCompleted: '2bdd639d83aaad4e',
      SessionCancelled: 'a512eb8fd5c9009e',
      SessionAbandoned: 'f9153d63458c0534',
    };
    for (const t of onboardingEventTypes) {
      expect(fingerprintOf(plain(v1SchemaOf(t))).toString('hex')).toBe(published[t]);
      expect(codec.fingerprintOf(t)).not.toBe(published[t]);
    }
  });

  it('decodes a version-1 value to the same domain event as the version-2 value', () => {
    for (const event of recorded()) {
      const v1 = v1Value(event);
      const v2 = codec.encode(event).value;
      expect(codec.decode(v1)).toEqual(event);
      expect(codec.decode(v2)).toEqual(codec.decode(v1));
      expect(v2.length).toBeLessThan(v1.length);
    }
  });

  it('writes canonical times as timestamp-micros and canonical UUIDs as 16 bytes', () => {
    const [ms, micros] = recorded() as [RecordedEvent, RecordedEvent];
    const wireMs = onTheWire(codec, ms);
    expect(wireMs.recordedAt).toBe(Date.parse(ms.recordedAt) * 1000);
    expect(wireMs.data.at).toBe(Date.parse((ms.data as { at: string }).at) * 1000);
    expect(onTheWire(codec, micros).recordedAt).toBe(Date.parse(micros.recordedAt) * 1000 + 456);
    expect(wireMs.sessionId).toEqual(Buffer.from(sessionId.replaceAll('-', ''), 'hex'));
    expect(wireMs.correlationId).toBe('corr-from-a-client'); // not a UUID: the string branch
    expect(wireMs.data.sessionId).toBeInstanceOf(Buffer);
  });

  it.each([
    ['microseconds ending in 000 (would come back as milliseconds)', '2026-01-05T10:00:00.120000Z'],
    ['an offset', '2026-01-05T12:00:00.123+02:00'],
    ['nanoseconds', '2026-01-05T10:00:00.123456789Z'],
    ['no fraction', '2026-01-05T10:00:00Z'],
    ['an impossible day', '2026-02-30T10:00:00.000Z'],
    ['a year past 2112 (microseconds beyond 2^52)', '2113-01-01T00:00:00.000Z'],
    ['a year before 1828', '1800-01-01T00:00:00.000Z'],
  ])('keeps a time with %s as a string, unchanged', (_what, recordedAt) => {
    const event = { ...(recorded()[0] as RecordedEvent), recordedAt };
    expect(onTheWire(codec, event).recordedAt).toBe(recordedAt);
    expect(codec.decode(codec.encode(event).value)).toEqual(event);
  });

  it('round-trips any millisecond or microsecond time of 1828–2112 exactly (|µs| < 2^52)', () => {
    const us = fc.integer({ min: 1 - 2 ** 52, max: 2 ** 52 - 1 });
    fc.assert(
      fc.property(us, us, (a, b) => {
        const iso = (u: number) => {
          const base = new Date(Math.floor(u / 1000)).toISOString();
          const sub = u - Math.floor(u / 1000) * 1000;
          return sub === 0 ? base : `${base.slice(0, 23)}${String(sub).padStart(3, '0')}Z`;
        };
        const event = recorded()[1] as RecordedEvent;
        const data = { ...(event.data as object), at: iso(b) };
        const e = { ...event, recordedAt: iso(a), data };
        expect(codec.decode(codec.encode(e).value)).toEqual(e);
        expect(onTheWire(codec, e).recordedAt).toBe(a);
      }),
    );
  });

  it('keeps ids that are not lower-case UUIDs as strings, and refuses an event id that is none', () => {
    const event = recorded()[0] as RecordedEvent;
    const upper = {
      ...event,
      metadata: { ...event.metadata, correlationId: sessionId.toUpperCase() },
    };
    expect(onTheWire(codec, upper).correlationId).toBe(sessionId.toUpperCase());
    expect(codec.decode(codec.encode(upper).value)).toEqual(upper);
    const legacy = { ...event, streamName: 'onboarding-legacy-7' };
    expect(codec.decode(codec.encode(legacy).value)).toEqual(legacy);
    expect(() => codec.encode({ ...event, eventId: 'not-a-uuid' })).toThrow(UnknownSchemaError);
    const shouting = { ...event, eventId: event.eventId.toUpperCase() };
    expect(codec.decode(codec.encode(shouting).value).eventId).toBe(event.eventId);
  });

  it('decodes strings right when they change from one value to the next (the string cache)', () => {
    const text = fc.string({ maxLength: 40, unit: 'grapheme' });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 30 }), (pairs) => {
        const base = recorded()[0] as RecordedEvent;
        const events = pairs.map(([tenantId, actor], i) => ({
          ...base,
          streamPosition: i,
          metadata: { ...base.metadata, tenantId, actor },
        }));
        const values = events.map((e) => codec.encode(e).value);
        values.forEach((v, i) => expect(codec.decode(v)).toEqual(events[i]));
      }),
    );
  });

  it('writes with its wire unions the same bytes as the unions of avsc', () => {
    const odd = (e: RecordedEvent, i: number): RecordedEvent => ({
      ...e,
      recordedAt: i % 2 ? '2026-01-05T12:00:00+02:00' : e.recordedAt,
      streamName: i % 3 ? e.streamName : 'onboarding-legacy-7',
    });
    for (const [i, event] of recorded()
      .flatMap((e, k) => [e, odd(e, k)])
      .entries()) {
      const schema = eventSchema(event.type as 'SessionStarted') as avro.Schema;
      const withHook = avro.Type.forSchema(schema, {
        logicalTypes,
        typeHook: wireUnionHook,
      });
      const without = avro.Type.forSchema(schema, {
        logicalTypes,
      });
      const record = envelopeRecord(event, event.eventId);
      expect({ i, bytes: withHook.toBuffer(record) }).toEqual({
        i,
        bytes: without.toBuffer(record),
      });
      const field = (withHook as unknown as { fields: { type: avro.Type }[] }).fields[1];
      expect(field?.type.constructor.name).toBe('WireUnion'); // the hook is in use
    }
  });

  it('refuses a truncated value or one with trailing bytes', () => {
    const value = codec.encode(recorded()[0] as RecordedEvent).value;
    expect(() => codec.decode(value.subarray(0, value.length - 1))).toThrow(UnknownSchemaError);
    expect(() => codec.decode(Buffer.concat([value, Buffer.from([0])]))).toThrow(
      UnknownSchemaError,
    );
  });
});
