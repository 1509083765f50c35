import { CodedError } from '../../events/codedError';
import avro from 'avsc';
import type { EventMetadata, RecordedEvent } from '../../events/envelope';
import { onboardingEventTypes, type OnboardingEventType } from '../../events/onboarding/events';
import {
  eventSchema,
  olderEventSchemas,
  type AvroRecordSchema,
} from '../../events/schemas/onboardingSchemas';
import { streamId } from '../../events/streamNames';
import { onboardingStream } from '../../events/streamNames';
import { isCanonicalUuid, logicalTypes } from './avroLogicalTypes';
import { createTaps } from './avroTap';
import { wireUnionHook } from './avroWireUnion';
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

/**
 * Plain objects for records (no generated methods): faster to build and to read. The logical
 * types turn `timestamp-micros` and the `Uuid` fixed into the domain's ISO and UUID strings;
 * the hook writes their unions with one branch check instead of avsc's several.
 */
const typeOptions = (): avro.ForSchemaOptions =>
  ({
    omitRecordMethods: true,
    logicalTypes,
    typeHook: wireUnionHook,
  }) as unknown as avro.ForSchemaOptions;

const writerFor = (eventType: OnboardingEventType, schema: AvroRecordSchema): Writer => {
  const type = avro.Type.forSchema(schema as avro.Schema, typeOptions());
  // schema() leaves logicalType out, as Avro's canonical form does: the fingerprint is the bytes'.
  const canonical = JSON.stringify(type.schema());
  const fp = fingerprintBytes(rabinFingerprint(Buffer.from(canonical, 'utf8')));
  return { eventType, type, fingerprint: fp.toString('hex'), prefix: Buffer.concat([marker, fp]) };
};

/** The store's ids are lower-case UUIDs; any other case is accepted and comes back lower-case. */
const eventIdOf = (id: string): string => {
  if (isCanonicalUuid(id)) return id;
  const lower = id.toLowerCase();
  if (isCanonicalUuid(lower)) return lower;
  throw new UnknownSchemaError('event id is not a UUID');
};

/** Writers by fingerprint, looked up by its two 32-bit halves: no Buffer or string per decode. */
type WriterIndex = Map<number, { low: number; writer: Writer }[]>;
const word = (b: Buffer, at: number): number =>
  (((b[at] as number) << 24) |
    ((b[at + 1] as number) << 16) |
    ((b[at + 2] as number) << 8) |
    (b[at + 3] as number)) >>>
  0;
const addWriter = (index: WriterIndex, writer: Writer): void => {
  const high = word(writer.prefix, 2);
  const low = word(writer.prefix, 6);
  const same = (index.get(high) ?? []).filter((w) => w.low !== low);
  index.set(high, [...same, { low, writer }]);
};
const findWriter = (index: WriterIndex, value: Buffer): Writer | undefined => {
  const candidates = index.get(word(value, 2));
  if (candidates === undefined) return undefined;
  const low = word(value, 6);
  for (const c of candidates) if (c.low === low) return c.writer;
  return undefined;
};

type Resolver = ReturnType<avro.Type['createResolver']>;
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
  const byFingerprint: WriterIndex = new Map();
  for (const schema of [...olderEventSchemas(), ...(options.olderWriters ?? [])]) {
    addWriter(byFingerprint, writerFor(schema.name as OnboardingEventType, schema));
  }
  for (const w of current.values()) addWriter(byFingerprint, w);
  const readers = new Map<OnboardingEventType, avro.Type>(
    onboardingEventTypes.map((t) => {
      const schema = options.readers?.[t];
      return [
        t,
        schema
          ? avro.Type.forSchema(schema as avro.Schema, typeOptions())
          : (current.get(t) as Writer).type,
      ];
    }),
  );
  // Upcasting is Avro resolution: older writers resolve into the reader (defaults for added
  // fields, a v1 string into its union's string branch). One resolver per writer, made on first use.
  const resolvers = new Map<Writer, Resolver>();
  const resolverFor = (writer: Writer, reader: avro.Type): Resolver => {
    let resolver = resolvers.get(writer);
    if (resolver === undefined) {
      resolver = reader.createResolver(writer.type);
      resolvers.set(writer, resolver);
    }
    return resolver;
  };

  // Values are encoded in place into a slab and handed out as views of it (as Buffer.allocUnsafe
  // does with its pool): no copy per value. A value that does not fit starts a new slab.
  const slabSize = 64 * 1024;
  let slab = Buffer.allocUnsafe(slabSize);
  let used = 0;
  const taps = createTaps();

  const encode = (event: RecordedEvent): EncodedEvent => {
    const writer = current.get(event.type as OnboardingEventType);
    if (!writer) throw new UnknownSchemaError(`no Avro schema for event type ${event.type}`);
    const record = {
      eventId: eventIdOf(event.eventId),
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
    let start = used;
    let end = taps.write(writer.type, record, slab, start + headerLength);
    if (end < 0) {
      slab = Buffer.allocUnsafe(Math.max(slabSize, slab.length - start - end));
      start = 0;
      end = taps.write(writer.type, record, slab, headerLength);
    }
    for (let k = 0; k < headerLength; k += 1) slab[start + k] = writer.prefix[k] as number;
    used = end;
    const value = slab.subarray(start, end);
    return { value, fingerprint: writer.fingerprint };
  };

  const decode = (value: Buffer): RecordedEvent => {
    if (value.length < headerLength || value[0] !== 0xc3 || value[1] !== 0x01) {
      throw new UnknownSchemaError('value is not Avro single-object encoded');
    }
    const writer = findWriter(byFingerprint, value);
    if (!writer) {
      const fingerprint = value.toString('hex', 2, headerLength);
      throw new UnknownSchemaError(`unknown writer schema ${fingerprint}`);
    }
    const reader = readers.get(writer.eventType) ?? writer.type;
    const record = taps.read(
      reader === writer.type ? reader : resolverFor(writer, reader),
      value,
      headerLength,
    ) as AvroValue | undefined;
    if (record === undefined) throw new UnknownSchemaError('truncated or trailing Avro value');
    const correlationId = record.correlationId as string;
    const tenantId = record.tenantId as string;
    const actor = record.actor as string;
    const causationId = record.causationId;
    const metadata: EventMetadata =
      typeof causationId === 'string'
        ? { correlationId, tenantId, actor, causationId }
        : { correlationId, tenantId, actor };
    return {
      eventId: record.eventId as string,
      streamName: onboardingStream(record.sessionId as string),
      type: writer.eventType,
      streamPosition: record.streamPosition as number,
      globalPosition: record.globalPosition as number,
      recordedAt: record.recordedAt as string,
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
