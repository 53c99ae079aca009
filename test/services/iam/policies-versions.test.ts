// Policy versions: CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions,
// DeletePolicyVersion, SetDefaultPolicyVersion, called directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadManagedPolicies } from '../../../src/policy/managed-policies.ts';
import { allow, awsError, iam, READ_ONLY, type Iam } from './policies-context.ts';

async function withPolicy(): Promise<{ call: Iam['call']; advance: Iam['advance']; arn: string }> {
  const { call, advance } = await iam();
  const { Policy } = await call('CreatePolicy', { PolicyName: 'Versioned', PolicyDocument: allow('s3:GetObject') });
  return { call, advance, arn: Policy!.Arn! };
}

describe('CreatePolicyVersion', () => {
  it('adds v2 without making it the default unless SetAsDefault', async () => {
    const { call, arn } = await withPolicy();
    const v2 = await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:PutObject') });
    assert.equal(v2.PolicyVersion!.VersionId, 'v2');
    assert.equal(v2.PolicyVersion!.IsDefaultVersion, false);
    assert.equal(v2.PolicyVersion!.Document, undefined);
    const v3 = await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:ListBucket'), SetAsDefault: true });
    assert.equal(v3.PolicyVersion!.IsDefaultVersion, true);
    assert.equal((await call('GetPolicy', { PolicyArn: arn })).Policy!.DefaultVersionId, 'v3');
  });

  it('keeps at most 5 versions: LimitExceeded with AWS message', async () => {
    const { call, arn } = await withPolicy();
    for (let i = 2; i <= 5; i++) await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow(`s3:Get${i}`) });
    await assert.rejects(
      call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:GetObject') }),
      awsError('LimitExceeded', 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.'),
    );
  });

  it('never reuses a version id', async () => {
    const { call, arn } = await withPolicy();
    await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:PutObject') });
    await call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' });
    const next = await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:PutObject') });
    assert.equal(next.PolicyVersion!.VersionId, 'v3');
  });

  it('validates the document (MalformedPolicyDocument) and its size (PolicySize)', async () => {
    const { call, arn } = await withPolicy();
    const noResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
    await assert.rejects(
      call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: noResource }),
      awsError('MalformedPolicyDocument', 'Policy statement must contain resources.'),
    );
  });

  it('answers NoSuchEntity for a missing policy', async () => {
    const { call } = await iam();
    const arn = 'arn:aws:iam::123456789012:policy/Missing';
    await assert.rejects(call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:GetObject') }), awsError('NoSuchEntity', `Policy ${arn} was not found.`));
  });
});

describe('GetPolicyVersion', () => {
  it('returns the document URL-encoded, as AWS sends it', async () => {
    const { call, arn } = await withPolicy();
    const { PolicyVersion } = await call('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' });
    assert.equal(PolicyVersion!.Document, encodeURIComponent(allow('s3:GetObject')));
    assert.equal(decodeURIComponent(PolicyVersion!.Document!), allow('s3:GetObject'));
    assert.equal(PolicyVersion!.IsDefaultVersion, true);
  });

  it('answers NoSuchEntity for a missing version', async () => {
    const { call, arn } = await withPolicy();
    await assert.rejects(
      call('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v7' }),
      awsError('NoSuchEntity', `Policy ${arn} version v7 does not exist or is not attachable.`),
    );
  });

  it('reads an AWS managed policy version from the catalog', async () => {
    const { call } = await iam();
    const catalog = await loadManagedPolicies();
    const expected = catalog.getVersion(READ_ONLY)!;
    const { PolicyVersion } = await call('GetPolicyVersion', { PolicyArn: READ_ONLY, VersionId: expected.versionId });
    assert.equal(decodeURIComponent(PolicyVersion!.Document!), expected.document);
    assert.equal(PolicyVersion!.IsDefaultVersion, true);
  });
});

describe('ListPolicyVersions', () => {
  it('lists newest first, without documents, paged by MaxItems', async () => {
    const { call, arn } = await withPolicy();
    await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:PutObject') });
    await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:ListBucket') });
    const first = await call('ListPolicyVersions', { PolicyArn: arn, MaxItems: 2 });
    assert.deepEqual(first.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v3', false], ['v2', false]]);
    assert.equal(first.Versions![0]!.Document, undefined);
    assert.equal(first.IsTruncated, true);
    const rest = await call('ListPolicyVersions', { PolicyArn: arn, Marker: first.Marker! });
    assert.deepEqual(rest.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v1', true]]);
    assert.equal(rest.IsTruncated, false);
  });

  it('lists an AWS managed policy versions', async () => {
    const { call } = await iam();
    const catalog = await loadManagedPolicies();
    const { Versions } = await call('ListPolicyVersions', { PolicyArn: READ_ONLY, MaxItems: 1000 });
    assert.deepEqual(Versions!.map((v) => v.VersionId), catalog.versions(READ_ONLY).map((v) => v.versionId));
  });
});

describe('DeletePolicyVersion and SetDefaultPolicyVersion', () => {
  it('refuses to delete the default version: DeleteConflict', async () => {
    const { call, arn } = await withPolicy();
    await assert.rejects(call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v1' }), awsError('DeleteConflict', 'Cannot delete the default version of a policy.'));
  });

  it('switches the default, after which the old default can be deleted', async () => {
    const { call, arn } = await withPolicy();
    await call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:PutObject') });
    await call('SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v2' });
    await call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v1' });
    const { Versions } = await call('ListPolicyVersions', { PolicyArn: arn });
    assert.deepEqual(Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v2', true]]);
  });

  it('answers NoSuchEntity for a missing version', async () => {
    const { call, arn } = await withPolicy();
    await assert.rejects(call('SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v9' }), awsError('NoSuchEntity', `Policy ${arn} version v9 does not exist or is not attachable.`));
    await assert.rejects(call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v9' }), awsError('NoSuchEntity'));
  });

  it('cannot change an AWS managed policy', async () => {
    const { call } = await iam();
    await assert.rejects(call('CreatePolicyVersion', { PolicyArn: READ_ONLY, PolicyDocument: allow('s3:GetObject') }), awsError('AccessDenied'));
    await assert.rejects(call('SetDefaultPolicyVersion', { PolicyArn: READ_ONLY, VersionId: 'v1' }), awsError('AccessDenied'));
  });
});
