// Access keys at the handler level: AWS's format, quota, status changes, deletion,
// listing, last-used data, and the credential the authentication layer reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredCredential } from '../../../../src/services/credentials.ts';
import { ACCESS_KEYS } from '../../../../src/services/credentials.ts';
import { recordAccessKeyUse } from '../../../../src/services/iam/credentials/index.ts';
import { ACCOUNT, awsError, iam } from './context.ts';

describe('CreateAccessKey', () => {
  it('issues an AKIA id of 20 characters and a 40-character secret, Active', async () => {
    const api = await iam();
    await api.user('alice');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    assert.match(AccessKey.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(AccessKey.SecretAccessKey.length, 40);
    assert.equal(AccessKey.Status, 'Active');
    assert.equal(AccessKey.UserName, 'alice');
    assert.deepEqual(AccessKey.CreateDate, api.now());
  });

  it('writes the credential the server verifies signatures with, for the user principal', async () => {
    const api = await iam();
    const alice = await api.user('alice');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    const stored = await api.store.get<StoredCredential>(ACCESS_KEYS, AccessKey.AccessKeyId);
    assert.ok(stored);
    assert.equal(stored.secretAccessKey, AccessKey.SecretAccessKey);
    assert.equal(stored.active, true);
    assert.deepEqual(stored.principal, alice);
  });

  it('refuses a third key: LimitExceeded "Cannot exceed quota for AccessKeysPerUser: 2"', async () => {
    const api = await iam();
    await api.user('alice');
    await api.call('CreateAccessKey', { UserName: 'alice' });
    await api.call('CreateAccessKey', { UserName: 'alice' });
    await assert.rejects(
      api.call('CreateAccessKey', { UserName: 'alice' }),
      awsError('LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2'),
    );
  });

  it('for an unknown user: NoSuchEntity', async () => {
    const api = await iam();
    await assert.rejects(
      api.call('CreateAccessKey', { UserName: 'ghost' }),
      awsError('NoSuchEntityException', 'The user with name ghost cannot be found.'),
    );
  });

  it('without UserName, an IAM user creates its own key', async () => {
    const api = await iam();
    const bob = await api.user('bob');
    const { AccessKey } = await api.call('CreateAccessKey', {}, bob);
    assert.equal(AccessKey.UserName, 'bob');
    const { AccessKeyMetadata } = await api.call('ListAccessKeys', { UserName: 'bob' });
    assert.deepEqual(AccessKeyMetadata.map((key) => key.AccessKeyId), [AccessKey.AccessKeyId]);
  });

  it('without UserName, the root user creates root access keys (no UserName in the answer)', async () => {
    const api = await iam();
    const { AccessKey } = await api.call('CreateAccessKey', {});
    assert.equal(AccessKey.UserName, undefined);
    const stored = await api.store.get<StoredCredential>(ACCESS_KEYS, AccessKey.AccessKeyId);
    assert.equal(stored?.principal.type, 'Root');
    assert.equal(stored?.principal.arn, `arn:aws:iam::${ACCOUNT}:root`);
    const { AccessKeyMetadata } = await api.call('ListAccessKeys', {});
    assert.equal(AccessKeyMetadata.length, 1);
  });

  it('from a role session without UserName: ValidationError', async () => {
    const api = await iam();
    const session = { type: 'AssumedRole', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`, userId: 'AROAX:s' } as never;
    await assert.rejects(api.call('CreateAccessKey', {}, session), awsError('ValidationError'));
  });
});

describe('UpdateAccessKey, DeleteAccessKey, ListAccessKeys', () => {
  it('Inactive marks the stored credential inactive; Active restores it', async () => {
    const api = await iam();
    await api.user('alice');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    await api.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    assert.equal((await api.store.get<StoredCredential>(ACCESS_KEYS, AccessKey.AccessKeyId))?.active, false);
    const listed = await api.call('ListAccessKeys', { UserName: 'alice' });
    assert.equal(listed.AccessKeyMetadata[0].Status, 'Inactive');
    await api.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Active' });
    assert.equal((await api.store.get<StoredCredential>(ACCESS_KEYS, AccessKey.AccessKeyId))?.active, true);
  });

  it("another user's key is not found: NoSuchEntity naming the key", async () => {
    const api = await iam();
    await api.user('alice');
    await api.user('bob');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    await assert.rejects(
      api.call('UpdateAccessKey', { UserName: 'bob', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' }),
      awsError('NoSuchEntityException', `The Access Key with id ${AccessKey.AccessKeyId} cannot be found.`),
    );
    await assert.rejects(
      api.call('DeleteAccessKey', { UserName: 'bob', AccessKeyId: AccessKey.AccessKeyId }),
      awsError('NoSuchEntityException'),
    );
  });

  it('DeleteAccessKey removes the key and its credential, freeing the quota', async () => {
    const api = await iam();
    await api.user('alice');
    const first = await api.call('CreateAccessKey', { UserName: 'alice' });
    await api.call('CreateAccessKey', { UserName: 'alice' });
    await api.call('DeleteAccessKey', { UserName: 'alice', AccessKeyId: first.AccessKey.AccessKeyId });
    assert.equal(await api.store.get(ACCESS_KEYS, first.AccessKey.AccessKeyId), undefined);
    const { AccessKeyMetadata } = await api.call('ListAccessKeys', { UserName: 'alice' });
    assert.equal(AccessKeyMetadata.length, 1);
    await api.call('CreateAccessKey', { UserName: 'alice' });
  });

  it('ListAccessKeys pages with MaxItems and Marker', async () => {
    const api = await iam();
    await api.user('alice');
    const a = await api.call('CreateAccessKey', { UserName: 'alice' });
    const b = await api.call('CreateAccessKey', { UserName: 'alice' });
    const page1 = await api.call('ListAccessKeys', { UserName: 'alice', MaxItems: 1 });
    assert.equal(page1.IsTruncated, true);
    assert.equal(page1.AccessKeyMetadata.length, 1);
    const page2 = await api.call('ListAccessKeys', { UserName: 'alice', MaxItems: 1, Marker: page1.Marker });
    assert.equal(page2.IsTruncated, false);
    const seen = [...page1.AccessKeyMetadata, ...page2.AccessKeyMetadata].map((key) => key.AccessKeyId).sort();
    assert.deepEqual(seen, [a.AccessKey.AccessKeyId, b.AccessKey.AccessKeyId].sort());
  });
});

describe('GetAccessKeyLastUsed and recordAccessKeyUse', () => {
  it('a key never used: N/A service and region, no date', async () => {
    const api = await iam();
    await api.user('alice');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    const answer = await api.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId });
    assert.equal(answer.UserName, 'alice');
    assert.deepEqual(answer.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' });
  });

  it('after a use: the date, service and region the server recorded', async () => {
    const api = await iam();
    await api.user('alice');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    const date = new Date('2024-05-02T08:30:00.000Z');
    await recordAccessKeyUse(api.store, AccessKey.AccessKeyId, { date, service: 's3', region: 'eu-west-1' });
    const answer = await api.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId });
    assert.deepEqual(answer.AccessKeyLastUsed, { LastUsedDate: date, ServiceName: 's3', Region: 'eu-west-1' });
  });

  it('an unknown key: NoSuchEntity; a key Bulwark did not issue is ignored by recordAccessKeyUse', async () => {
    const api = await iam();
    await recordAccessKeyUse(api.store, 'AKIAIOSFODNN7EXAMPLE', { date: api.now(), service: 'sts', region: 'us-east-1' });
    await assert.rejects(api.call('GetAccessKeyLastUsed', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }), awsError('NoSuchEntityException'));
  });
});

describe('access keys and the user they belong to', () => {
  it('DeleteUser refuses while the user has keys: DeleteConflict', async () => {
    const api = await iam();
    await api.user('alice');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    await assert.rejects(
      api.call('DeleteUser', { UserName: 'alice' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must delete access keys first.'),
    );
    await api.call('DeleteAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId });
    await api.call('DeleteUser', { UserName: 'alice' });
  });

  it('renaming the user moves its keys and re-points their credential at the new ARN', async () => {
    const api = await iam();
    await api.user('alice');
    const { AccessKey } = await api.call('CreateAccessKey', { UserName: 'alice' });
    await api.call('UpdateUser', { UserName: 'alice', NewUserName: 'alicia' });
    const { AccessKeyMetadata } = await api.call('ListAccessKeys', { UserName: 'alicia' });
    assert.deepEqual(AccessKeyMetadata.map((key) => [key.AccessKeyId, key.UserName]), [[AccessKey.AccessKeyId, 'alicia']]);
    const stored = await api.store.get<StoredCredential>(ACCESS_KEYS, AccessKey.AccessKeyId);
    assert.equal(stored?.principal.arn, `arn:aws:iam::${ACCOUNT}:user/alicia`);
    const lastUsed = await api.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId });
    assert.equal(lastUsed.UserName, 'alicia');
  });
});
