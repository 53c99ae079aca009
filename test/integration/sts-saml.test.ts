// sts:AssumeRoleWithSAML end to end: an IdP made in the test (openssl key and
// certificate, xml-crypto signatures) is registered with CreateSAMLProvider; a role
// trusts it; a signed Response buys a session whose credentials authenticate as the
// assumed role, from the AWS SDK for JavaScript v3 and from boto3 (both unsigned).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateRoleCommand, CreateSAMLProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';
import { base64, createTestIdp, idpMetadata, samlResponse, signAssertion, signResponse, type AssertionSpec, type TestIdp } from '../services/sts/saml-idp.ts';

const run = promisify(execFile);

describe('sts:AssumeRoleWithSAML', () => {
  let server: RunningServer;
  let idp: TestIdp;
  let providerArn: string;
  let roleArn: string;

  before(async () => {
    idp = createTestIdp('https://idp.bulwark.test/saml');
    server = await startTestServer();
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    const provider = await iam.send(new CreateSAMLProviderCommand({ Name: 'BulwarkIdP', SAMLMetadataDocument: idpMetadata(idp) }));
    providerArn = provider.SAMLProviderArn!;
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithSAML',
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        },
      ],
    };
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'saml-operators', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    roleArn = role.Role!.Arn!;
  });
  after(() => server.close());

  function signedAssertion(overrides: Partial<AssertionSpec> = {}): string {
    const spec: AssertionSpec = { issuer: idp.entityId, now: new Date(), roles: [`${roleArn},${providerArn}`], sessionName: 'jdoe', ...overrides };
    return base64(signResponse(signAssertion(samlResponse(spec), idp), idp));
  }

  /** The operation is unsigned: this client has no credentials at all. */
  function sts() {
    return new STSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1 });
  }

  async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
    try {
      await promise;
    } catch (error) {
      const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
      return { name: failure.name, message: failure.message, status: failure.$metadata?.httpStatusCode };
    }
    assert.fail('expected the call to fail');
  }

  it('SDK: a signed assertion buys credentials that GetCallerIdentity knows as the assumed role', async () => {
    const out = await sts().send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: providerArn, SAMLAssertion: signedAssertion(), DurationSeconds: 900 }));
    const assumedArn = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/saml-operators/jdoe`;
    assert.equal(out.AssumedRoleUser?.Arn, assumedArn);
    assert.equal(out.Subject, 'jdoe@example.com');
    assert.equal(out.SubjectType, 'persistent');
    assert.equal(out.Issuer, idp.entityId);
    assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml');
    assert.match(out.NameQualifier!, /^[A-Za-z0-9+/]{27}=$/);
    const c = out.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA/);
    const me = await new STSClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    }).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, assumedArn);
    assert.equal(me.Account, TEST_ACCOUNT);
  });

  it('SDK: a tampered assertion is InvalidIdentityToken "Response signature invalid" (400)', async () => {
    const tampered = Buffer.from(signedAssertion(), 'base64').toString('utf8').replace('>jdoe<', '>root<');
    const error = await rejection(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: providerArn, SAMLAssertion: base64(tampered) })));
    assert.equal(error.name, 'InvalidIdentityTokenException');
    assert.equal(error.message, 'Response signature invalid');
    assert.equal(error.status, 400);
  });

  it('SDK: an expired assertion is ExpiredTokenException; a role not paired in the assertion is AccessDenied (403)', async () => {
    const old = signedAssertion({ now: new Date(Date.now() - 600_000), validSeconds: 300 });
    const expired = await rejection(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: providerArn, SAMLAssertion: old })));
    assert.equal(expired.name, 'ExpiredTokenException');
    assert.equal(expired.message, 'Response has expired');
    const otherRole = `arn:aws:iam::${TEST_ACCOUNT}:role/someone-else`;
    const denied = await rejection(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn: otherRole, PrincipalArn: providerArn, SAMLAssertion: signedAssertion() })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
  });

  it('boto3: assume_role_with_saml unsigned, then get_caller_identity with the session', async () => {
    const script = `
import boto3, botocore, json, sys
sts = boto3.client('sts', endpoint_url=sys.argv[1], config=botocore.config.Config(signature_version=botocore.UNSIGNED))
r = sts.assume_role_with_saml(RoleArn=sys.argv[2], PrincipalArn=sys.argv[3], SAMLAssertion=sys.argv[4])
c = r['Credentials']
me = boto3.client('sts', endpoint_url=sys.argv[1], aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken']).get_caller_identity()
print(json.dumps({'arn': r['AssumedRoleUser']['Arn'], 'subject': r['Subject'], 'me': me['Arn']}))`;
    const { stdout } = await run('python3', ['-c', script, server.url, roleArn, providerArn, signedAssertion({ sessionName: 'py-user' })], { env: awsEnv() });
    const out = JSON.parse(stdout) as { arn: string; subject: string; me: string };
    assert.equal(out.arn, `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/saml-operators/py-user`);
    assert.equal(out.me, out.arn);
    assert.equal(out.subject, 'jdoe@example.com');
  });
});
