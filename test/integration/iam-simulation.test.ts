// The policy simulator end to end: the AWS SDK for JavaScript v3 and the AWS CLI
// simulate a user's policies against a real Bulwark server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreatePolicyCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  IAMClient,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import type { RunningServer } from '../../src/server/server.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);
const document = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement }, null, 2);

describe('IAM policy simulation with the real clients', () => {
  let server: RunningServer;
  let iam: IAMClient;
  const carol = `arn:aws:iam::${TEST_ACCOUNT}:user/sim-carol`;
  const dave = `arn:aws:iam::${TEST_ACCOUNT}:user/sim-dave`;
  before(async () => {
    server = await startTestServer();
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    await iam.send(new CreateUserCommand({ UserName: 'sim-carol' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'sim-carol',
        PolicyName: 'reports',
        PolicyDocument: document(
          { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' },
          { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::reports/secret/*' },
        ),
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: 'sim-dave' }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'sim-dave', PolicyName: 'all-s3', PolicyDocument: document({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }),
    );
    const boundary = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'sim-boundary', PolicyDocument: document({ Effect: 'Allow', Action: 's3:List*', Resource: '*' }) }),
    );
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'sim-dave', PermissionsBoundary: boundary.Policy!.Arn! }));
  });
  after(async () => {
    iam.destroy();
    await server.close();
  });

  it('SDK: allowed on the granted bucket, implicitDeny elsewhere, explicitDeny where a Deny matches, with positions', async () => {
    const result = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: carol,
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::reports/q1.csv', 'arn:aws:s3:::other/q1.csv', 'arn:aws:s3:::reports/secret/keys'],
      }),
    );
    const decisions = result.EvaluationResults!.map((r) => [r.EvalResourceName, r.EvalDecision]);
    assert.deepEqual(decisions, [
      ['arn:aws:s3:::reports/q1.csv', 'allowed'],
      ['arn:aws:s3:::other/q1.csv', 'implicitDeny'],
      ['arn:aws:s3:::reports/secret/keys', 'explicitDeny'],
    ]);
    const [allowed, , denied] = result.EvaluationResults!;
    assert.deepEqual(allowed!.MatchedStatements, [
      { SourcePolicyId: 'reports', SourcePolicyType: 'user', StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 9, Column: 6 } },
    ]);
    assert.deepEqual(denied!.MatchedStatements!.map((s) => s.StartPosition), [{ Line: 10, Column: 5 }]);
    assert.equal(allowed!.ResourceSpecificResults?.[0]?.EvalResourceDecision, 'allowed');
  });

  it('SDK: the permissions boundary caps what the identity policy allows', async () => {
    const result = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: dave, ActionNames: ['s3:ListBucket', 's3:PutObject'] }));
    const [list, put] = result.EvaluationResults!;
    assert.equal(list!.EvalDecision, 'allowed');
    assert.equal(list!.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, true);
    assert.equal(put!.EvalDecision, 'implicitDeny');
    assert.equal(put!.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, false);
  });

  it('SDK: a condition key nobody supplied is listed in MissingContextValues; GetContextKeysForCustomPolicy names it', async () => {
    const mfaOnly = document({ Effect: 'Allow', Action: 'ec2:StopInstances', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
    const result = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [mfaOnly], ActionNames: ['ec2:StopInstances'] }));
    assert.equal(result.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
    assert.deepEqual(result.EvaluationResults![0]!.MissingContextValues, ['aws:MultiFactorAuthPresent']);
    const withMfa = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [mfaOnly],
        ActionNames: ['ec2:StopInstances'],
        ContextEntries: [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['true'], ContextKeyType: 'boolean' }],
      }),
    );
    assert.equal(withMfa.EvaluationResults![0]!.EvalDecision, 'allowed');
    const keys = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [mfaOnly] }));
    assert.deepEqual(keys.ContextKeyNames, ['aws:MultiFactorAuthPresent']);
  });

  it('AWS CLI: simulate-principal-policy reports the same decisions', async () => {
    const { stdout } = await run(
      'aws',
      [
        'iam', 'simulate-principal-policy', '--policy-source-arn', carol, '--action-names', 's3:GetObject',
        '--resource-arns', 'arn:aws:s3:::reports/a', 'arn:aws:s3:::other/a', '--endpoint-url', server.url, '--output', 'json',
      ],
      { env: awsEnv() },
    );
    const results = (JSON.parse(stdout) as { EvaluationResults: { EvalDecision: string; MatchedStatements: { SourcePolicyId: string }[] }[] }).EvaluationResults;
    assert.deepEqual(results.map((r) => r.EvalDecision), ['allowed', 'implicitDeny']);
    assert.equal(results[0]!.MatchedStatements[0]!.SourcePolicyId, 'reports');
  });
});
