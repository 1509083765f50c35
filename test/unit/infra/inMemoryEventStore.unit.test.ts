import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { eventStoreContract } from '../../support/contracts/eventStoreContract';

eventStoreContract('in-memory', () =>
  Promise.resolve({ store: createInMemoryEventStore(), close: () => Promise.resolve() }),
);
