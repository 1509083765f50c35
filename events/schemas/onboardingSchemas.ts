import type { OnboardingEventType } from '../onboarding/events';

/**
 * Avro schemas for every onboarding event type and version: the Kafka wire format. The store keeps
 * JSON; the relay encodes with these. The mapped type below makes a missing schema a compile error,
 * and a unit test round-trips a builder instance of every event through its schema.
 *
 * Evolution rule: a new version may only add fields with defaults (or remove fields that had
 * defaults), so a reader of version N+1 can resolve a record written with version N.
 */
export type AvroField = Readonly<{ name: string; type: unknown; default?: unknown; doc?: string }>;
export type AvroRecordSchema = Readonly<{
  type: 'record';
  name: string;
  namespace: string;
  doc?: string;
  fields: readonly AvroField[];
}>;

const string = 'string';
const nullableString = ['null', 'string'];
const kind = { type: 'enum', name: 'UploadKind', symbols: ['photo', 'document', 'audio'] };
const errorCategory = {
  type: 'enum',
  name: 'ErrorCategory',
  symbols: ['validation', 'network', 'database', 'llm_api', 'upload', 'other'],
};

const dataFields: { [K in OnboardingEventType]: readonly AvroField[] } = {
  SessionStarted: [
    { name: 'sessionId', type: string },
    { name: 'tenantId', type: string },
    { name: 'userId', type: string, doc: 'pseudonymous id from the calling service' },
    { name: 'flowId', type: string },
    { name: 'flowVersion', type: 'int' },
    { name: 'steps', type: { type: 'array', items: string } },
    { name: 'language', type: string },
    { name: 'channel', type: string },
    { name: 'userType', type: string },
    { name: 'clientId', type: nullableString },
  ],
  StepEntered: [
    { name: 'step', type: string },
    { name: 'stepIndex', type: 'int' },
  ],
  StepCompleted: [
    { name: 'step', type: string },
    { name: 'stepIndex', type: 'int' },
    { name: 'durationMs', type: ['null', 'long'] },
  ],
  QuestionAsked: [
    { name: 'step', type: string },
    { name: 'questionId', type: string },
  ],
  QuestionAnswered: [
    { name: 'step', type: string },
    { name: 'questionId', type: string },
    { name: 'answerLength', type: 'int' },
  ],
  ErrorOccurred: [
    { name: 'step', type: nullableString },
    { name: 'category', type: errorCategory },
    { name: 'code', type: string },
    { name: 'retryable', type: 'boolean' },
  ],
  UploadAccepted: [
    { name: 'uploadId', type: string },
    { name: 'kind', type: kind },
    { name: 'sizeBytes', type: 'long' },
    { name: 'contentType', type: string },
  ],
  UploadRejected: [
    { name: 'kind', type: kind },
    { name: 'reason', type: string },
  ],
  CheckpointSaved: [
    { name: 'checkpointVersion', type: 'int' },
    { name: 'checkpointHash', type: string },
  ],
  SessionResumed: [{ name: 'fromCheckpointVersion', type: ['null', 'int'] }],
  SessionCompleted: [],
  SessionCancelled: [{ name: 'reason', type: string }],
  SessionAbandoned: [
    { name: 'reason', type: string },
    { name: 'idleSeconds', type: 'long' },
  ],
};

/** Envelope fields every Kafka value carries, so consumers need no store lookup. */
const envelopeFields: readonly AvroField[] = [
  { name: 'eventId', type: { type: 'fixed', name: 'Uuid', size: 16 }, doc: 'UUID as 16 bytes' },
  { name: 'sessionId', type: string },
  { name: 'streamPosition', type: 'long' },
  { name: 'globalPosition', type: 'long' },
  { name: 'recordedAt', type: string },
  { name: 'correlationId', type: string },
  { name: 'causationId', type: nullableString, default: null },
  { name: 'tenantId', type: string },
  { name: 'actor', type: string },
];

export const eventSchemaNamespace = 'waymark.onboarding.v1';

/** The writer schema of each event type's current version (version 1 for all today). */
export const eventSchema = (type: OnboardingEventType): AvroRecordSchema => ({
  type: 'record',
  name: type,
  namespace: eventSchemaNamespace,
  fields: [
    ...envelopeFields,
    {
      name: 'data',
      type: {
        type: 'record',
        name: `${type}Data`,
        fields: [...dataFields[type], { name: 'at', type: string }],
      },
    },
  ],
});

export const currentSchemaVersion = (_type: OnboardingEventType): number => 1;
