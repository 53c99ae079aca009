// IAM policies end to end: the AWS SDK for JavaScript v3, boto3 and the AWS CLI against
// a real Bulwark server walk managed policies, versions, attachments, inline policies
// and permissions boundaries through their life cycles and AWS's errors, and page
// through the AWS managed policies.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  paginateListAttachedUserPolicies,
  paginateListPolicies,
  PutRolePermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { loadManagedPolicies } from '../../src/policy/managed-policies.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { assertError, failure } from '../helpers/errors.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);


const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function allow(...actions: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
}

/** A valid policy of `size` characters (no white space in it). */
function documentOfSize(size: number): string {
  const empty = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::' }] });
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::' + 'b'.repeat(size - empty.length) }],
  });
  assert.equal(text.length, size);
  return text;
}

describe('IAM policies with the real clients', () => {
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
    it('walks a managed policy through versions, the 5-version limit, DeleteConflict and deletion', async () => {
      const created = await iam.send(
        new CreatePolicyCommand({ PolicyName: 'sdk-versions', Path: '/sdk/', PolicyDocument: allow('s3:GetObject'), Tags: [{ Key: 'team', Value: 'a' }] }),
      );
      const arn = created.Policy!.Arn!;
      assert.equal(arn, `arn:aws:iam::${TEST_ACCOUNT}:policy/sdk/sdk-versions`);
      assert.match(created.Policy!.PolicyId!, /^ANPA/);
      assertError(
        await failure(iam.send(new CreatePolicyCommand({ PolicyName: 'SDK-VERSIONS', PolicyDocument: allow('s3:GetObject') }))),
        'EntityAlreadyExistsException',
        409,
        'A policy called SDK-VERSIONS already exists. Duplicate names are not allowed.',
      );

      for (let i = 2; i <= 5; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow(`s3:Get${i}`) }));
      assertError(
        await failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:GetObject') }))),
        'LimitExceededException',
        409,
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      );
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
      const v3 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
      assert.equal(decodeURIComponent(v3.PolicyVersion!.Document!), allow('s3:Get3'));
      assert.equal(v3.PolicyVersion!.IsDefaultVersion, true);
      const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      assert.deepEqual(versions.Versions!.map((v) => v.VersionId), ['v5', 'v4', 'v3', 'v2', 'v1']);

      assertError(
        await failure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }))),
        'DeleteConflictException',
        409,
        'Cannot delete the default version of a policy.',
      );
      assertError(
        await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn }))),
        'DeleteConflictException',
        409,
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
      for (const version of ['v1', 'v2', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: version }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
      assertError(await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn }))), 'NoSuchEntityException', 404, `Policy ${arn} was not found.`);
    });

    it('rejects malformed and oversized documents with AWS messages', async () => {
      assertError(
        await failure(iam.send(new CreatePolicyCommand({ PolicyName: 'sdk-bad', PolicyDocument: '{"Version":"2012-10-17"' }))),
        'MalformedPolicyDocumentException',
        400,
        'Syntax errors in policy.',
      );
      assertError(
        await failure(iam.send(new CreatePolicyCommand({ PolicyName: 'sdk-big', PolicyDocument: documentOfSize(6145) }))),
        'LimitExceededException',
        409,
        'Cannot exceed quota for PolicySize: 6144',
      );
      const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'sdk-big', PolicyDocument: documentOfSize(6144) }));
      assert.equal(created.Policy!.DefaultVersionId, 'v1');
    });

    it('attaches customer and AWS managed policies up to 10, lists them page by page, and blocks DeletePolicy while attached', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'sdk-attach' }));
      const arns = ['arn:aws:iam::aws:policy/ReadOnlyAccess'];
      for (let i = 0; i < 10; i++) {
        arns.push((await iam.send(new CreatePolicyCommand({ PolicyName: `sdk-attach-${i}`, PolicyDocument: allow('s3:GetObject') }))).Policy!.Arn!);
      }
      for (const arn of arns.slice(0, 10)) await iam.send(new AttachUserPolicyCommand({ UserName: 'sdk-attach', PolicyArn: arn }));
      assertError(
        await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'sdk-attach', PolicyArn: arns[10] }))),
        'LimitExceededException',
        409,
        'Cannot exceed quota for PoliciesPerUser: 10',
      );
      const listed: string[] = [];
      for await (const page of paginateListAttachedUserPolicies({ client: iam, pageSize: 3 }, { UserName: 'sdk-attach' })) {
        assert.ok(page.AttachedPolicies!.length <= 3);
        listed.push(...page.AttachedPolicies!.map((p) => p.PolicyArn!));
      }
      assert.deepEqual(listed.sort(), arns.slice(0, 10).sort());

      const readOnly = await iam.send(new GetPolicyCommand({ PolicyArn: arns[0] }));
      assert.equal(readOnly.Policy!.AttachmentCount, 1);
      const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arns[1] }));
      assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['sdk-attach']);
      assertError(await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arns[1] }))), 'DeleteConflictException', 409, 'Cannot delete a policy attached to entities.');

      const missing = `arn:aws:iam::${TEST_ACCOUNT}:policy/sdk-missing`;
      assertError(
        await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'sdk-attach', PolicyArn: missing }))),
        'NoSuchEntityException',
        404,
        `Policy ${missing} does not exist or is not attachable.`,
      );
      await iam.send(new DetachUserPolicyCommand({ UserName: 'sdk-attach', PolicyArn: arns[1] }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: arns[1] }));
      const remaining = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'sdk-attach' }));
      assert.equal(remaining.AttachedPolicies!.length, 9);
    });

    it('inline policies: URL-encoded documents, the aggregate 2,048 limit of a user, NoSuchEntity', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'sdk-inline' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'sdk-inline', PolicyName: 'big', PolicyDocument: documentOfSize(2000) }));
      const got = await iam.send(new GetUserPolicyCommand({ UserName: 'sdk-inline', PolicyName: 'big' }));
      assert.equal(decodeURIComponent(got.PolicyDocument!), documentOfSize(2000));
      assertError(
        await failure(iam.send(new PutUserPolicyCommand({ UserName: 'sdk-inline', PolicyName: 'more', PolicyDocument: allow('s3:GetObject') }))),
        'LimitExceededException',
        409,
        'Maximum policy size of 2048 bytes exceeded for user sdk-inline',
      );
      await iam.send(new DeleteUserPolicyCommand({ UserName: 'sdk-inline', PolicyName: 'big' }));
      assertError(
        await failure(iam.send(new GetUserPolicyCommand({ UserName: 'sdk-inline', PolicyName: 'big' }))),
        'NoSuchEntityException',
        404,
        'The user policy with name big cannot be found.',
      );
    });

    it('permissions boundaries show on the role and count on the policy', async () => {
      const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'sdk-boundary', PolicyDocument: allow('s3:*') }))).Policy!.Arn!;
      await iam.send(new CreateRoleCommand({ RoleName: 'sdk-bounded', AssumeRolePolicyDocument: EC2_TRUST }));
      await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'sdk-bounded', PermissionsBoundary: boundary }));
      const role = await iam.send(new GetRoleCommand({ RoleName: 'sdk-bounded' }));
      assert.equal(role.Role!.PermissionsBoundary!.PermissionsBoundaryArn, boundary);
      const policy = await iam.send(new GetPolicyCommand({ PolicyArn: boundary }));
      assert.equal(policy.Policy!.PermissionsBoundaryUsageCount, 1);
      assertError(await failure(iam.send(new DeletePolicyCommand({ PolicyArn: boundary }))), 'DeleteConflictException', 409);
    });

    it('ListPolicies Scope=AWS pages 5 at a time in catalog order', async () => {
      const catalog = (await loadManagedPolicies()).list();
      const names: string[] = [];
      let pages = 0;
      for await (const page of paginateListPolicies({ client: iam, pageSize: 5 }, { Scope: 'AWS' })) {
        assert.equal(page.Policies!.length, 5);
        names.push(...page.Policies!.map((p) => p.PolicyName!));
        if (++pages === 4) break;
      }
      assert.deepEqual(names, catalog.slice(0, 20).map((p) => p.name));
      const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/nothing-here/' }));
      assert.deepEqual([local.Policies, local.IsTruncated], [[], false]);
    });
  });

  describe('boto3', () => {
    it('walks the life cycle and error cases; the paginator reads every AWS managed policy 5 at a time', async () => {
      const script = `
import json, sys, boto3
from botocore.exceptions import ClientError
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1')
out = {}
def code(call):
    try:
        call()
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
    return None
doc = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': '*'}]})
arn = iam.create_policy(PolicyName='boto-policy', PolicyDocument=doc)['Policy']['Arn']
out['document'] = iam.get_policy_version(PolicyArn=arn, VersionId='v1')['PolicyVersion']['Document']
out['malformed'] = code(lambda: iam.create_policy(PolicyName='boto-bad', PolicyDocument='{"Statement": 1}'))
iam.create_role(RoleName='boto-role', AssumeRolePolicyDocument=sys.argv[2])
iam.put_role_policy(RoleName='boto-role', PolicyName='inline', PolicyDocument=doc)
out['inline'] = iam.get_role_policy(RoleName='boto-role', PolicyName='inline')['PolicyDocument']
out['role_policies'] = iam.list_role_policies(RoleName='boto-role')['PolicyNames']
iam.attach_role_policy(RoleName='boto-role', PolicyArn=arn)
iam.attach_role_policy(RoleName='boto-role', PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')
out['attached'] = sorted(p['PolicyName'] for p in iam.list_attached_role_policies(RoleName='boto-role')['AttachedPolicies'])
out['conflict'] = code(lambda: iam.delete_policy(PolicyArn=arn))
out['delete_role'] = code(lambda: iam.delete_role(RoleName='boto-role'))
out['missing_policy'] = code(lambda: iam.get_policy(PolicyArn='arn:aws:iam::123456789012:policy/boto-missing'))
out['missing_role'] = code(lambda: iam.get_role_policy(RoleName='boto-ghost', PolicyName='x'))
out['detach_missing'] = code(lambda: iam.detach_role_policy(RoleName='boto-role', PolicyArn='arn:aws:iam::aws:policy/AdministratorAccess'))
access = iam.list_policies_granting_service_access(Arn='arn:aws:iam::123456789012:role/boto-role', ServiceNamespaces=['s3'])
out['s3_access'] = sorted(p['PolicyName'] for p in access['PoliciesGrantingServiceAccess'][0]['Policies'])
names = []
pages = 0
for page in iam.get_paginator('list_policies').paginate(Scope='AWS', PaginationConfig={'PageSize': 5}):
    assert len(page['Policies']) <= 5
    names.extend(p['PolicyName'] for p in page['Policies'])
    pages += 1
out['aws_policies'] = len(names)
out['aws_unique'] = len(set(names))
out['pages'] = pages
print(json.dumps(out))
`;
      const { stdout } = await run('python3', ['-c', script, server.url, EC2_TRUST], { env: awsEnv(), maxBuffer: 10 * 1024 * 1024 });
      const out = JSON.parse(stdout);
      const catalogSize = (await loadManagedPolicies()).list().length;
      // botocore decodes the URL-encoded documents into objects.
      assert.deepEqual(out.document, JSON.parse(allow('s3:GetObject').replace('["s3:GetObject"]', '"s3:GetObject"')));
      assert.deepEqual(out.inline, out.document);
      assert.deepEqual(out.malformed, ['MalformedPolicyDocument', 400, 'Syntax errors in policy.']);
      assert.deepEqual(out.role_policies, ['inline']);
      assert.deepEqual(out.attached, ['ReadOnlyAccess', 'boto-policy']);
      assert.deepEqual(out.conflict, ['DeleteConflict', 409, 'Cannot delete a policy attached to entities.']);
      assert.deepEqual(out.delete_role, ['DeleteConflict', 409, 'Cannot delete entity, must delete policies first.']);
      assert.deepEqual(out.missing_policy, ['NoSuchEntity', 404, 'Policy arn:aws:iam::123456789012:policy/boto-missing was not found.']);
      assert.deepEqual(out.missing_role, ['NoSuchEntity', 404, 'The role with name boto-ghost cannot be found.']);
      assert.deepEqual(out.detach_missing, ['NoSuchEntity', 404, 'Policy arn:aws:iam::aws:policy/AdministratorAccess was not found.']);
      assert.deepEqual(out.s3_access, ['ReadOnlyAccess', 'boto-policy', 'inline']);
      assert.equal(out.aws_policies, catalogSize);
      assert.equal(out.aws_unique, catalogSize);
      assert.equal(out.pages, Math.ceil(catalogSize / 5));
    });
  });

  describe('AWS CLI', () => {
    it('list-policies --scope AWS --max-items 5 returns five policies and a NextToken; get-policy reads one', async () => {
      const cli = (...args: string[]) => run('aws', ['--endpoint-url', server.url, '--output', 'json', 'iam', ...args], { env: awsEnv() });
      const listed = JSON.parse((await cli('list-policies', '--scope', 'AWS', '--max-items', '5')).stdout);
      const catalog = (await loadManagedPolicies()).list();
      assert.deepEqual(listed.Policies.map((p: { PolicyName: string }) => p.PolicyName), catalog.slice(0, 5).map((p) => p.name));
      assert.ok(listed.NextToken);
      const next = JSON.parse((await cli('list-policies', '--scope', 'AWS', '--max-items', '5', '--starting-token', listed.NextToken)).stdout);
      assert.deepEqual(next.Policies.map((p: { PolicyName: string }) => p.PolicyName), catalog.slice(5, 10).map((p) => p.name));
      const readOnly = JSON.parse((await cli('get-policy', '--policy-arn', 'arn:aws:iam::aws:policy/ReadOnlyAccess')).stdout);
      assert.equal(readOnly.Policy.PolicyName, 'ReadOnlyAccess');
      await assert.rejects(cli('get-policy', '--policy-arn', 'arn:aws:iam::123456789012:policy/cli-missing'), (error: { stderr: string }) => {
        assert.match(error.stderr, /NoSuchEntity.*Policy arn:aws:iam::123456789012:policy\/cli-missing was not found\./);
        return true;
      });
    });
  });
});
