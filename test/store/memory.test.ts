import { openMemoryStore } from '../../src/store/memory.ts';
import { runStoreConformance } from './conformance.ts';

runStoreConformance('memory', async () => openMemoryStore());
