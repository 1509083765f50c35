import type { RecordedEvent } from '../../../events/envelope';
import { onboardingEventTypes } from '../../../events/onboarding/events';
import avro from 'avsc';
import {
  eventSchema,
  olderEventSchemas,
  type AvroRecordSchema,
} from '../../../events/schemas/onboardingSchemas';
import { createAvroCodec, UnknownSchemaError } from '../../../infra/kafka/avroCodec';
import { fingerprintBytes, rabinFingerprint } from '../../../infra/kafka/rabinFingerprint';
import { oneOfEach } from '../../support/builders/onboarding';

const sessionId = '9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11';
const recorded = (): RecordedEvent[] =>
  oneOfEach().map((e, i) => ({
    ...e,
    eventId: `00000000-0000-4000-8000-00000000000${i % 10}`,
    streamName: `onboarding-${sessionId}`,
    streamPosition: i,
    globalPosition: 1000 + i,
    recordedAt: '2026-01-05T10:00:00.000Z',
    metadata: {
      correlationId: 'corr',
      tenantId: 'tenant-a',
      actor: 'user:u1',
      ...(i % 2 ? { causationId: 'cause' } : {}),
    },
  }));

describe('Avro codec', () => {
  const codec = createAvroCodec();

  it('has a builder instance for every event type (the schemas and the union stay in step)', () => {
    expect(new Set(oneOfEach().map((e) => e.type))).toEqual(new Set(onboardingEventTypes));
  });

  it('round-trips every event type through its schema', () => {
    for (const event of recorded()) expect(codec.decode(codec.encode(event).value)).toEqual(event);
  });

  it('uses single-object encoding: C3 01 + the CRC-64-AVRO fingerprint of the writer schema', () => {
    const event = recorded()[0] as RecordedEvent;
    const { value, fingerprint } = codec.encode(event);
    expect([value[0], value[1]]).toEqual([0xc3, 0x01]);
    expect(value.subarray(2, 10).toString('hex')).toBe(fingerprint);
    expect(codec.fingerprintOf('SessionStarted')).toBe(fingerprint);
    expect(new Set(onboardingEventTypes.map((t) => codec.fingerprintOf(t))).size).toBe(
      onboardingEventTypes.length,
    );
  });

  it('computes the Rabin fingerprint of the Avro specification ("null" schema)', () => {
    // CRC-64-AVRO of the canonical form "null", as published with the Avro test vectors.
    expect(rabinFingerprint(Buffer.from('"null"')).toString(16)).toBe('63dd24e7cc258f8a');
  });

  it('is smaller than JSON for a typical event', () => {
    const event = recorded()[0] as RecordedEvent;
    expect(codec.encode(event).value.length).toBeLessThan(
      Buffer.from(JSON.stringify(event)).length / 2,
    );
  });

  it('lets a v2 reader resolve a record written with the v1 schema (evolution by defaulted fields)', () => {
    const v1 = eventSchema('SessionStarted');
    const data = v1.fields.find((f) => f.name === 'data')?.type as AvroRecordSchema;
    const v2: AvroRecordSchema = {
      ...v1,
      fields: v1.fields.map((f) =>
        f.name === 'data'
          ? {
              ...f,
              type: {
                ...data,
                fields: [
                  ...data.fields,
                  { name: 'referrer', type: ['null', 'string'], default: null },
                ],
              },
            }
          : f,
      ),
    };
    const reader = createAvroCodec({ readers: { SessionStarted: v2 } });
    const event = recorded()[0] as RecordedEvent;
    const decoded = reader.decode(codec.encode(event).value);
    expect(decoded.data).toEqual({ ...(event.data as object), referrer: null });
  });

  it('reads SessionAbandoned values written before detectedAt existed (its v1 schema), as null', () => {
    const v1 = olderEventSchemas().find((x) => x.name === 'SessionAbandoned');
    const type = avro.Type.forSchema(v1 as avro.Schema);
    const fp = fingerprintBytes(rabinFingerprint(Buffer.from(JSON.stringify(type.schema()))));
    const event = recorded().find((e) => e.type === 'SessionAbandoned') as RecordedEvent;
    const dataV1 = { ...(event.data as Record<string, unknown>) };
    delete dataV1.detectedAt;
    const body = type.toBuffer({
      eventId: Buffer.from(event.eventId.replaceAll('-', ''), 'hex'),
      sessionId,
      streamPosition: event.streamPosition,
      globalPosition: event.globalPosition,
      recordedAt: event.recordedAt,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId ?? null,
      tenantId: event.metadata.tenantId,
      actor: event.metadata.actor,
      data: dataV1,
    });
    const decoded = codec.decode(Buffer.concat([Buffer.from([0xc3, 0x01]), fp, body]));
    expect(decoded.data).toEqual({ ...dataV1, detectedAt: null });
    expect(codec.fingerprintOf('SessionAbandoned')).not.toBe(fp.toString('hex'));
  });

  it('refuses values that are not single-object encoded or name an unknown schema', () => {
    expect(() => codec.decode(Buffer.from('{"json":true}'))).toThrow(UnknownSchemaError);
    expect(() => codec.decode(Buffer.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0]))).toThrow(
      UnknownSchemaError,
    );
  });
});
