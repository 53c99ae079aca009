// The IAM catalog (Service Authorization Reference data) as the policy linter and
// SimulatePrincipalPolicy will use it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionConditionKeys,
  actionExists,
  actionResourceTypes,
  conditionKeyExists,
  describeAction,
  describeConditionKey,
  describeResourceType,
  expandAction,
  listActions,
  rcpSupportedServices,
  rcpSupportedServicesSync,
  serviceExists,
  serviceName,
  splitAction,
} from '../../../src/policy/catalog.ts';

describe('IAM catalog: services', () => {
  it('knows the service prefixes AWS has, and not made-up ones', async () => {
    assert.equal(await serviceExists('iam'), true);
    assert.equal(await serviceExists('S3'), true, 'prefixes match case-insensitively');
    assert.equal(await serviceExists('s3x'), false);
    assert.equal(await serviceName('kms'), 'AWS Key Management Service');
    assert.equal(await serviceName('nope'), undefined);
  });

  it('lists the actions of a service, and none for an unknown one', async () => {
    const iam = await listActions('iam');
    assert.ok(iam.includes('CreateUser') && iam.includes('AttachRolePolicy'));
    assert.deepEqual(await listActions('nope'), []);
  });

  it('lists the services RCPs support (s3, sts, kms, ...) and the sync list agrees', async () => {
    const services = await rcpSupportedServices();
    for (const service of ['s3', 'sts', 'kms', 'sqs', 'secretsmanager']) assert.ok(services.includes(service), service);
    assert.ok(!services.includes('ec2'));
    assert.deepEqual([...rcpSupportedServicesSync()].sort(), [...services].sort());
  });
});

describe('IAM catalog: actions', () => {
  it('matches action names case-insensitively, and returns AWS spelling', async () => {
    assert.equal(await actionExists('iam:getuser'), true);
    assert.equal(await actionExists('IAM:GetUser'), true);
    assert.equal(await actionExists('iam:GetUsers'), false);
    assert.equal(await actionExists('nope:GetUser'), false);
    assert.equal(await actionExists('iamGetUser'), false);
    assert.equal((await describeAction('s3:getobject'))?.action, 's3:GetObject');
  });

  it('expands iam:Get* to the concrete Get actions, GetUser included', async () => {
    const actions = await expandAction('iam:Get*');
    assert.ok(actions.includes('iam:GetUser'));
    assert.ok(actions.includes('iam:GetRole'));
    assert.ok(actions.every((action) => action.startsWith('iam:Get')));
    assert.deepEqual(actions, [...actions].sort());
  });

  it('expands ? and wildcards inside a name, case-insensitively', async () => {
    assert.deepEqual(await expandAction('iam:getuse?'), ['iam:GetUser']);
    const accessKeys = await expandAction('iam:*AccessKey*');
    assert.ok(accessKeys.includes('iam:CreateAccessKey') && accessKeys.includes('iam:ListAccessKeys'));
    assert.deepEqual(await expandAction('iam:NoSuch*'), []);
    assert.deepEqual(await expandAction('nope:*'), []);
  });

  it('expands a wildcard service prefix across services', async () => {
    const actions = await expandAction('*:GetCallerIdentity');
    assert.deepEqual(actions, ['sts:GetCallerIdentity']);
  });

  it('describes an action: access level, resource types, condition keys', async () => {
    const getObject = await describeAction('s3:GetObject');
    assert.equal(getObject?.accessLevel, 'Read');
    assert.ok(getObject?.resourceTypes.some((type) => type.name === 'object'));
    const keys = await actionConditionKeys('s3:GetObject');
    assert.ok(keys.includes('s3:ExistingObjectTag/<key>'), `s3:GetObject keys: ${keys.join(', ')}`);
    const createUser = await actionResourceTypes('iam:CreateUser');
    assert.deepEqual(createUser.map((type) => type.name), ['user']);
  });

  it('marks actions that support no resource type as wildcard-only', async () => {
    assert.equal((await describeAction('iam:GetUser'))?.wildcardOnly, false);
    assert.equal((await describeAction('sts:GetCallerIdentity'))?.wildcardOnly, true);
  });

  it('splits service:Action and refuses anything else', () => {
    assert.deepEqual(splitAction('s3:GetObject'), { service: 's3', name: 'GetObject' });
    assert.equal(splitAction('s3'), undefined);
    assert.equal(splitAction('a:b:c'), undefined);
  });
});

describe('IAM catalog: resource types and condition keys', () => {
  it('gives the ARN format of a resource type', async () => {
    const object = await describeResourceType('s3', 'object');
    assert.equal(object?.arnFormat, 'arn:${Partition}:s3:::${BucketName}/${ObjectName}');
    assert.equal(await describeResourceType('s3', 'nope'), undefined);
  });

  it('knows global condition keys, with and without a tag part', async () => {
    assert.equal(await conditionKeyExists('aws:SourceIp'), true);
    assert.equal(await conditionKeyExists('aws:sourceip'), true);
    assert.equal(await conditionKeyExists('aws:PrincipalTag/team'), true);
    assert.equal(await conditionKeyExists('aws:NoSuchKey'), false);
  });

  it('resolves service condition keys to their catalog entry', async () => {
    assert.equal((await describeConditionKey('s3:prefix'))?.type, 'String');
    assert.equal((await describeConditionKey('s3:ExistingObjectTag/owner'))?.key, 's3:ExistingObjectTag/<key>');
    assert.equal(await describeConditionKey('s3:nope'), undefined);
    assert.equal(await describeConditionKey('nope:thing'), undefined);
  });
});
