import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { allReadModels } from '../../projections/readModels';
import { rebuildReadModel } from '../../projections/rebuild';
import { testRiskScorer } from '../support/liveProjection';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const indexesOf = async (db: TestDatabase, table: string) =>
  db.sql.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'waymark' AND tablename = $1
      ORDER BY indexname`,
    [table.slice('waymark.'.length)],
  );

describe('rebuilding a read model keeps its table as its migration made it', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it.each(allReadModels(testRiskScorer()).map((m) => [m.id, m] as const))(
    '%s: every index, by name and definition, survives two rebuilds',
    async (_id, model) => {
      const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
      await seedSessions(store, 5);
      const before = await indexesOf(db, model.liveTable);
      // The primary key and at least one secondary index, or the comparison proves nothing.
      expect(before.length).toBeGreaterThanOrEqual(2);
      const deps = { sql: db.sql, eventStore: store, logger: createLogger('silent') };
      await rebuildReadModel(deps, model);
      await rebuildReadModel(deps, model);
      expect(await indexesOf(db, model.liveTable)).toEqual(before);
      expect(await indexesOf(db, `${model.liveTable}_rebuild`)).toEqual([]);
    },
  );
});
