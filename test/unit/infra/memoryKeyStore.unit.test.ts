import { createMemoryKeyStore } from '../../../infra/privacy/memoryKeyStore';
import { keyStoreContract } from '../../support/contracts/keyStoreContract';

keyStoreContract('in memory', () => Promise.resolve(createMemoryKeyStore()));
