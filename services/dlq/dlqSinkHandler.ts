import type { IHeaders } from 'kafkajs';
import { headerText } from '../../infra/kafka/deadLetters';
import type { BatchHandler } from '../../infra/kafka/batchConsumer';
import { eventHeaders } from '../../infra/kafka/eventPublisher';
import type { DeadLetterRow } from '../../infra/postgres/dlqStore';
import { storeDeadLetters, type DeadLetterStoreDeps } from './storeDeadLetters';

const text = (headers: IHeaders, name: string): string | null => headerText(headers, name) ?? null;
const num = (headers: IHeaders, name: string): number | null => {
  const value = headerText(headers, name);
  return value === undefined || value === '' || Number.isNaN(Number(value)) ? null : Number(value);
};

/** Turns a dead-letter message (original key/value/headers + dlq-* headers) into a stored row. */
const originalHeaders = (headers: IHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.keys(headers)
      .filter((name) => !name.startsWith('dlq-'))
      .map((name) => [name, headerText(headers, name) ?? '']),
  );

/** Turns a dead-letter message (original key/value/headers + dlq-* headers) into a stored row. */
export const toDeadLetterRow = (
  key: Buffer | null,
  value: Buffer | null,
  headers: IHeaders,
): DeadLetterRow => {
  const now = new Date().toISOString();
  const t = (name: string, fallback: string) => text(headers, name) ?? fallback;
  const n = (name: string, fallback: number) => num(headers, name) ?? fallback;
  const sessionId = key?.toString('utf8') ?? null;
  return {
    groupId: t('dlq-group', 'unknown'),
    sourceTopic: t('dlq-source-topic', 'unknown'),
    sourcePartition: n('dlq-source-partition', -1),
    sourceOffset: n('dlq-source-offset', -1),
    key: sessionId,
    value,
    headers: originalHeaders(headers),
    errorCategory: t('dlq-error-category', 'bug'),
    errorType: t('dlq-error-type', 'Error'),
    errorMessage: t('dlq-error-message', ''),
    errorStack: text(headers, 'dlq-error-stack'),
    attempts: n('dlq-attempts', 1),
    firstFailedAt: t('dlq-first-failed-at', now),
    lastFailedAt: t('dlq-last-failed-at', now),
    correlationId: text(headers, eventHeaders.correlationId),
    sessionId,
    tenantId: text(headers, eventHeaders.tenantId),
    eventType: text(headers, eventHeaders.eventType),
    streamPosition: num(headers, eventHeaders.streamPosition),
  };
};

/**
 * The DLQ sink: every dead letter lands in PostgreSQL, in the same transaction as the sink's
 * offsets, within the tenant's DLQ_MAX_QUEUE_SIZE (storeDeadLetters); redelivered copies are
 * ignored by the unique source coordinates.
 */
export const createDlqSinkHandler =
  (store: DeadLetterStoreDeps): BatchHandler =>
  async (tx, messages) => {
    await storeDeadLetters(
      tx,
      messages.map((m) => toDeadLetterRow(m.key, m.value, m.headers ?? {})),
      store,
    );
    return [];
  };
