// AWS KMS resource quotas, per account and Region: 100,000 customer managed keys
// (AWS managed keys do not count), 50 aliases per key, 50,000 grants per key; past
// them, LimitExceededException. The stores are filled directly: creating 100,000 keys
// through the handlers would only be slower.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AwsError } from '../../../src/protocol/errors.ts';
import { KMS_QUOTAS } from '../../../src/services/kms/quotas.ts';
import { grantKey, keyKey, KMS_COLLECTIONS } from '../../../src/services/kms/records.ts';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';
import { ACCOUNT, callKms } from './caller.ts';

let store: Store;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (operation: string, input: Record<string, unknown>): Promise<any> => callKms(store, operation, input);

function limitExceeded(error: unknown): boolean {
  assert.ok(error instanceof AwsError, String(error));
  assert.equal(error.code, 'LimitExceededException', error.message);
  return true;
}

async function fillKeys(count: number, keyManager?: 'AWS'): Promise<void> {
  for (let i = 0; i < count; i++) {
    const keyId = `filler-${keyManager ?? 'customer'}-${i}`;
    await store.put(KMS_COLLECTIONS.keys, keyKey(ACCOUNT, 'us-east-1', keyId), { keyId, ...(keyManager ? { keyManager } : {}) });
  }
}

describe('KMS resource quotas', () => {
  beforeEach(async () => {
    store = await openStore('memory:');
  });

  it(`CreateKey past ${KMS_QUOTAS.keys} customer managed keys in a Region: LimitExceededException; AWS managed keys do not count`, async () => {
    await fillKeys(KMS_QUOTAS.keys - 1);
    await fillKeys(3, 'AWS');
    await call('CreateKey', {});
    await assert.rejects(call('CreateKey', {}), limitExceeded);
    // Other Regions have their own quota.
    await callKms(store, 'CreateKey', {}, { region: 'eu-west-1' });
  });

  it(`a key takes at most ${KMS_QUOTAS.aliasesPerKey} aliases, by CreateAlias or UpdateAlias: LimitExceededException`, async () => {
    const full = (await call('CreateKey', {})).KeyMetadata.KeyId;
    for (let i = 0; i < KMS_QUOTAS.aliasesPerKey; i++) await call('CreateAlias', { AliasName: `alias/full-${i}`, TargetKeyId: full });
    await assert.rejects(call('CreateAlias', { AliasName: 'alias/one-more', TargetKeyId: full }), limitExceeded);
    const other = (await call('CreateKey', {})).KeyMetadata.KeyId;
    await call('CreateAlias', { AliasName: 'alias/elsewhere', TargetKeyId: other });
    await assert.rejects(call('UpdateAlias', { AliasName: 'alias/elsewhere', TargetKeyId: full }), limitExceeded);
    // Pointing an alias at the key it already names is not another alias.
    await call('UpdateAlias', { AliasName: 'alias/full-0', TargetKeyId: full });
  });

  it(`a key takes at most ${KMS_QUOTAS.grantsPerKey} grants: CreateGrant past them is LimitExceededException`, async () => {
    const keyId = (await call('CreateKey', {})).KeyMetadata.KeyId;
    const grant = { GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/grantee`, Operations: ['Encrypt'] };
    await call('CreateGrant', { KeyId: keyId, ...grant });
    for (let i = 1; i < KMS_QUOTAS.grantsPerKey; i++) {
      await store.put(KMS_COLLECTIONS.grants, grantKey(ACCOUNT, 'us-east-1', keyId, `filler-${i}`), { grantId: `filler-${i}` });
    }
    await assert.rejects(call('CreateGrant', { KeyId: keyId, ...grant }), limitExceeded);
    const { Grants } = await call('ListGrants', { KeyId: keyId, Limit: 1 });
    await call('RevokeGrant', { KeyId: keyId, GrantId: Grants[0].GrantId });
    await call('CreateGrant', { KeyId: keyId, ...grant });
  });
});
