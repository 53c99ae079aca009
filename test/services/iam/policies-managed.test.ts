// CreatePolicy, GetPolicy, DeletePolicy, ListPolicies and policy tags, called directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadManagedPolicies } from '../../../src/policy/managed-policies.ts';
import { ACCOUNT, allow, awsError, documentOfSize, iam, OTHER_ACCOUNT, READ_ONLY } from './policies-context.ts';

describe('CreatePolicy', () => {
  it('creates a customer managed policy: ANPA id, ARN with the path, v1 as default, no attachments', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', {
      PolicyName: 'ReadBuckets',
      Path: '/team/',
      PolicyDocument: allow('s3:GetObject'),
      Description: 'read the buckets',
      Tags: [{ Key: 'env', Value: 'dev' }],
    });
    assert.match(Policy!.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
    assert.equal(Policy!.Arn, `arn:aws:iam::${ACCOUNT}:policy/team/ReadBuckets`);
    assert.equal(Policy!.Path, '/team/');
    assert.equal(Policy!.DefaultVersionId, 'v1');
    assert.equal(Policy!.AttachmentCount, 0);
    assert.equal(Policy!.PermissionsBoundaryUsageCount, 0);
    assert.equal(Policy!.IsAttachable, true);
    assert.equal(Policy!.Description, 'read the buckets');
    assert.deepEqual(Policy!.Tags, [{ Key: 'env', Value: 'dev' }]);
    assert.equal(Policy!.CreateDate!.toISOString(), '2024-05-01T12:00:00.000Z');
  });

  it('rejects a second policy with the same name in any case: EntityAlreadyExists', async () => {
    const { call } = await iam();
    await call('CreatePolicy', { PolicyName: 'Shared', PolicyDocument: allow('s3:GetObject') });
    await assert.rejects(
      call('CreatePolicy', { PolicyName: 'shared', Path: '/other/', PolicyDocument: allow('s3:GetObject') }),
      awsError('EntityAlreadyExists', 'A policy called shared already exists. Duplicate names are not allowed.'),
    );
  });

  it('lets two accounts use the same policy name', async () => {
    const { call } = await iam();
    await call('CreatePolicy', { PolicyName: 'Same', PolicyDocument: allow('s3:GetObject') });
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Same', PolicyDocument: allow('s3:GetObject') }, OTHER_ACCOUNT);
    assert.equal(Policy!.Arn, `arn:aws:iam::${OTHER_ACCOUNT}:policy/Same`);
  });

  it('validates the document as an identity policy: MalformedPolicyDocument with AWS message', async () => {
    const { call } = await iam();
    await assert.rejects(call('CreatePolicy', { PolicyName: 'Bad', PolicyDocument: '{not json' }), awsError('MalformedPolicyDocument', 'Syntax errors in policy.'));
    const withPrincipal = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
    });
    await assert.rejects(
      call('CreatePolicy', { PolicyName: 'Bad', PolicyDocument: withPrincipal }),
      awsError('MalformedPolicyDocument', 'Policy document should not specify a principal.'),
    );
  });

  it('counts 6,144 characters without white space: one more is LimitExceeded PolicySize', async () => {
    const { call } = await iam();
    const largest = documentOfSize(6144);
    const spaced = largest.replace(/,/g, ',    \n'); // white space does not count
    await call('CreatePolicy', { PolicyName: 'Largest', PolicyDocument: spaced });
    await assert.rejects(
      call('CreatePolicy', { PolicyName: 'TooLarge', PolicyDocument: documentOfSize(6145) }),
      awsError('LimitExceeded', 'Cannot exceed quota for PolicySize: 6144'),
    );
  });
});

describe('GetPolicy', () => {
  it('answers NoSuchEntity for a missing policy and InvalidInput for a malformed ARN', async () => {
    const { call } = await iam();
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Nope`;
    await assert.rejects(call('GetPolicy', { PolicyArn: arn }), awsError('NoSuchEntity', `Policy ${arn} was not found.`));
    await assert.rejects(call('GetPolicy', { PolicyArn: 'arn:aws:s3:::bucket/x' }), awsError('InvalidInput', 'ARN arn:aws:s3:::bucket/x is not valid.'));
  });

  it('needs the path in the ARN to match', async () => {
    const { call } = await iam();
    await call('CreatePolicy', { PolicyName: 'Deep', Path: '/a/', PolicyDocument: allow('s3:GetObject') });
    await assert.rejects(call('GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Deep` }), awsError('NoSuchEntity'));
    const { Policy } = await call('GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/a/Deep` });
    assert.equal(Policy!.PolicyName, 'Deep');
  });

  it('reads AWS managed policies from the catalog, with a stable ANPA id', async () => {
    const { call } = await iam();
    const catalog = await loadManagedPolicies();
    const first = await call('GetPolicy', { PolicyArn: READ_ONLY });
    const again = await call('GetPolicy', { PolicyArn: READ_ONLY });
    assert.equal(first.Policy!.PolicyName, 'ReadOnlyAccess');
    assert.equal(first.Policy!.DefaultVersionId, catalog.getByArn(READ_ONLY)!.defaultVersionId);
    assert.match(first.Policy!.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
    assert.equal(first.Policy!.PolicyId, again.Policy!.PolicyId);
    assert.equal(first.Policy!.AttachmentCount, 0);
  });
});

describe('DeletePolicy', () => {
  it('deletes a policy with only its default version', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Gone', PolicyDocument: allow('s3:GetObject') });
    await call('DeletePolicy', { PolicyArn: Policy!.Arn! });
    await assert.rejects(call('GetPolicy', { PolicyArn: Policy!.Arn! }), awsError('NoSuchEntity'));
  });

  it('refuses while attached: DeleteConflict "Cannot delete a policy attached to entities."', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Used', PolicyDocument: allow('s3:GetObject') });
    await call('CreateUser', { UserName: 'bob' });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: Policy!.Arn! });
    await assert.rejects(call('DeletePolicy', { PolicyArn: Policy!.Arn! }), awsError('DeleteConflict', 'Cannot delete a policy attached to entities.'));
    await call('DetachUserPolicy', { UserName: 'bob', PolicyArn: Policy!.Arn! });
    await call('DeletePolicy', { PolicyArn: Policy!.Arn! });
  });

  it('refuses while it is a permissions boundary', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Ceiling', PolicyDocument: allow('s3:*') });
    await call('CreateUser', { UserName: 'bob' });
    await call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: Policy!.Arn! });
    await assert.rejects(call('DeletePolicy', { PolicyArn: Policy!.Arn! }), awsError('DeleteConflict', 'Cannot delete a policy attached to entities.'));
  });

  it('refuses while non-default versions exist', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Versioned', PolicyDocument: allow('s3:GetObject') });
    await call('CreatePolicyVersion', { PolicyArn: Policy!.Arn!, PolicyDocument: allow('s3:PutObject') });
    await assert.rejects(
      call('DeletePolicy', { PolicyArn: Policy!.Arn! }),
      awsError(
        'DeleteConflict',
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      ),
    );
    await call('DeletePolicyVersion', { PolicyArn: Policy!.Arn!, VersionId: 'v2' });
    await call('DeletePolicy', { PolicyArn: Policy!.Arn! });
  });

  it('cannot delete an AWS managed policy', async () => {
    const { call } = await iam();
    await assert.rejects(call('DeletePolicy', { PolicyArn: READ_ONLY }), awsError('AccessDenied'));
  });
});

describe('ListPolicies', () => {
  it('Scope=Local lists the account own policies by name, filtered by PathPrefix', async () => {
    const { call } = await iam();
    await call('CreatePolicy', { PolicyName: 'b-policy', Path: '/x/', PolicyDocument: allow('s3:GetObject') });
    await call('CreatePolicy', { PolicyName: 'A-policy', PolicyDocument: allow('s3:GetObject') });
    await call('CreatePolicy', { PolicyName: 'elsewhere', PolicyDocument: allow('s3:GetObject') }, OTHER_ACCOUNT);
    const all = await call('ListPolicies', { Scope: 'Local' });
    assert.deepEqual(all.Policies!.map((p) => p.PolicyName), ['A-policy', 'b-policy']);
    assert.equal(all.IsTruncated, false);
    assert.equal(all.Policies![0]!.Description, undefined);
    const underX = await call('ListPolicies', { Scope: 'Local', PathPrefix: '/x/' });
    assert.deepEqual(underX.Policies!.map((p) => p.PolicyName), ['b-policy']);
  });

  it('Scope=AWS lists the whole catalog, page by page with Marker', async () => {
    const { call } = await iam();
    const catalog = await loadManagedPolicies();
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await call('ListPolicies', { Scope: 'AWS', MaxItems: 400, ...(marker ? { Marker: marker } : {}) });
      assert.ok(page.Policies!.length <= 400);
      names.push(...page.Policies!.map((p) => p.PolicyName!));
      marker = page.IsTruncated ? page.Marker : undefined;
      pages++;
    } while (marker);
    assert.equal(pages, Math.ceil(catalog.list().length / 400));
    assert.deepEqual(names, catalog.list().map((p) => p.name));
  });

  it('Scope=All pages from the customer policies into the AWS ones without repeating', async () => {
    const { call } = await iam();
    await call('CreatePolicy', { PolicyName: 'Mine1', PolicyDocument: allow('s3:GetObject') });
    await call('CreatePolicy', { PolicyName: 'Mine2', PolicyDocument: allow('s3:GetObject') });
    const first = await call('ListPolicies', { MaxItems: 3 });
    assert.equal(first.IsTruncated, true);
    const second = await call('ListPolicies', { MaxItems: 3, Marker: first.Marker! });
    const names = [...first.Policies!, ...second.Policies!].map((p) => p.PolicyName);
    const catalog = (await loadManagedPolicies()).list();
    assert.deepEqual(names, ['Mine1', 'Mine2', ...catalog.slice(0, 4).map((p) => p.name)]);
  });

  it('OnlyAttached keeps attached policies, AWS managed ones counted per account', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Attached', PolicyDocument: allow('s3:GetObject') });
    await call('CreatePolicy', { PolicyName: 'Idle', PolicyDocument: allow('s3:GetObject') });
    await call('CreateUser', { UserName: 'bob' });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: Policy!.Arn! });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: READ_ONLY });
    const attached = await call('ListPolicies', { OnlyAttached: true });
    assert.deepEqual(attached.Policies!.map((p) => [p.PolicyName, p.AttachmentCount]), [['Attached', 1], ['ReadOnlyAccess', 1]]);
    const elsewhere = await call('ListPolicies', { OnlyAttached: true, Scope: 'AWS' }, OTHER_ACCOUNT);
    assert.deepEqual(elsewhere.Policies, []);
    const readOnlyElsewhere = await call('GetPolicy', { PolicyArn: READ_ONLY }, OTHER_ACCOUNT);
    assert.equal(readOnlyElsewhere.Policy!.AttachmentCount, 0);
  });

  it('PolicyUsageFilter=PermissionsBoundary keeps the policies used as boundaries', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Ceiling', PolicyDocument: allow('s3:*') });
    await call('CreatePolicy', { PolicyName: 'Plain', PolicyDocument: allow('s3:*') });
    await call('CreateUser', { UserName: 'bob' });
    await call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: Policy!.Arn! });
    const boundaries = await call('ListPolicies', { Scope: 'Local', PolicyUsageFilter: 'PermissionsBoundary' });
    assert.deepEqual(boundaries.Policies!.map((p) => [p.PolicyName, p.PermissionsBoundaryUsageCount]), [['Ceiling', 1]]);
    const permissions = await call('ListPolicies', { Scope: 'Local', OnlyAttached: true, PolicyUsageFilter: 'PermissionsPolicy' });
    assert.deepEqual(permissions.Policies, []);
  });

  it('rejects a Marker it did not issue', async () => {
    const { call } = await iam();
    await assert.rejects(call('ListPolicies', { Marker: 'bogus!' }), awsError('InvalidInput'));
  });
});

describe('policy tags', () => {
  it('TagPolicy adds and replaces keys case-insensitively, UntagPolicy removes, ListPolicyTags pages', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Tagged', PolicyDocument: allow('s3:GetObject'), Tags: [{ Key: 'Env', Value: 'dev' }] });
    const arn = Policy!.Arn!;
    await call('TagPolicy', { PolicyArn: arn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }, { Key: 'cost', Value: '1' }] });
    const first = await call('ListPolicyTags', { PolicyArn: arn, MaxItems: 2 });
    assert.deepEqual(first.Tags, [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }]);
    assert.equal(first.IsTruncated, true);
    const rest = await call('ListPolicyTags', { PolicyArn: arn, Marker: first.Marker! });
    assert.deepEqual(rest.Tags, [{ Key: 'cost', Value: '1' }]);
    await call('UntagPolicy', { PolicyArn: arn, TagKeys: ['TEAM', 'unknown'] });
    const { Policy: after } = await call('GetPolicy', { PolicyArn: arn });
    assert.deepEqual(after!.Tags, [{ Key: 'env', Value: 'prod' }, { Key: 'cost', Value: '1' }]);
  });

  it('holds at most 50 tags: LimitExceeded', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Full', PolicyDocument: allow('s3:GetObject') });
    const tags = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await call('TagPolicy', { PolicyArn: Policy!.Arn!, Tags: tags(0, 50) });
    await assert.rejects(call('TagPolicy', { PolicyArn: Policy!.Arn!, Tags: tags(50, 1) }), awsError('LimitExceeded', 'Cannot exceed quota for TagsPerPolicy: 50'));
  });

  it('rejects duplicate keys in one request', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Dup', PolicyDocument: allow('s3:GetObject') });
    await assert.rejects(
      call('TagPolicy', { PolicyArn: Policy!.Arn!, Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }),
      awsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
    );
  });
});
