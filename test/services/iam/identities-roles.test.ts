// IAM roles and service-linked roles, at the handler level.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { attachmentKey, COLLECTIONS, inlinePolicyKey } from '../../../src/services/iam/records.ts';
import { ACCOUNT, awsError, EC2_TRUST, iam, OTHER_ACCOUNT, trustFor, type Iam } from './identities-context.ts';

describe('IAM roles', () => {
  let api: Iam;
  beforeEach(async () => {
    api = await iam();
  });

  describe('CreateRole', () => {
    it('creates a role with an AROA id, a 3600 s default session and the trust policy URL-encoded', async () => {
      const { Role } = await api.call('CreateRole', { RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: EC2_TRUST });
      assert.match(Role.RoleId, /^AROA[A-Z2-7]{17}$/);
      assert.equal(Role.Arn, `arn:aws:iam::${ACCOUNT}:role/svc/app`);
      assert.equal(Role.MaxSessionDuration, 3600);
      assert.equal(Role.AssumeRolePolicyDocument, encodeURIComponent(EC2_TRUST));
      assert.equal(decodeURIComponent(Role.AssumeRolePolicyDocument!), EC2_TRUST);
    });

    it('keeps Description, MaxSessionDuration and Tags', async () => {
      const { Role } = await api.call('CreateRole', {
        RoleName: 'app',
        AssumeRolePolicyDocument: EC2_TRUST,
        Description: 'for the app',
        MaxSessionDuration: 43200,
        Tags: [{ Key: 'team', Value: 'a' }],
      });
      assert.equal(Role.Description, 'for the app');
      assert.equal(Role.MaxSessionDuration, 43200);
      assert.deepEqual(Role.Tags, [{ Key: 'team', Value: 'a' }]);
    });

    it('rejects a name that differs only in case: EntityAlreadyExists', async () => {
      await api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
      await assert.rejects(
        api.call('CreateRole', { RoleName: 'APP', AssumeRolePolicyDocument: EC2_TRUST }),
        awsError('EntityAlreadyExistsException', 'Role with name APP already exists.'),
      );
    });

    it('validates the document as a trust policy: a statement without Principal is MalformedPolicyDocument', async () => {
      const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
      await assert.rejects(
        api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: noPrincipal }),
        awsError('MalformedPolicyDocument', 'Missing required field Principal'),
      );
    });

    it('rejects text that is not JSON: MalformedPolicyDocument', async () => {
      await assert.rejects(
        api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: 'not json' }),
        awsError('MalformedPolicyDocument', 'This policy contains invalid Json'),
      );
    });

    it("refuses a principal naming a user of the caller's account that does not exist", async () => {
      const arn = `arn:aws:iam::${ACCOUNT}:user/nobody`;
      await assert.rejects(
        api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustFor({ AWS: arn }) }),
        awsError('MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${arn}"`),
      );
      await api.call('CreateUser', { UserName: 'nobody' });
      await api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustFor({ AWS: arn }) });
    });

    it("accepts another account's user and role ARNs (Bulwark cannot know them)", async () => {
      const arn = `arn:aws:iam::${OTHER_ACCOUNT}:role/partner`;
      const { Role } = await api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustFor({ AWS: [arn] }) });
      assert.equal(Role.RoleName, 'app');
    });

    it('refuses a trust policy over 2048 characters (white space not counted): LimitExceeded', async () => {
      const services = Array.from({ length: 120 }, (_, i) => `service${i}.amazonaws.com`);
      await assert.rejects(
        api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustFor({ Service: services }) }),
        awsError('LimitExceeded', 'Cannot exceed quota for ACLSizePerRole: 2048'),
      );
    });

    it('accepts an AWS managed policy as permissions boundary, not a service-linked-role policy', async () => {
      const boundary = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
      const { Role } = await api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST, PermissionsBoundary: boundary });
      assert.deepEqual(Role.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
      const slrPolicy = 'arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy';
      await assert.rejects(
        api.call('CreateRole', { RoleName: 'app2', AssumeRolePolicyDocument: EC2_TRUST, PermissionsBoundary: slrPolicy }),
        awsError('NoSuchEntityException', `Policy ${slrPolicy} does not exist or is not attachable.`),
      );
    });

    it('stops at the RolesPerAccount quota of 1000: LimitExceeded', async () => {
      for (let i = 0; i < 1000; i++) await api.store.put(COLLECTIONS.roles, `${ACCOUNT}/filler${i}`, { roleName: `filler${i}` });
      await assert.rejects(
        api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST }),
        awsError('LimitExceededException', 'Cannot exceed quota for RolesPerAccount: 1000'),
      );
    });
  });

  describe('GetRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy', () => {
    beforeEach(async () => {
      await api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST, Tags: [{ Key: 'k', Value: 'v' }] });
    });

    it('GetRole returns the role with an empty RoleLastUsed when never used, and its tags', async () => {
      const { Role } = await api.call('GetRole', { RoleName: 'APP' });
      assert.equal(Role.RoleName, 'app');
      assert.deepEqual(Role.RoleLastUsed, {});
      assert.deepEqual(Role.Tags, [{ Key: 'k', Value: 'v' }]);
    });

    it('GetRole of a missing role: NoSuchEntity', async () => {
      await assert.rejects(api.call('GetRole', { RoleName: 'nope' }), awsError('NoSuchEntityException', 'The role with name nope cannot be found.'));
    });

    it('UpdateRole changes the description and the maximum session duration', async () => {
      await api.call('UpdateRole', { RoleName: 'app', Description: 'new', MaxSessionDuration: 7200 });
      const { Role } = await api.call('GetRole', { RoleName: 'app' });
      assert.equal(Role.Description, 'new');
      assert.equal(Role.MaxSessionDuration, 7200);
    });

    it('UpdateRoleDescription returns the updated role', async () => {
      const { Role } = await api.call('UpdateRoleDescription', { RoleName: 'app', Description: 'described' });
      assert.equal(Role?.Description, 'described');
    });

    it('UpdateAssumeRolePolicy validates and replaces the trust policy', async () => {
      const lambda = trustFor({ Service: 'lambda.amazonaws.com' });
      await api.call('UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: lambda });
      const { Role } = await api.call('GetRole', { RoleName: 'app' });
      assert.equal(decodeURIComponent(Role.AssumeRolePolicyDocument!), lambda);
      await assert.rejects(
        api.call('UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: '{' }),
        awsError('MalformedPolicyDocument'),
      );
    });

    it('ListRoles leaves out tags and RoleLastUsed, and pages', async () => {
      await api.call('CreateRole', { RoleName: 'b-role', AssumeRolePolicyDocument: EC2_TRUST });
      await api.call('CreateRole', { RoleName: 'c-role', AssumeRolePolicyDocument: EC2_TRUST, Path: '/x/' });
      const first = await api.call('ListRoles', { MaxItems: 2 });
      assert.equal(first.IsTruncated, true);
      assert.ok(first.Roles.every((r) => r.Tags === undefined && r.RoleLastUsed === undefined));
      const second = await api.call('ListRoles', { MaxItems: 2, Marker: first.Marker });
      assert.deepEqual([...first.Roles, ...second.Roles].map((r) => r.RoleName), ['app', 'b-role', 'c-role']);
      assert.deepEqual((await api.call('ListRoles', { PathPrefix: '/x/' })).Roles.map((r) => r.RoleName), ['c-role']);
    });

    it('TagRole, UntagRole and ListRoleTags', async () => {
      await api.call('TagRole', { RoleName: 'app', Tags: [{ Key: 'K', Value: 'w' }, { Key: 'z', Value: '1' }] });
      assert.deepEqual((await api.call('ListRoleTags', { RoleName: 'app' })).Tags, [{ Key: 'K', Value: 'w' }, { Key: 'z', Value: '1' }]);
      await api.call('UntagRole', { RoleName: 'app', TagKeys: ['k'] });
      assert.deepEqual((await api.call('ListRoleTags', { RoleName: 'app' })).Tags, [{ Key: 'z', Value: '1' }]);
      const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `t${i}`, Value: '' }));
      await assert.rejects(api.call('TagRole', { RoleName: 'app', Tags: tooMany }), awsError('LimitExceededException'));
    });
  });

  describe('DeleteRole', () => {
    beforeEach(async () => {
      await api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
    });

    it('deletes the role and its unique id record', async () => {
      const { Role } = await api.call('GetRole', { RoleName: 'app' });
      await api.call('DeleteRole', { RoleName: 'app' });
      await assert.rejects(api.call('GetRole', { RoleName: 'app' }), awsError('NoSuchEntityException'));
      assert.equal(await api.store.get(COLLECTIONS.uniqueIds, Role.RoleId), undefined);
    });

    it('refuses while the role is in an instance profile: DeleteConflict', async () => {
      await api.call('CreateInstanceProfile', { InstanceProfileName: 'web' });
      await api.call('AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'app' });
      await assert.rejects(
        api.call('DeleteRole', { RoleName: 'app' }),
        awsError('DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.'),
      );
    });

    it('refuses while the role has inline or attached policies: DeleteConflict', async () => {
      const inline = inlinePolicyKey(ACCOUNT, 'role', 'app', 'p');
      await api.store.put(COLLECTIONS.inlinePolicies, inline, { kind: 'role', entityName: 'app', policyName: 'p', document: '{}' });
      await assert.rejects(
        api.call('DeleteRole', { RoleName: 'app' }),
        awsError('DeleteConflictException', 'Cannot delete entity, must delete policies first.'),
      );
      await api.store.delete(COLLECTIONS.inlinePolicies, inline);
      const policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
      await api.store.put(COLLECTIONS.attachments, attachmentKey(ACCOUNT, policyArn, 'role', 'app'), {
        policyArn,
        kind: 'role',
        name: 'app',
        entityId: 'x',
      });
      await assert.rejects(
        api.call('DeleteRole', { RoleName: 'app' }),
        awsError('DeleteConflictException', 'Cannot delete entity, must detach all policies first.'),
      );
    });
  });
});

describe('IAM service-linked roles', () => {
  let api: Iam;
  beforeEach(async () => {
    api = await iam();
  });

  it("CreateServiceLinkedRole uses the service's role name and path and trusts only the service", async () => {
    const { Role } = await api.call('CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' });
    assert.ok(Role);
    assert.equal(Role.RoleName, 'AWSServiceRoleForAutoScaling');
    assert.equal(Role.Path, '/aws-service-role/autoscaling.amazonaws.com/');
    assert.equal(Role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`);
    const trust = JSON.parse(decodeURIComponent(Role.AssumeRolePolicyDocument!));
    assert.deepEqual(trust.Statement[0].Principal, { Service: ['autoscaling.amazonaws.com'] });
    assert.deepEqual(trust.Statement[0].Action, ['sts:AssumeRole']);
  });

  it('a second role for the same service: InvalidInput naming the taken name', async () => {
    await api.call('CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' });
    await assert.rejects(
      api.call('CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' }),
      awsError('InvalidInputException', 'Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.'),
    );
  });

  it('CustomSuffix is appended after an underscore where the service allows it', async () => {
    const { Role } = await api.call('CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'fleet' });
    assert.equal(Role?.RoleName, 'AWSServiceRoleForAutoScaling_fleet');
  });

  it('CustomSuffix for a service that does not allow it: InvalidInput', async () => {
    await assert.rejects(
      api.call('CreateServiceLinkedRole', { AWSServiceName: 'es.amazonaws.com', CustomSuffix: 'x' }),
      awsError('InvalidInputException', 'Custom suffix is not allowed for es.amazonaws.com'),
    );
  });

  it('only AWS may change it: DeleteRole and UpdateAssumeRolePolicy answer UnmodifiableEntity', async () => {
    await api.call('CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' });
    const message = "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS";
    await assert.rejects(api.call('DeleteRole', { RoleName: 'AWSServiceRoleForECS' }), awsError('UnmodifiableEntityException', message));
    await assert.rejects(
      api.call('UpdateAssumeRolePolicy', { RoleName: 'AWSServiceRoleForECS', PolicyDocument: EC2_TRUST }),
      awsError('UnmodifiableEntityException', message),
    );
    const { Role } = await api.call('UpdateRoleDescription', { RoleName: 'AWSServiceRoleForECS', Description: 'ok' });
    assert.equal(Role?.Description, 'ok');
  });

  it('DeleteServiceLinkedRole deletes the role and its task reports SUCCEEDED', async () => {
    await api.call('CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' });
    const { DeletionTaskId } = await api.call('DeleteServiceLinkedRole', { RoleName: 'AWSServiceRoleForECS' });
    assert.match(DeletionTaskId, /^task\/aws-service-role\/ecs\.amazonaws\.com\/AWSServiceRoleForECS\/[0-9a-f-]{36}$/);
    const status = await api.call('GetServiceLinkedRoleDeletionStatus', { DeletionTaskId });
    assert.equal(status.Status, 'SUCCEEDED');
    await assert.rejects(api.call('GetRole', { RoleName: 'AWSServiceRoleForECS' }), awsError('NoSuchEntityException'));
    // The name is free again.
    await api.call('CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' });
  });

  it('DeleteServiceLinkedRole refuses an ordinary role: InvalidInput', async () => {
    await api.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
    await assert.rejects(api.call('DeleteServiceLinkedRole', { RoleName: 'app' }), awsError('InvalidInputException'));
    await assert.rejects(api.call('DeleteServiceLinkedRole', { RoleName: 'nope' }), awsError('NoSuchEntityException'));
  });

  it('GetServiceLinkedRoleDeletionStatus of an unknown task: NoSuchEntity; of a malformed id: InvalidInput', async () => {
    const unknown = 'task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/00000000-0000-0000-0000-000000000000';
    await assert.rejects(api.call('GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: unknown }), awsError('NoSuchEntityException'));
    await assert.rejects(api.call('GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: 'nonsense' }), awsError('InvalidInputException'));
  });
});
