import type { DeadLetterRow } from '../../../infra/postgres/dlqStore';

/** A stored dead letter with defaults; `offset` makes it unique. */
export const deadLetterRow = (
  offset: number,
  over: Partial<DeadLetterRow> = {},
): DeadLetterRow => ({
  groupId: 'projector',
  sourceTopic: 'onboarding.events.v1',
  sourcePartition: 0,
  sourceOffset: offset,
  key: null,
  value: null,
  headers: {},
  errorCategory: offset % 2 ? 'gap' : 'decode',
  errorType: 'GapError',
  errorMessage: 'gap',
  errorStack: null,
  attempts: 1,
  firstFailedAt: new Date().toISOString(),
  lastFailedAt: new Date().toISOString(),
  correlationId: `corr-${offset}`,
  sessionId: null,
  tenantId: 'tenant-a',
  eventType: 'StepEntered',
  streamPosition: offset,
  ...over,
});
