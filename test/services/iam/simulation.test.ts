// The policy simulator: SimulatePrincipalPolicy / SimulateCustomPolicy decisions with
// their matched statements, boundaries, missing context keys and pagination, and the
// GetContextKeysFor* operations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT, awsError, iam, policy, type Iam } from './reports-context.ts';

const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const BUCKET_OBJECTS = 'arn:aws:s3:::reports/*';
const OTHER_OBJECTS = 'arn:aws:s3:::secrets/*';
const READ_REPORTS = policy({ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: BUCKET_OBJECTS });

async function alice(client: Iam, document = READ_REPORTS): Promise<void> {
  await client.call('CreateUser', { UserName: 'alice' });
  await client.call('PutUserPolicy', { UserName: 'alice', PolicyName: 'read-reports', PolicyDocument: document });
}

describe('SimulatePrincipalPolicy', () => {
  it('allows s3:GetObject on the granted bucket and implicitly denies it elsewhere, naming the matched statement and its position', async () => {
    const client = await iam();
    await alice(client);
    const result = await client.call('SimulatePrincipalPolicy', {
      PolicySourceArn: USER_ARN,
      ActionNames: ['s3:GetObject'],
      ResourceArns: [BUCKET_OBJECTS, OTHER_OBJECTS],
    });
    const [granted, other] = result.EvaluationResults!;
    assert.equal(granted!.EvalResourceName, BUCKET_OBJECTS);
    assert.equal(granted!.EvalDecision, 'allowed');
    assert.deepEqual(granted!.MatchedStatements, [
      { SourcePolicyId: 'read-reports', SourcePolicyType: 'user', StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 9, Column: 6 } },
    ]);
    assert.equal(granted!.ResourceSpecificResults![0]!.EvalResourceDecision, 'allowed');
    assert.equal(other!.EvalResourceName, OTHER_OBJECTS);
    assert.equal(other!.EvalDecision, 'implicitDeny');
    assert.deepEqual(other!.MatchedStatements, []);
    assert.equal(result.IsTruncated, false);
  });

  it('an explicit deny wins over an allow, and only the deny statement is reported', async () => {
    const client = await iam();
    await alice(client);
    await client.call('CreateGroup', { GroupName: 'auditors' });
    await client.call('AddUserToGroup', { GroupName: 'auditors', UserName: 'alice' });
    await client.call('PutGroupPolicy', {
      GroupName: 'auditors',
      PolicyName: 'no-reports',
      PolicyDocument: policy({ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::reports/*' }),
    });
    const result = await client.call('SimulatePrincipalPolicy', { PolicySourceArn: USER_ARN, ActionNames: ['s3:GetObject'], ResourceArns: [BUCKET_OBJECTS] });
    const [evaluation] = result.EvaluationResults!;
    assert.equal(evaluation!.EvalDecision, 'explicitDeny');
    assert.deepEqual(evaluation!.MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['no-reports', 'group']]);
  });

  it('a permissions boundary caps the identity policy: implicitDeny with AllowedByPermissionsBoundary false', async () => {
    const client = await iam();
    await alice(client);
    const boundary = await client.call('CreatePolicy', {
      PolicyName: 'only-ec2',
      PolicyDocument: policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }),
    });
    await client.call('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: boundary.Policy!.Arn! });
    const result = await client.call('SimulatePrincipalPolicy', { PolicySourceArn: USER_ARN, ActionNames: ['s3:GetObject'], ResourceArns: [BUCKET_OBJECTS] });
    const [evaluation] = result.EvaluationResults!;
    assert.equal(evaluation!.EvalDecision, 'implicitDeny');
    assert.deepEqual(evaluation!.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
    // A boundary given in the request takes the stored one's place.
    const widened = await client.call('SimulatePrincipalPolicy', {
      PolicySourceArn: USER_ARN,
      ActionNames: ['s3:GetObject'],
      ResourceArns: [BUCKET_OBJECTS],
      PermissionsBoundaryPolicyInputList: [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
    });
    assert.equal(widened.EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.deepEqual(widened.EvaluationResults![0]!.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  });

  it('a condition key the request does not supply is listed in MissingContextValues; supplying it decides', async () => {
    const client = await iam();
    await alice(client, policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringEquals: { 's3:prefix': 'home/' } } }));
    const missing = await client.call('SimulatePrincipalPolicy', { PolicySourceArn: USER_ARN, ActionNames: ['s3:ListBucket'] });
    assert.equal(missing.EvaluationResults![0]!.EvalResourceName, '*');
    assert.equal(missing.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
    assert.deepEqual(missing.EvaluationResults![0]!.MissingContextValues, ['s3:prefix']);
    const given = await client.call('SimulatePrincipalPolicy', {
      PolicySourceArn: USER_ARN,
      ActionNames: ['s3:ListBucket'],
      ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyValues: ['home/'], ContextKeyType: 'string' }],
    });
    assert.equal(given.EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.deepEqual(given.EvaluationResults![0]!.MissingContextValues, []);
  });

  it('reports an attached managed policy as user-managed and adds PolicyInputList policies as "PolicyInputList.N"', async () => {
    const client = await iam();
    await client.call('CreateUser', { UserName: 'alice' });
    const managed = await client.call('CreatePolicy', { PolicyName: 'ec2-read', PolicyDocument: policy({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }) });
    await client.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: managed.Policy!.Arn! });
    const result = await client.call('SimulatePrincipalPolicy', {
      PolicySourceArn: USER_ARN,
      ActionNames: ['ec2:DescribeInstances', 'sqs:SendMessage'],
      PolicyInputList: [policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' })],
    });
    const [ec2, sqs] = result.EvaluationResults!;
    assert.deepEqual(ec2!.MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['ec2-read', 'user-managed']]);
    assert.deepEqual(sqs!.MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['PolicyInputList.1', 'none']]);
  });

  it('pages its results with MaxItems and Marker', async () => {
    const client = await iam();
    await alice(client);
    const first = await client.call('SimulatePrincipalPolicy', { PolicySourceArn: USER_ARN, ActionNames: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], MaxItems: 2 });
    assert.equal(first.EvaluationResults!.length, 2);
    assert.equal(first.IsTruncated, true);
    const rest = await client.call('SimulatePrincipalPolicy', {
      PolicySourceArn: USER_ARN,
      ActionNames: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
      MaxItems: 2,
      Marker: first.Marker!,
    });
    assert.deepEqual(rest.EvaluationResults!.map((r) => r.EvalActionName), ['s3:ListBucket']);
    assert.equal(rest.IsTruncated, false);
  });

  it('a principal that does not exist is NoSuchEntity', async () => {
    const client = await iam();
    await assert.rejects(
      client.call('SimulatePrincipalPolicy', { PolicySourceArn: USER_ARN, ActionNames: ['s3:GetObject'] }),
      awsError('NoSuchEntityException', 'The user with name alice cannot be found.'),
    );
  });

  it('simulates a role with its resource policy only when a CallerArn is given', async () => {
    const client = await iam();
    await client.call('CreateRole', {
      RoleName: 'app',
      AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    });
    await assert.rejects(
      client.call('SimulatePrincipalPolicy', {
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/app`,
        ActionNames: ['s3:GetObject'],
        ResourcePolicy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }),
      }),
      awsError('InvalidInputException'),
    );
    const result = await client.call('SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/app`, ActionNames: ['s3:GetObject'] });
    assert.equal(result.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
  });
});

describe('SimulateCustomPolicy', () => {
  it('evaluates the given policies with a resource policy for the CallerArn', async () => {
    const client = await iam();
    const caller = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const result = await client.call('SimulateCustomPolicy', {
      PolicyInputList: [policy({ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' })],
      ActionNames: ['sqs:ReceiveMessage', 'sqs:SendMessage'],
      ResourceArns: [`arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`],
      ResourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: caller }, Action: 'sqs:SendMessage', Resource: '*' }),
      CallerArn: caller,
    });
    const [receive, send] = result.EvaluationResults!;
    assert.equal(receive!.EvalDecision, 'allowed');
    assert.deepEqual(receive!.MatchedStatements!.map((s) => s.SourcePolicyId), ['PolicyInputList.1']);
    assert.equal(send!.EvalDecision, 'allowed');
    assert.deepEqual(send!.MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['ResourcePolicy', 'resource']]);
  });

  it('refuses a policy that is not a policy document: InvalidInput', async () => {
    const client = await iam();
    await assert.rejects(client.call('SimulateCustomPolicy', { PolicyInputList: ['{"nope": 1}'], ActionNames: ['s3:GetObject'] }), awsError('InvalidInputException'));
  });
});

describe('GetContextKeysFor*', () => {
  const CONDITIONS = policy(
    { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Effect: 'Deny', Action: 'ec2:*', Resource: '*', Condition: { StringNotEquals: { 'AWS:SourceIP': 'x', 'ec2:InstanceType': 't3.micro' } } },
  );

  it('GetContextKeysForCustomPolicy lists every condition key and policy variable once', async () => {
    const client = await iam();
    const result = await client.call('GetContextKeysForCustomPolicy', { PolicyInputList: [CONDITIONS] });
    assert.deepEqual(result.ContextKeyNames, ['aws:username', 'aws:SourceIp', 'ec2:InstanceType']);
  });

  it('GetContextKeysForPrincipalPolicy reads the principal\'s policies (its groups\' too) and the extra ones', async () => {
    const client = await iam();
    await alice(client, policy({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
    await client.call('CreateGroup', { GroupName: 'devs' });
    await client.call('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
    await client.call('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'p', PolicyDocument: CONDITIONS });
    const result = await client.call('GetContextKeysForPrincipalPolicy', {
      PolicySourceArn: USER_ARN,
      PolicyInputList: [policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })],
    });
    assert.deepEqual([...result.ContextKeyNames!].sort(), ['aws:MultiFactorAuthPresent', 'aws:RequestedRegion', 'aws:SourceIp', 'aws:username', 'ec2:InstanceType']);
  });
});
