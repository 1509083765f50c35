import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { eventStoreContract } from '../support/contracts/eventStoreContract';
import { createTestDatabase } from '../support/testDatabase';

const openMessageDb = (groupCommit: false | { maxEvents: number }) => async () => {
  const db = await createTestDatabase();
  return { store: createMessageDbEventStore({ sql: db.sql, groupCommit }), close: db.drop };
};

eventStoreContract('Message DB on PostgreSQL, one transaction per append', openMessageDb(false));
eventStoreContract('Message DB on PostgreSQL, group commit', openMessageDb({ maxEvents: 50 }));
