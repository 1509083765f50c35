import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { createEmbeddedFeeder } from '../../services/projector/embeddedFeeder';
import { waitFor } from '../support/kafkaTopic';
import { summaryMismatches } from '../support/readModelCheck';
import { seedSessions, toNewEvents } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/** Embedded mode: the same projection fed in-process from the store's log (no Kafka). */
describe('embedded projection feed', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('projects the log into the read model and dead-letters a gap straight into dlq_entries', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const ids = await seedSessions(store, 30);
    // A stream whose first event is not SessionStarted cannot be projected: a dead letter, not a crash.
    await store.appendToStream(
      'onboarding-5b1f1c1e-0000-4000-8000-000000000001',
      toNewEvents([{ type: 'SessionCompleted', data: { at: new Date().toISOString() } }]),
      { expectedVersion: -1 },
    );
    const feeder = createEmbeddedFeeder({
      eventStore: store,
      sql: db.sql,
      projection: createSessionSummaryProjection(),
      logger: createLogger('silent'),
      groupId: 'projector',
      category: 'onboarding',
      intervalMs: 20,
      maxRetries: 3,
    });
    feeder.start();
    await waitFor(
      async () => (await db.sql.query('SELECT 1 FROM waymark.dlq_entries')).length === 1,
      20_000,
      'the dead letter',
    );
    await feeder.stop();
    expect(await summaryMismatches(db.sql, store, ids)).toEqual([]);
    const [entry] = await db.sql.query<{
      error_category: string;
      source_topic: string;
      session_id: string;
    }>('SELECT error_category, source_topic, session_id FROM waymark.dlq_entries');
    expect(entry).toEqual({
      error_category: 'decode',
      source_topic: 'event-store',
      session_id: '5b1f1c1e-0000-4000-8000-000000000001',
    });
  });
});
