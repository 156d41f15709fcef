import { createMemoryLedger } from '../../src/store/memory-store.js';
import { eventStoreContract } from './contract.js';

eventStoreContract('memory', async (options) => createMemoryLedger(options));
