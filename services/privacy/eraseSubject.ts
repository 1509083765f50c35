import { randomUUID } from 'node:crypto';
import { subjectOf } from '../../events/sealed';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { audit } from '../../infra/postgres/auditLog';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import type { SubjectKeyStore } from '../../infra/privacy/keyStore';
import type { FileStorage } from '../../infra/storage/fileStorage';
import { sessionIdsOfUser } from '../../projections/sessionSummary/sessionQueries';

export type EraseSubjectDeps = Readonly<{
  keys: SubjectKeyStore;
  storage: FileStorage;
  sql: SqlClient;
  eventStore: EventStore;
}>;

export type Erasure = Readonly<{
  tenantId: string;
  userId: string;
  actor: string;
  correlationId: string;
}>;

/**
 * Erasure by crypto-shredding: the subject's key is destroyed, so every sealed copy of their
 * data — event store, Kafka, DLQ, snapshots, backups — is unreadable for good, while the events
 * themselves (and so counts and funnels) stay. Their uploaded files are deleted. The erasure is
 * recorded as a `SubjectErased` event, in `subject_erasures` and in the audit trail.
 */
export const createEraseSubject = (deps: EraseSubjectDeps) => async (erasure: Erasure) => {
  const subject = subjectOf(erasure.tenantId, erasure.userId);
  const keyExisted = await deps.keys.destroy(subject);
  const sessions = await sessionIdsOfUser(deps.sql, erasure.tenantId, erasure.userId);
  let filesRemoved = 0;
  for (const sessionId of sessions) {
    for (const key of await deps.storage.list(sessionId)) {
      await deps.storage.remove(key);
      filesRemoved += 1;
    }
  }
  const at = new Date().toISOString();
  await deps.eventStore.appendToStream(
    `erasure-${randomUUID()}`,
    [
      {
        eventId: randomUUID(),
        type: 'SubjectErased',
        data: { tenantId: erasure.tenantId, userId: erasure.userId, keyExisted, filesRemoved, at },
        metadata: {
          correlationId: erasure.correlationId,
          tenantId: erasure.tenantId,
          actor: erasure.actor,
        },
      },
    ],
    { expectedVersion: -1 },
  );
  await deps.sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO waymark.subject_erasures (subject, tenant_id, actor, correlation_id, key_existed, files_removed)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [subject, erasure.tenantId, erasure.actor, erasure.correlationId, keyExisted, filesRemoved],
    );
    await audit(tx, {
      tenantId: erasure.tenantId,
      actor: erasure.actor,
      action: 'subject.erase',
      target: erasure.userId,
      details: { key_existed: keyExisted, sessions: sessions.length, files_removed: filesRemoved },
      correlationId: erasure.correlationId,
    });
  });
  return { keyExisted, sessions: sessions.length, filesRemoved, erasedAt: at };
};

export type EraseSubject = ReturnType<typeof createEraseSubject>;
