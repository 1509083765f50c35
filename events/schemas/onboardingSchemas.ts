import type { OnboardingEventType } from '../onboarding/events';

/**
 * Avro schemas for every onboarding event type and version: the Kafka wire format. The store keeps
 * JSON; the relay encodes with these. The mapped type below makes a missing schema a compile error,
 * and a unit test round-trips a builder instance of every event through its schema.
 *
 * Evolution rule: a new version may only add fields with defaults (or remove fields that had
 * defaults), or widen a field's type into a union holding the old type, so a reader of version
 * N+1 can resolve a record written with version N by Avro's own rules.
 */
/**
 * Privacy class of a field (README, "Privacy"): `personal` is what a person typed or where they
 * were — always a Sealed record, never clear text; `pseudonymous` identifies a person only through
 * another system (user ids); `none` holds no personal data (ids we generate, enums, codes, times).
 * Every field holding text must say which (a unit test enforces it).
 */
export type Privacy = 'personal' | 'pseudonymous' | 'none';
/**
 * How a text field travels from envelope version 2 on (`wireType`): `time`, an ISO-8601 UTC time,
 * as a `timestamp-micros` long; `uuid`, an id, as the 16-byte `Uuid` fixed. Each keeps a string
 * branch for values outside the canonical form, so every domain value round-trips exactly and a
 * v1 string resolves into the v2 union (Avro promotes a writer's string to a reader union's
 * string branch); `string` → `long` alone would not be a compatible change.
 */
export type Wire = 'time' | 'uuid';
export type AvroField = Readonly<{
  name: string;
  type: unknown;
  default?: unknown;
  doc?: string;
  privacy?: Privacy;
  wire?: Wire;
}>;
export type AvroRecordSchema = Readonly<{
  type: 'record';
  name: string;
  namespace: string;
  doc?: string;
  fields: readonly AvroField[];
}>;

const string = 'string';
/** The Avro form of events/sealed.ts: a value encrypted with its subject's key. */
export const sealedSchema = {
  type: 'record',
  name: 'Sealed',
  fields: [
    { name: 'subject', type: 'string' },
    { name: 'nonce', type: 'string' },
    { name: 'ciphertext', type: 'string' },
  ],
};
const nullableString = ['null', 'string'];
const kind = { type: 'enum', name: 'UploadKind', symbols: ['photo', 'document', 'audio'] };
const errorCategory = {
  type: 'enum',
  name: 'ErrorCategory',
  symbols: ['validation', 'network', 'database', 'llm_api', 'upload', 'other'],
};

const dataFields: { [K in OnboardingEventType]: readonly AvroField[] } = {
  SessionStarted: [
    { name: 'sessionId', type: string, privacy: 'none', wire: 'uuid' },
    { name: 'tenantId', type: string, privacy: 'none' },
    {
      name: 'userId',
      type: string,
      doc: 'pseudonymous id from the calling service',
      privacy: 'pseudonymous',
    },
    { name: 'flowId', type: string, privacy: 'none' },
    { name: 'flowVersion', type: 'int' },
    { name: 'steps', type: { type: 'array', items: string }, privacy: 'none' },
    { name: 'language', type: string, privacy: 'none' },
    { name: 'channel', type: string, privacy: 'none' },
    { name: 'userType', type: string, privacy: 'none' },
    { name: 'clientId', type: nullableString, privacy: 'none' },
  ],
  StepEntered: [
    { name: 'step', type: string, privacy: 'none' },
    { name: 'stepIndex', type: 'int' },
  ],
  StepCompleted: [
    { name: 'step', type: string, privacy: 'none' },
    { name: 'stepIndex', type: 'int' },
    { name: 'durationMs', type: ['null', 'long'] },
  ],
  QuestionAsked: [
    { name: 'step', type: string, privacy: 'none' },
    { name: 'questionId', type: string, privacy: 'none' },
  ],
  QuestionAnswered: [
    { name: 'step', type: string, privacy: 'none' },
    { name: 'questionId', type: string, privacy: 'none' },
    { name: 'answerLength', type: 'int' },
    { name: 'answer', type: ['null', sealedSchema], default: null, privacy: 'personal' },
  ],
  ErrorOccurred: [
    { name: 'step', type: nullableString, privacy: 'none' },
    { name: 'category', type: errorCategory },
    { name: 'code', type: string, privacy: 'none' },
    { name: 'retryable', type: 'boolean' },
  ],
  UploadAccepted: [
    { name: 'uploadId', type: string, privacy: 'none' },
    { name: 'kind', type: kind },
    { name: 'sizeBytes', type: 'long' },
    { name: 'contentType', type: string, privacy: 'none' },
  ],
  UploadRejected: [
    { name: 'kind', type: kind },
    { name: 'reason', type: string, privacy: 'none' },
  ],
  CheckpointSaved: [
    { name: 'checkpointVersion', type: 'int' },
    { name: 'checkpointHash', type: string, privacy: 'none' },
    { name: 'clientState', type: string, default: '', privacy: 'none' },
    { name: 'dataVersion', type: 'int', default: 0 },
    { name: 'data', type: ['null', sealedSchema], default: null, privacy: 'personal' },
    { name: 'sizeBytes', type: 'long', default: 0 },
  ],
  SessionResumed: [{ name: 'fromCheckpointVersion', type: ['null', 'int'] }],
  RateLimitHit: [{ name: 'resource', type: string, privacy: 'none' }],
  SessionCompleted: [],
  SessionCancelled: [{ name: 'reason', type: string, privacy: 'none' }],
  SessionAbandoned: [
    { name: 'reason', type: string, privacy: 'none' },
    { name: 'idleSeconds', type: 'long' },
    // Version 2: when the abandonment was detected (`at` is the event time of the end).
    { name: 'detectedAt', type: nullableString, default: null, privacy: 'none', wire: 'time' },
  ],
};

/** Data fields of earlier versions still on the wire (all with envelope version 1). */
const olderDataFields: readonly Readonly<{
  type: OnboardingEventType;
  version: number;
  fields: readonly AvroField[];
}>[] = [
  {
    type: 'SessionAbandoned',
    version: 1,
    fields: dataFields.SessionAbandoned.filter((f) => f.name !== 'detectedAt'),
  },
];

/**
 * Envelope fields every Kafka value carries, so consumers need no store lookup. `eventId` has been
 * the `Uuid` fixed since version 1 (the store's ids are UUIDs, the codec refuses others); the
 * `uuid` logical type only tells readers how to show it and is not part of the fingerprint.
 */
const envelopeFields: readonly AvroField[] = [
  {
    name: 'eventId',
    type: { type: 'fixed', name: 'Uuid', size: 16, logicalType: 'uuid' },
    doc: 'UUID as 16 bytes',
  },
  { name: 'sessionId', type: string, privacy: 'none', wire: 'uuid' },
  { name: 'streamPosition', type: 'long' },
  { name: 'globalPosition', type: 'long' },
  { name: 'recordedAt', type: string, privacy: 'none', wire: 'time' },
  { name: 'correlationId', type: string, privacy: 'none', wire: 'uuid' },
  { name: 'causationId', type: nullableString, default: null, privacy: 'none', wire: 'uuid' },
  { name: 'tenantId', type: string, privacy: 'none' },
  { name: 'actor', type: string, privacy: 'pseudonymous' },
];

/**
 * Envelope versions: 1 wrote every field as declared (text as strings); 2 writes `wire` fields
 * as longs and fixed. The string branches carry a logical type of their own only so that the
 * codec can tell them from the canonical branch when it writes (avsc picks a branch by value).
 */
export type EnvelopeVersion = 1 | 2;
export const currentEnvelopeVersion: EnvelopeVersion = 2;
const wireBranches: Readonly<Record<Wire, readonly unknown[]>> = {
  time: [
    { type: 'long', logicalType: 'timestamp-micros' },
    { type: 'string', logicalType: 'waymark-time-text' },
  ],
  uuid: ['Uuid', { type: 'string', logicalType: 'waymark-id-text' }],
};
const wireType = (field: AvroField, version: EnvelopeVersion): unknown => {
  if (version === 1 || field.wire === undefined) return field.type;
  const branches = wireBranches[field.wire];
  return field.type === string ? branches : ['null', ...branches];
};
const onWire = (fields: readonly AvroField[], version: EnvelopeVersion): AvroField[] =>
  fields.map((f) => ({ ...f, type: wireType(f, version) }));

export const eventSchemaNamespace = 'waymark.onboarding.v1';

const recordSchema = (
  type: OnboardingEventType,
  fields: readonly AvroField[],
  version: EnvelopeVersion,
): AvroRecordSchema => ({
  type: 'record',
  name: type,
  namespace: eventSchemaNamespace,
  fields: [
    ...onWire(envelopeFields, version),
    {
      name: 'data',
      type: {
        type: 'record',
        name: `${type}Data`,
        fields: onWire(
          [...fields, { name: 'at', type: string, privacy: 'none', wire: 'time' }],
          version,
        ),
      },
    },
  ],
});

/** The writer schema of each event type's current version. */
export const eventSchema = (type: OnboardingEventType): AvroRecordSchema =>
  recordSchema(type, dataFields[type], currentEnvelopeVersion);

/**
 * Writer schemas of earlier versions, which the codec keeps reading (values already in Kafka):
 * every type's last envelope-1 schema (text as strings), and the data versions before it.
 */
export const olderEventSchemas = (): readonly AvroRecordSchema[] => [
  ...olderDataFields.map((o) => recordSchema(o.type, o.fields, 1)),
  ...(Object.keys(dataFields) as OnboardingEventType[]).map((t) =>
    recordSchema(t, dataFields[t], 1),
  ),
];

export const currentSchemaVersion = (type: OnboardingEventType): number =>
  1 + olderEventSchemas().filter((o) => o.name === type).length;

/** The fields of an event type that hold personal data (sealed): what replay and logs mask. */
export const personalFields = (type: OnboardingEventType): readonly string[] =>
  dataFields[type].filter((f) => f.privacy === 'personal').map((f) => f.name);
