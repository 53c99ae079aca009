// Put/Delete User/Role PermissionsBoundary, called directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT, allow, awsError, EC2_TRUST, iam, READ_ONLY } from './policies-context.ts';

describe('permissions boundaries', () => {
  it('PutUserPermissionsBoundary sets the boundary and counts its use; replacing and deleting release it', async () => {
    const { call } = await iam();
    const first = (await call('CreatePolicy', { PolicyName: 'First', PolicyDocument: allow('s3:*') })).Policy!.Arn!;
    const second = (await call('CreatePolicy', { PolicyName: 'Second', PolicyDocument: allow('s3:*') })).Policy!.Arn!;
    await call('CreateUser', { UserName: 'bob' });
    const count = async (arn: string) => (await call('GetPolicy', { PolicyArn: arn })).Policy!.PermissionsBoundaryUsageCount;

    await call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: first });
    await call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: first }); // same again: counted once
    assert.equal((await call('GetUser', { UserName: 'bob' })).User!.PermissionsBoundary!.PermissionsBoundaryArn, first);
    assert.equal(await count(first), 1);
    await call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: second });
    assert.deepEqual([await count(first), await count(second)], [0, 1]);
    await call('DeleteUserPermissionsBoundary', { UserName: 'bob' });
    assert.equal(await count(second), 0);
    assert.equal((await call('GetUser', { UserName: 'bob' })).User!.PermissionsBoundary, undefined);
    await call('DeleteUserPermissionsBoundary', { UserName: 'bob' }); // none set: not an error
  });

  it('PutRolePermissionsBoundary accepts an AWS managed policy and counts it for this account', async () => {
    const { call } = await iam();
    await call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
    await call('PutRolePermissionsBoundary', { RoleName: 'app', PermissionsBoundary: READ_ONLY });
    const role = await call('GetRole', { RoleName: 'app' });
    assert.equal(role.Role!.PermissionsBoundary!.PermissionsBoundaryArn, READ_ONLY);
    assert.equal((await call('GetPolicy', { PolicyArn: READ_ONLY })).Policy!.PermissionsBoundaryUsageCount, 1);
    await call('DeleteRolePermissionsBoundary', { RoleName: 'app' });
    assert.equal((await call('GetPolicy', { PolicyArn: READ_ONLY })).Policy!.PermissionsBoundaryUsageCount, 0);
  });

  it('refuses a missing or service-linked-role policy: NoSuchEntity', async () => {
    const { call } = await iam();
    await call('CreateUser', { UserName: 'bob' });
    for (const arn of [`arn:aws:iam::${ACCOUNT}:policy/Missing`, 'arn:aws:iam::aws:policy/aws-service-role/APIGatewayServiceRolePolicy']) {
      await assert.rejects(
        call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: arn }),
        awsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`),
      );
    }
    await assert.rejects(call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: 'not-an-arn-at-all' }), awsError('InvalidInput'));
  });

  it('answers NoSuchEntity for a missing user or role', async () => {
    const { call } = await iam();
    await assert.rejects(call('PutUserPermissionsBoundary', { UserName: 'ghost', PermissionsBoundary: READ_ONLY }), awsError('NoSuchEntity', 'The user with name ghost cannot be found.'));
    await assert.rejects(call('DeleteRolePermissionsBoundary', { RoleName: 'ghost' }), awsError('NoSuchEntity', 'The role with name ghost cannot be found.'));
  });

  it('refuses to change a service-linked role: UnmodifiableEntity', async () => {
    const { call } = await iam();
    const { Role } = await call('CreateServiceLinkedRole', { AWSServiceName: 'elasticloadbalancing.amazonaws.com' });
    await assert.rejects(
      call('PutRolePermissionsBoundary', { RoleName: Role!.RoleName!, PermissionsBoundary: READ_ONLY }),
      awsError('UnmodifiableEntity', `Cannot perform the operation on the protected role '${Role!.RoleName}' - this role is only modifiable by AWS`),
    );
    await assert.rejects(call('AttachRolePolicy', { RoleName: Role!.RoleName!, PolicyArn: READ_ONLY }), awsError('UnmodifiableEntity'));
  });
});
