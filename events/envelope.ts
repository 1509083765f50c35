/**
 * The shapes every event and command travels in. `data` and `metadata` are plain JSON values
 * (timestamps as ISO strings) so the same value survives the jsonb store, Avro and the read side.
 */
export type Event<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Data;
}>;

/** Who caused an event and why: carried from the HTTP request to the store and Kafka headers. */
export type EventMetadata = Readonly<{
  correlationId: string;
  causationId?: string;
  tenantId: string;
  actor: string;
}>;

/** An event as the store recorded it. `streamPosition` starts at 0 for the stream's first event. */
export type RecordedEvent<E extends Event = Event> = E &
  Readonly<{
    eventId: string;
    streamName: string;
    streamPosition: number;
    globalPosition: number;
    recordedAt: string;
    metadata: EventMetadata;
  }>;

/** Command metadata: the clock and ids come in from outside so decide stays pure. */
export type CommandMetadata = Readonly<{ now: string; correlationId: string }>;
