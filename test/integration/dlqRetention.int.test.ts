import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { recordRetry, retryHistory } from '../../infra/postgres/dlqQueries';
import { deadLetterId, insertDeadLetters } from '../../infra/postgres/dlqStore';
import { dlqHousekeeping } from '../../services/dlq/housekeeping';
import { deadLetterRow } from '../support/builders/deadLetters';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The housekeeping turn's retention: DLQ_RETENTION_DAYS for handled entries,
 * ERROR_RECOVERY_LOG_RETENTION_DAYS for the recovery log (retry attempts) of every entry.
 */
describe('dead-letter retention', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  const ageDays = (table: string, column: string, days: number, where: string) =>
    db.sql.query(
      `UPDATE waymark.${table} SET ${column} = now() - make_interval(days => ${days}) WHERE ${where}`,
    );

  it('purges old retry attempts of open and handled entries, and old handled entries only', async () => {
    const rows = [1, 2, 3].map((i) => deadLetterRow(i, { tenantId: 'ret' }));
    const [open = '', handled = '', fresh = ''] = rows.map(deadLetterId);
    const ids = [open, handled, fresh];
    await db.sql.transaction((tx) => insertDeadLetters(tx, rows, 3));
    for (const id of ids)
      for (const outcome of ['failed', 'failed'])
        await recordRetry(db.sql, id, {
          status: 'failed',
          actor: 'admin:admin-1',
          outcome,
          error: 'gap',
        });
    await db.sql.query(`UPDATE waymark.dlq_entries SET status = 'abandoned' WHERE id = $1`, [
      handled,
    ]);
    // Attempt 1 of the first two entries is 10 days old; everything else is recent.
    await ageDays('dlq_retry_history', 'at', 10, `attempt = 1 AND entry_id <> '${fresh}'`);
    // The handled entry was last touched 40 days ago; the open one too, but open is never purged.
    await ageDays('dlq_entries', 'updated_at', 40, `id IN ('${open}', '${handled}')`);
    const turn = (recoveryLogRetentionDays: number) =>
      dlqHousekeeping({
        sql: db.sql,
        metrics: createMetrics(undefined, false),
        logger: createLogger('silent'),
        retentionDays: 30,
        recoveryLogRetentionDays,
      });
    const attempts = async (id: string) => (await retryHistory(db.sql, id)).map((h) => h.attempt);

    await turn(30);
    expect(await attempts(open)).toEqual([1, 2]);
    expect(await attempts(fresh)).toEqual([1, 2]);

    await turn(7);
    expect(await attempts(open)).toEqual([2]);
    expect(await attempts(fresh)).toEqual([1, 2]);
    const left = await db.sql.query<{ id: string; retry_count: number }>(
      `SELECT id, retry_count FROM waymark.dlq_entries WHERE tenant_id = 'ret' ORDER BY id`,
    );
    // The handled entry went with DLQ_RETENTION_DAYS; the open one keeps its retry count.
    expect(left).toEqual([open, fresh].sort().map((id) => ({ id, retry_count: 2 })));
  });
});
