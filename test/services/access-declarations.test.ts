// No operation can skip authorization: every implemented operation declares what it
// needs, and a declaration names real actions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICES } from '../../src/services/registry.ts';

describe('access declarations', () => {
  for (const service of SERVICES) {
    it(`${service.model}: every implemented operation declares its action and resource`, () => {
      const missing = Object.keys(service.handlers).filter((operation) => !(operation in service.access));
      assert.deepEqual(missing, [], `operations without an access declaration: ${missing.join(', ')}`);
    });
  }
});
