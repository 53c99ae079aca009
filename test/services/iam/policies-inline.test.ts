// Put/Get/Delete/List User/Group/Role Policy (inline policies), called directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allow, awsError, documentOfSize, EC2_TRUST, iam, type Iam } from './policies-context.ts';

const KINDS = [
  { kind: 'User', create: 'CreateUser', nameKey: 'UserName', limit: 2048, noun: 'user' },
  { kind: 'Group', create: 'CreateGroup', nameKey: 'GroupName', limit: 5120, noun: 'group' },
  { kind: 'Role', create: 'CreateRole', nameKey: 'RoleName', limit: 10240, noun: 'role' },
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCall = (op: string, input: any) => Promise<any>;

async function withEntity(kind: (typeof KINDS)[number]): Promise<{ call: AnyCall; iam: Iam }> {
  const api = await iam();
  const call = api.call as AnyCall;
  await call(kind.create, { [kind.nameKey]: 'bob', ...(kind.kind === 'Role' ? { AssumeRolePolicyDocument: EC2_TRUST } : {}) });
  return { call, iam: api };
}

describe('inline policies', () => {
  for (const entity of KINDS) {
    const { kind, nameKey, limit, noun } = entity;

    it(`Put${kind}Policy stores the document; Get${kind}Policy returns it URL-encoded; List and Delete`, async () => {
      const { call } = await withEntity(entity);
      await call(`Put${kind}Policy`, { [nameKey]: 'BOB', PolicyName: 'Read', PolicyDocument: allow('s3:GetObject') });
      await call(`Put${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Write', PolicyDocument: allow('s3:PutObject') });
      const got = await call(`Get${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Read' });
      assert.equal(got[nameKey], 'bob');
      assert.equal(got.PolicyName, 'Read');
      assert.equal(got.PolicyDocument, encodeURIComponent(allow('s3:GetObject')));
      const listed = await call(`List${kind}Policies`, { [nameKey]: 'bob', MaxItems: 1 });
      assert.deepEqual([listed.PolicyNames, listed.IsTruncated], [['Read'], true]);
      const rest = await call(`List${kind}Policies`, { [nameKey]: 'bob', Marker: listed.Marker });
      assert.deepEqual([rest.PolicyNames, rest.IsTruncated], [['Write'], false]);
      await call(`Delete${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Read' });
      await assert.rejects(
        call(`Get${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Read' }),
        awsError('NoSuchEntity', `The ${noun} policy with name Read cannot be found.`),
      );
      await assert.rejects(
        call(`Delete${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Read' }),
        awsError('NoSuchEntity', `The ${noun} policy with name Read cannot be found.`),
      );
    });

    it(`Put${kind}Policy counts all of the ${noun}'s inline policies together against ${limit} characters`, async () => {
      const { call } = await withEntity(entity);
      const half = Math.floor(limit / 2);
      await call(`Put${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'One', PolicyDocument: documentOfSize(half) });
      // Replacing a policy does not count its old text.
      await call(`Put${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'One', PolicyDocument: documentOfSize(half) });
      const spaced = documentOfSize(limit - half).replace(/,/g, ', \n\t');
      await call(`Put${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Two', PolicyDocument: spaced });
      await assert.rejects(
        call(`Put${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Three', PolicyDocument: allow('s3:GetObject') }),
        awsError('LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${noun} bob`),
      );
      await call(`Delete${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Two' });
      await call(`Put${kind}Policy`, { [nameKey]: 'bob', PolicyName: 'Three', PolicyDocument: allow('s3:GetObject') });
    });
  }

  it('rejects a malformed document: MalformedPolicyDocument', async () => {
    const { call } = await withEntity(KINDS[0]);
    const noEffect = JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Resource: '*' }] });
    await assert.rejects(
      call('PutUserPolicy', { UserName: 'bob', PolicyName: 'Bad', PolicyDocument: noEffect }),
      awsError('MalformedPolicyDocument', 'Missing required field Effect'),
    );
  });

  it('answers NoSuchEntity for a missing entity', async () => {
    const { call } = await iam();
    await assert.rejects(call('PutRolePolicy', { RoleName: 'ghost', PolicyName: 'p', PolicyDocument: allow('s3:GetObject') }), awsError('NoSuchEntity', 'The role with name ghost cannot be found.'));
    await assert.rejects(call('ListGroupPolicies', { GroupName: 'ghost' }), awsError('NoSuchEntity', 'The group with name ghost cannot be found.'));
  });

  it('blocks DeleteRole while an inline policy remains', async () => {
    const { call } = await withEntity(KINDS[2]);
    await call('PutRolePolicy', { RoleName: 'bob', PolicyName: 'p', PolicyDocument: allow('s3:GetObject') });
    await assert.rejects(call('DeleteRole', { RoleName: 'bob' }), awsError('DeleteConflict', 'Cannot delete entity, must delete policies first.'));
  });
});
