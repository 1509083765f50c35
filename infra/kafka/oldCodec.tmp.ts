import { CodedError } from '../../events/codedError';
import avro from 'avsc';
import type { EventMetadata, RecordedEvent } from '../../events/envelope';
import { onboardingEventTypes, type OnboardingEventType } from '../../events/onboarding/events';
import {
  eventSchema,
  olderEventSchemas,
  type AvroRecordSchema,
} from '../../events/schemas/oldSchemas.tmp';
import { streamId } from '../../events/streamNames';
import { onboardingStream } from '../../events/streamNames';
import { fingerprintBytes, rabinFingerprint } from './rabinFingerprint';

/** Single-object encoding marker (Avro spec): 0xC3 0x01, then the 8-byte schema fingerprint. */
const marker = Buffer.from([0xc3, 0x01]);
const headerLength = 10;

/** A value this codec cannot read (not single-object encoded, or an unknown writer schema). */
export class UnknownSchemaError extends CodedError {
  constructor(message: string) {
    super({ code: 'unknown_schema', category: 'decode' }, message);
  }
}

type Writer = Readonly<{
  eventType: OnboardingEventType;
  type: avro.Type;
  fingerprint: string;
  prefix: Buffer;
}>;

/** Plain objects for records (no generated methods): faster to build and to read. */
const typeOptions = (): avro.ForSchemaOptions =>
  ({ omitRecordMethods: true }) as avro.ForSchemaOptions;

const writerFor = (eventType: OnboardingEventType, schema: AvroRecordSchema): Writer => {
  const type = avro.Type.forSchema(schema as avro.Schema, typeOptions());
  const canonical = JSON.stringify(type.schema());
  const fp = fingerprintBytes(rabinFingerprint(Buffer.from(canonical, 'utf8')));
  return { eventType, type, fingerprint: fp.toString('hex'), prefix: Buffer.concat([marker, fp]) };
};

const uuidToBytes = (uuid: string): Buffer => {
  const bytes = Buffer.from(uuid.replaceAll('-', ''), 'hex');
  if (bytes.length !== 16 || uuid.length !== 36)
    throw new UnknownSchemaError('event id is not a UUID');
  return bytes;
};
const bytesToUuid = (bytes: Buffer): string => {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

type AvroValue = Record<string, unknown> & { data: Record<string, unknown> };

export type EncodedEvent = Readonly<{ value: Buffer; fingerprint: string }>;

/**
 * Avro codec for Kafka values, with single-object encoding: every value names its writer schema
 * by fingerprint, so a consumer resolves it from the schemas it knows without a registry. Readers
 * may be newer versions: a record written with an older schema is resolved into the reader's.
 */
export const createAvroCodec = (
  options: Readonly<{
    readers?: Partial<Record<OnboardingEventType, AvroRecordSchema>>;
    olderWriters?: readonly AvroRecordSchema[];
  }> = {},
) => {
  const current = new Map(onboardingEventTypes.map((t) => [t, writerFor(t, eventSchema(t))]));
  const byFingerprint = new Map<string, Writer>(
    [...current.values()].map((w) => [w.fingerprint, w]),
  );
  for (const schema of [...olderEventSchemas(), ...(options.olderWriters ?? [])]) {
    const w = writerFor(schema.name as OnboardingEventType, schema);
    byFingerprint.set(w.fingerprint, w);
  }
  const readers = new Map<OnboardingEventType, avro.Type>(
    onboardingEventTypes.map((t) => {
      const schema = options.readers?.[t];
      return [
        t,
        schema ? avro.Type.forSchema(schema as avro.Schema) : (current.get(t) as Writer).type,
      ];
    }),
  );

  // One scratch buffer per codec: encode in place after the 10-byte header, then copy out once.
  let scratch = Buffer.allocUnsafe(64 * 1024);

  const encode = (event: RecordedEvent): EncodedEvent => {
    const writer = current.get(event.type as OnboardingEventType);
    if (!writer) throw new UnknownSchemaError(`no Avro schema for event type ${event.type}`);
    const record = {
      eventId: uuidToBytes(event.eventId),
      sessionId: streamId(event.streamName),
      streamPosition: event.streamPosition,
      globalPosition: event.globalPosition,
      recordedAt: event.recordedAt,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId ?? null,
      tenantId: event.metadata.tenantId,
      actor: event.metadata.actor,
      data: event.data,
    };
    let end = writer.type.encode(record, scratch, headerLength);
    if (end < 0) {
      scratch = Buffer.allocUnsafe(scratch.length - end + headerLength);
      end = writer.type.encode(record, scratch, headerLength);
    }
    writer.prefix.copy(scratch, 0);
    return { value: Buffer.from(scratch.subarray(0, end)), fingerprint: writer.fingerprint };
  };

  const decode = (value: Buffer): RecordedEvent => {
    if (value.length < headerLength || value[0] !== 0xc3 || value[1] !== 0x01) {
      throw new UnknownSchemaError('value is not Avro single-object encoded');
    }
    const fingerprint = value.subarray(2, headerLength).toString('hex');
    const writer = byFingerprint.get(fingerprint);
    if (!writer) throw new UnknownSchemaError(`unknown writer schema ${fingerprint}`);
    const reader = readers.get(writer.eventType) ?? writer.type;
    const body = value.subarray(headerLength);
    const record = (
      reader === writer.type
        ? reader.fromBuffer(body)
        : reader.fromBuffer(body, reader.createResolver(writer.type))
    ) as AvroValue;
    const metadata: EventMetadata = {
      correlationId: String(record.correlationId),
      tenantId: String(record.tenantId),
      actor: String(record.actor),
      ...(typeof record.causationId === 'string' ? { causationId: record.causationId } : {}),
    };
    return {
      eventId: bytesToUuid(record.eventId as Buffer),
      streamName: onboardingStream(String(record.sessionId)),
      type: writer.eventType,
      streamPosition: Number(record.streamPosition),
      globalPosition: Number(record.globalPosition),
      recordedAt: String(record.recordedAt),
      metadata,
      data: record.data,
    };
  };

  return {
    encode,
    decode,
    fingerprintOf: (type: OnboardingEventType) => current.get(type)?.fingerprint,
  };
};

export type AvroCodec = ReturnType<typeof createAvroCodec>;
