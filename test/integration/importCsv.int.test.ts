import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { defaultFlow, type Flow } from '../../events/onboarding/flows';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { importLog } from '../../services/import/importLog';
import { parseMapping } from '../../services/import/mappingSchema';
import { bearer, buildTestApp } from '../support/apiHarness';
import { projectAll } from '../support/projectAll';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const flow: Flow = { id: 'csv_loan', version: 1, steps: ['submitted', 'checked'] };

/**
 * A CSV log through the importer: mapped columns, a semicolon delimiter, per-case attribute
 * columns that become the sessions' channel and language, an error activity, and the funnel and
 * cohort comparison over what was imported.
 */
describe('CSV import (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('imports a CSV log with attribute columns that are cohorts in the analytics', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'waymark-csv-'));
    const file = path.join(dir, 'log.csv');
    writeFileSync(
      file,
      [
        'Case;Activity;Time;Platform;Lang',
        'c1;SUBMIT;2024-03-01T10:00:00Z;ios;de',
        'c1;TIMEOUT;2024-03-01T10:01:00Z;ios;de',
        'c1;CHECK;2024-03-01T10:05:00Z;ios;de',
        'c1;APPROVE;2024-03-01T11:00:00Z;ios;de',
        'c2;SUBMIT;2024-03-02T10:00:00Z;android;"n;l"',
        'c2;DECLINE;2024-03-02T10:30:00Z;android;"n;l"',
        'c3;SUBMIT;2024-03-03T10:00:00Z;ios;de',
        'c3;APPROVE;2024-03-03T12:00:00Z;ios;de',
      ].join('\n'),
    );
    const mapping = parseMapping({
      flowId: flow.id,
      flowsFile: 'unused.json',
      lifecycle: 'complete',
      steps: { SUBMIT: 'submitted', CHECK: 'checked' },
      outcomes: { APPROVE: 'completed', DECLINE: 'declined' },
      errors: ['TIMEOUT'],
      channel: 'unknown',
      language: 'en',
      delimiter: ';',
      columns: { caseId: 'Case', activity: 'Activity', timestamp: 'Time' },
      attributes: { channel: 'Platform', language: 'Lang' },
    });
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const progress: number[] = [];
    const result = await importLog(
      { eventStore: store, mapping, flow, tenantId: 'csvt', abandonAfterSeconds: 1800 },
      file,
      { onProgress: (_done, _total, cases) => progress.push(cases) },
    );
    expect(result).toMatchObject({ cases: 3, sessions: 3, alreadyImported: 0 });
    expect(progress.length).toBeGreaterThan(0);
    await projectAll(store, db.sql);

    const { app } = buildTestApp(store, { sql: db.sql, flows: [defaultFlow, flow] });
    const admin = await bearer('admin', 'csvt', 'analyst');
    const period = `flow_id=${flow.id}&start_date=2024-03-01&end_date=2024-04-01`;
    const funnel = await request(app)
      .get(`/api/v1/onboarding/analytics/funnel/?${period}`)
      .set('Authorization', admin);
    expect(funnel.status).toBe(200);
    const stages = funnel.body.stages as { stage: string; count: number; errors: number }[];
    expect(stages.map((s) => s.count)).toEqual([3, 3, 2, 2]);
    expect(stages.find((s) => s.stage === 'submitted')?.errors).toBe(1);

    const byChannel = await request(app)
      .get(`/api/v1/onboarding/analytics/cohort-comparison/?${period}&cohort_by=channel`)
      .set('Authorization', admin);
    expect(
      (byChannel.body.cohorts as { cohort: string; sessions: number; completed: number }[]).map(
        (c) => [c.cohort, c.sessions, c.completed],
      ),
    ).toEqual([
      ['android', 1, 0],
      ['ios', 2, 2],
    ]);
    const byLanguage = await request(app)
      .get(`/api/v1/onboarding/analytics/cohort-comparison/?${period}&cohort_by=language`)
      .set('Authorization', admin);
    expect((byLanguage.body.cohorts as { cohort: string }[]).map((c) => c.cohort)).toEqual([
      'de',
      'n;l',
    ]);
  });
});
