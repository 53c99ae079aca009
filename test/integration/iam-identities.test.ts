// IAM identities end to end: the AWS SDK for JavaScript v3, boto3 and the AWS CLI
// against a real Bulwark server walk users, groups, roles, service-linked roles,
// instance profiles and the account alias through their life cycles and AWS's errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeleteAccountAliasCommand,
  DeleteGroupCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteServiceLinkedRoleCommand,
  DeleteUserCommand,
  GetGroupCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  GetUserCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListGroupsForUserCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUsers,
  RemoveRoleFromInstanceProfileCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { assertError, failure } from '../helpers/errors.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);

const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('IAM identities with the real clients', () => {
  let server: RunningServer;
  let iam: IAMClient;
  before(async () => {
    server = await startTestServer();
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
  });
  after(async () => {
    iam.destroy();
    await server.close();
  });

  describe('AWS SDK for JavaScript v3', () => {
    it('walks a user through create, tag, rename and delete, with AWS errors on the way', async () => {
      const created = await iam.send(new CreateUserCommand({ UserName: 'sdk-alice', Path: '/sdk/', Tags: [{ Key: 'team', Value: 'a' }] }));
      assert.equal(created.User?.Arn, `arn:aws:iam::${TEST_ACCOUNT}:user/sdk/sdk-alice`);
      assert.match(created.User?.UserId ?? '', /^AIDA/);
      assert.ok(created.User?.CreateDate instanceof Date);

      const duplicate = await failure(iam.send(new CreateUserCommand({ UserName: 'SDK-ALICE' })));
      assertError(duplicate, 'EntityAlreadyExistsException', 409, 'User with name SDK-ALICE already exists.');

      await iam.send(new TagUserCommand({ UserName: 'sdk-alice', Tags: [{ Key: 'TEAM', Value: 'b' }] }));
      const tags = await iam.send(new ListUserTagsCommand({ UserName: 'sdk-alice' }));
      assert.deepEqual(tags.Tags, [{ Key: 'TEAM', Value: 'b' }]);

      await iam.send(new UpdateUserCommand({ UserName: 'sdk-alice', NewUserName: 'sdk-alicia' }));
      const missing = await failure(iam.send(new GetUserCommand({ UserName: 'sdk-alice' })));
      assertError(missing, 'NoSuchEntityException', 404, 'The user with name sdk-alice cannot be found.');
      const renamed = await iam.send(new GetUserCommand({ UserName: 'sdk-alicia' }));
      assert.equal(renamed.User?.UserId, created.User?.UserId);

      await iam.send(new DeleteUserCommand({ UserName: 'sdk-alicia' }));
      assertError(await failure(iam.send(new DeleteUserCommand({ UserName: 'sdk-alicia' }))), 'NoSuchEntityException', 404);
    });

    it("UpdateUser with only a NewPath moves the user's ARN, and requests signed with its access keys show the new ARN", async () => {
      await iam.send(new CreateUserCommand({ UserName: 'sdk-mover', Path: '/before/' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'sdk-mover' }));
      await iam.send(new UpdateUserCommand({ UserName: 'sdk-mover', NewPath: '/after/' }));
      const { User } = await iam.send(new GetUserCommand({ UserName: 'sdk-mover' }));
      assert.equal(User?.Arn, `arn:aws:iam::${TEST_ACCOUNT}:user/after/sdk-mover`);
      const sts = new STSClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, `arn:aws:iam::${TEST_ACCOUNT}:user/after/sdk-mover`);
      sts.destroy();
    });

    it('GetUser without a UserName describes the root caller', async () => {
      const { User } = await iam.send(new GetUserCommand({}));
      assert.equal(User?.UserId, TEST_ACCOUNT);
      assert.equal(User?.Arn, `arn:aws:iam::${TEST_ACCOUNT}:root`);
    });

    it('ListUsers pages with MaxItems and Marker, in name order', async () => {
      for (const name of ['page-c', 'page-a', 'page-e', 'page-b', 'page-d']) {
        await iam.send(new CreateUserCommand({ UserName: name, Path: '/paging/' }));
      }
      const first = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
      assert.equal(first.IsTruncated, true);
      assert.ok(first.Marker);
      const names: string[] = [];
      for await (const page of paginateListUsers({ client: iam, pageSize: 2 }, { PathPrefix: '/paging/' })) {
        assert.ok((page.Users ?? []).length <= 2);
        names.push(...(page.Users ?? []).map((user) => user.UserName!));
      }
      assert.deepEqual(names, ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
    });

    it('groups: membership, paged members, DeleteConflict while not empty, LimitExceeded past 10 groups', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'grp-user' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'grp-devs' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'grp-devs', UserName: 'grp-user' }));
      const group = await iam.send(new GetGroupCommand({ GroupName: 'grp-devs' }));
      assert.deepEqual(group.Users?.map((u) => u.UserName), ['grp-user']);
      assert.match(group.Group?.GroupId ?? '', /^AGPA/);

      const duplicate = await failure(iam.send(new CreateGroupCommand({ GroupName: 'GRP-DEVS' })));
      assertError(duplicate, 'EntityAlreadyExistsException', 409, 'Group with name GRP-DEVS already exists.');

      const groupConflict = await failure(iam.send(new DeleteGroupCommand({ GroupName: 'grp-devs' })));
      assertError(groupConflict, 'DeleteConflictException', 409, 'Cannot delete entity, must remove users from group first.');
      const userConflict = await failure(iam.send(new DeleteUserCommand({ UserName: 'grp-user' })));
      assertError(userConflict, 'DeleteConflictException', 409);

      for (let i = 1; i < 10; i++) {
        await iam.send(new CreateGroupCommand({ GroupName: `grp-${i}` }));
        await iam.send(new AddUserToGroupCommand({ GroupName: `grp-${i}`, UserName: 'grp-user' }));
      }
      await iam.send(new CreateGroupCommand({ GroupName: 'grp-eleventh' }));
      const limit = await failure(iam.send(new AddUserToGroupCommand({ GroupName: 'grp-eleventh', UserName: 'grp-user' })));
      assertError(limit, 'LimitExceededException', 409, 'Cannot exceed quota for GroupsPerUser: 10');

      const firstPage = await iam.send(new ListGroupsForUserCommand({ UserName: 'grp-user', MaxItems: 4 }));
      assert.equal(firstPage.IsTruncated, true);
      assert.equal(firstPage.Groups?.length, 4);

      await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'grp-devs', UserName: 'grp-user' }));
      await iam.send(new DeleteGroupCommand({ GroupName: 'grp-devs' }));
    });

    it('roles: trust policy checks, URL-encoded document, MaxSessionDuration range, instance profile conflicts', async () => {
      const { Role } = await iam.send(
        new CreateRoleCommand({ RoleName: 'sdk-role', AssumeRolePolicyDocument: EC2_TRUST, Description: 'test role' }),
      );
      assert.match(Role?.RoleId ?? '', /^AROA/);
      const got = await iam.send(new GetRoleCommand({ RoleName: 'sdk-role' }));
      assert.equal(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''), EC2_TRUST);
      assert.equal(got.Role?.MaxSessionDuration, 3600);
      assert.equal(got.Role?.Description, 'test role');

      const malformed = await failure(
        iam.send(new CreateRoleCommand({ RoleName: 'sdk-bad', AssumeRolePolicyDocument: '{"Version":"2012-10-17"}' })),
      );
      assertError(malformed, 'MalformedPolicyDocumentException', 400);

      const tooLong = await failure(iam.send(new UpdateRoleCommand({ RoleName: 'sdk-role', MaxSessionDuration: 43201 })));
      assert.equal(tooLong.$metadata.httpStatusCode, 400);
      await iam.send(new UpdateRoleCommand({ RoleName: 'sdk-role', MaxSessionDuration: 43200 }));

      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'sdk-profile' }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'sdk-profile', RoleName: 'sdk-role' }));
      await iam.send(new CreateRoleCommand({ RoleName: 'sdk-role-2', AssumeRolePolicyDocument: EC2_TRUST }));
      const oneRole = await failure(
        iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'sdk-profile', RoleName: 'sdk-role-2' })),
      );
      assertError(oneRole, 'LimitExceededException', 409, 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');

      const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'sdk-profile' }));
      assert.deepEqual(profile.InstanceProfile?.Roles?.map((r) => r.RoleName), ['sdk-role']);
      const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'sdk-role' }));
      assert.deepEqual(forRole.InstanceProfiles?.map((p) => p.InstanceProfileName), ['sdk-profile']);

      const roleConflict = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'sdk-role' })));
      assertError(roleConflict, 'DeleteConflictException', 409, 'Cannot delete entity, must remove roles from instance profile first.');
      const profileConflict = await failure(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'sdk-profile' })));
      assertError(profileConflict, 'DeleteConflictException', 409);

      await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'sdk-profile', RoleName: 'sdk-role' }));
      await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'sdk-profile' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'sdk-role' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'sdk-role-2' }));
      assertError(await failure(iam.send(new GetRoleCommand({ RoleName: 'sdk-role' }))), 'NoSuchEntityException', 404);
    });

    it('ListRoles pages over more than one page', async () => {
      for (const name of ['lr-1', 'lr-2', 'lr-3']) {
        await iam.send(new CreateRoleCommand({ RoleName: name, Path: '/listing/', AssumeRolePolicyDocument: EC2_TRUST }));
      }
      const first = await iam.send(new ListRolesCommand({ PathPrefix: '/listing/', MaxItems: 2 }));
      const second = await iam.send(new ListRolesCommand({ PathPrefix: '/listing/', MaxItems: 2, Marker: first.Marker }));
      assert.equal(first.IsTruncated, true);
      assert.equal(second.IsTruncated, false);
      assert.deepEqual([...(first.Roles ?? []), ...(second.Roles ?? [])].map((r) => r.RoleName), ['lr-1', 'lr-2', 'lr-3']);
    });

    it('service-linked roles: name, path, protected from DeleteRole, deleted by a task that succeeds', async () => {
      const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
      assert.equal(Role?.RoleName, 'AWSServiceRoleForAutoScaling');
      assert.equal(Role?.Path, '/aws-service-role/autoscaling.amazonaws.com/');
      const again = await failure(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' })));
      assertError(again, 'InvalidInputException', 400);
      const protectedRole = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' })));
      assertError(protectedRole, 'UnmodifiableEntityException', 400);

      const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }));
      const status = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
      assert.equal(status.Status, 'SUCCEEDED');
    });

    it('account alias: one per account, replaced by a new one, deleted by name', async () => {
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'bulwark-first' }));
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'bulwark-second' }));
      assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['bulwark-second']);
      const taken = await failure(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'bulwark-second' })));
      assertError(taken, 'EntityAlreadyExistsException', 409);
      await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'bulwark-second' }));
      assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
    });
  });

  describe('boto3', () => {
    it('walks a user, a group and a role through their life cycles and pages ListUsers', async () => {
      const script = `
import boto3, json, sys
from botocore.exceptions import ClientError
iam = boto3.client('iam', endpoint_url=sys.argv[1])
out = {}
def error_of(call, **kw):
    try:
        call(**kw)
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
    return None

for name in ['boto-d', 'boto-b', 'boto-a', 'boto-c', 'boto-e']:
    iam.create_user(UserName=name, Path='/boto/')
out['duplicate'] = error_of(iam.create_user, UserName='BOTO-A')
pages = list(iam.get_paginator('list_users').paginate(PathPrefix='/boto/', PaginationConfig={'PageSize': 2}))
out['pages'] = [[u['UserName'] for u in p['Users']] for p in pages]

iam.create_group(GroupName='boto-group')
iam.add_user_to_group(GroupName='boto-group', UserName='boto-a')
out['group_conflict'] = error_of(iam.delete_group, GroupName='boto-group')
iam.remove_user_from_group(GroupName='boto-group', UserName='boto-a')
iam.delete_group(GroupName='boto-group')

doc = json.loads(sys.argv[2])
iam.create_role(RoleName='boto-role', AssumeRolePolicyDocument=json.dumps(doc))
role = iam.get_role(RoleName='boto-role')['Role']
out['trust'] = role['AssumeRolePolicyDocument']
out['last_used'] = role['RoleLastUsed']
iam.delete_role(RoleName='boto-role')
out['missing_role'] = error_of(iam.get_role, RoleName='boto-role')

iam.create_instance_profile(InstanceProfileName='boto-profile')
out['profile_dup'] = error_of(iam.create_instance_profile, InstanceProfileName='boto-profile')
iam.delete_instance_profile(InstanceProfileName='boto-profile')
for name in ['boto-a', 'boto-b', 'boto-c', 'boto-d', 'boto-e']:
    iam.delete_user(UserName=name)
print(json.dumps(out))`;
      const { stdout } = await run('python3', ['-c', script, server.url, EC2_TRUST], { env: awsEnv() });
      const out = JSON.parse(stdout);
      assert.deepEqual(out.duplicate, ['EntityAlreadyExists', 409, 'User with name BOTO-A already exists.']);
      assert.deepEqual(out.pages, [['boto-a', 'boto-b'], ['boto-c', 'boto-d'], ['boto-e']]);
      assert.deepEqual(out.group_conflict, ['DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.']);
      // botocore decodes the URL-encoded document back into JSON.
      assert.deepEqual(out.trust, JSON.parse(EC2_TRUST));
      assert.deepEqual(out.last_used, {});
      assert.deepEqual(out.missing_role, ['NoSuchEntity', 404, 'The role with name boto-role cannot be found.']);
      assert.deepEqual(out.profile_dup, ['EntityAlreadyExists', 409, 'Instance Profile boto-profile already exists.']);
    });
  });

  describe('AWS CLI', () => {
    function aws(...args: string[]) {
      return run('aws', ['--endpoint-url', server.url, '--output', 'json', 'iam', ...args], { env: awsEnv() });
    }

    it('creates, lists page by page, and deletes users; a missing user fails with NoSuchEntity', async () => {
      for (const name of ['cli-b', 'cli-a', 'cli-c']) await aws('create-user', '--user-name', name, '--path', '/cli/');
      const { stdout } = await aws('list-users', '--path-prefix', '/cli/', '--page-size', '2');
      assert.deepEqual(JSON.parse(stdout).Users.map((u: { UserName: string }) => u.UserName), ['cli-a', 'cli-b', 'cli-c']);
      const firstPage = JSON.parse((await aws('list-users', '--path-prefix', '/cli/', '--max-items', '2')).stdout);
      assert.equal(firstPage.Users.length, 2);
      assert.ok(firstPage.NextToken, 'the CLI reports a NextToken when IAM says IsTruncated');

      for (const name of ['cli-a', 'cli-b', 'cli-c']) await aws('delete-user', '--user-name', name);
      await assert.rejects(aws('get-user', '--user-name', 'cli-a'), (error: { stderr: string }) => {
        assert.match(error.stderr, /NoSuchEntity/);
        assert.match(error.stderr, /The user with name cli-a cannot be found\./);
        return true;
      });
    });

    it('creates a role and shows its trust policy as JSON', async () => {
      await aws('create-role', '--role-name', 'cli-role', '--assume-role-policy-document', EC2_TRUST);
      const { stdout } = await aws('get-role', '--role-name', 'cli-role');
      assert.deepEqual(JSON.parse(stdout).Role.AssumeRolePolicyDocument, JSON.parse(EC2_TRUST));
      await aws('delete-role', '--role-name', 'cli-role');
    });
  });
});
