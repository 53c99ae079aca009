// sts:AssumeRoleWithWebIdentity end to end: a JWT signed by a local identity provider
// (its JWKS served on a loopback port) buys a role session when the IAM OIDC provider,
// the token's audience and expiry, and the role's trust policy all agree.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);
const ISSUER_HOST = 'issuer.bulwark.test/app';
const ISSUER = `https://${ISSUER_HOST}`;
const CLIENT_ID = 'my-app';
const SUBJECT = 'repo:acme/widgets:ref:refs/heads/main';

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

describe('sts:AssumeRoleWithWebIdentity', () => {
  let server: RunningServer;
  let idp: Server;
  let idpUrl: string;
  let iam: IAMClient;
  let roleArn: string;
  let providerArn: string;
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

  before(async () => {
    idp = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${idpUrl}/keys` }));
      } else if (req.url === '/keys') {
        res.end(JSON.stringify({ keys: [{ ...signer.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    idpUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

    server = await startTestServer();
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    const provider = await iam.send(
      new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: [CLIENT_ID], Tags: [{ Key: 'bulwark:issuer-endpoint', Value: idpUrl }] }),
    );
    providerArn = provider.OpenIDConnectProviderArn!;
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${ISSUER_HOST}:aud`]: CLIENT_ID, [`${ISSUER_HOST}:sub`]: SUBJECT } },
        },
      ],
    };
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'ci-deployer', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    roleArn = role.Role!.Arn!;
  });
  after(async () => {
    await server.close();
    await new Promise((resolve) => idp.close(resolve));
  });

  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { iss: ISSUER, sub: SUBJECT, aud: CLIENT_ID, iat: now, exp: now + 600, ...overrides };
  }

  /** The operation is unsigned: this client has no credentials at all. */
  function sts() {
    return new STSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1 });
  }

  async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
    try {
      await promise;
    } catch (error) {
      return { name: (error as Error).name, message: (error as Error).message };
    }
    assert.fail('expected the call to fail');
  }

  function assume(token: string) {
    return sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'build-42', WebIdentityToken: token }));
  }

  it('exchanges a valid signed token for role credentials that authenticate as the role session', async () => {
    const out = await assume(signJwt(signer.privateKey, 'k1', claims()));
    assert.equal(out.SubjectFromWebIdentityToken, SUBJECT);
    assert.equal(out.Audience, CLIENT_ID);
    assert.equal(out.Provider, ISSUER);
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/ci-deployer/build-42`);
    const c = out.Credentials!;
    const me = await new STSClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    }).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, out.AssumedRoleUser!.Arn);
  });

  it('rejects a token for another audience: InvalidIdentityToken "Incorrect token audience"', async () => {
    const error = await rejection(assume(signJwt(signer.privateKey, 'k1', claims({ aud: 'someone-else' }))));
    assert.equal(error.name, 'InvalidIdentityTokenException');
    assert.equal(error.message, 'Incorrect token audience');
  });

  it('rejects an expired token: ExpiredTokenException', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    const error = await rejection(assume(signJwt(signer.privateKey, 'k1', claims({ exp: past }))));
    assert.equal(error.name, 'ExpiredTokenException');
    assert.match(error.message, /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/);
  });

  it('rejects a token signed by a key the IdP does not publish', async () => {
    const error = await rejection(assume(signJwt(stranger.privateKey, 'k1', claims())));
    assert.equal(error.name, 'InvalidIdentityTokenException');
  });

  it('rejects unsigned tokens (alg none) outright', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    const error = await rejection(assume(token));
    assert.equal(error.name, 'InvalidIdentityTokenException');
  });

  it('rejects an issuer with no IAM OIDC provider in the role account', async () => {
    const error = await rejection(assume(signJwt(signer.privateKey, 'k1', claims({ iss: 'https://elsewhere.example' }))));
    assert.equal(error.name, 'InvalidIdentityTokenException');
    assert.equal(error.message, 'No OpenIDConnect provider found in your account for https://elsewhere.example');
  });

  it('lets the trust policy test the token claims: another subject is AccessDenied', async () => {
    const error = await rejection(assume(signJwt(signer.privateKey, 'k1', claims({ sub: 'repo:acme/other:ref:refs/heads/main' }))));
    assert.equal(error.name, 'AccessDenied');
    assert.equal(error.message, 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });

  it('answers boto3, which sends the call unsigned', async () => {
    const token = signJwt(signer.privateKey, 'k1', claims());
    const script = `
import boto3, botocore, json, sys
sts = boto3.client('sts', endpoint_url=sys.argv[1], config=botocore.config.Config(signature_version=botocore.UNSIGNED))
r = sts.assume_role_with_web_identity(RoleArn=sys.argv[2], RoleSessionName='py', WebIdentityToken=sys.argv[3], DurationSeconds=900)
print(json.dumps({'arn': r['AssumedRoleUser']['Arn'], 'key': r['Credentials']['AccessKeyId'], 'sub': r['SubjectFromWebIdentityToken']}))`;
    const { stdout } = await run('python3', ['-c', script, server.url, roleArn, token], { env: awsEnv() });
    const out = JSON.parse(stdout) as { arn: string; key: string; sub: string };
    assert.equal(out.arn, `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/ci-deployer/py`);
    assert.match(out.key, /^ASIA/);
    assert.equal(out.sub, SUBJECT);
  });
});

describe('sts:AssumeRoleWithWebIdentity without a reachable IdP', () => {
  it("fails with IDPCommunicationError when the provider's keys cannot be fetched", async () => {
    const server = await startTestServer();
    try {
      const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
      const provider = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://unreachable.example', ClientIDList: ['a1'] }));
      const trust = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Federated: provider.OpenIDConnectProviderArn }, Action: 'sts:AssumeRoleWithWebIdentity' }],
      });
      const role = await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }));
      const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const now = Math.floor(Date.now() / 1000);
      const token = signJwt(key, 'k', { iss: 'https://unreachable.example', sub: 'subject-1', aud: 'a1', exp: now + 300 });
      const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1 });
      await assert.rejects(
        sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role.Role!.Arn, RoleSessionName: 's1', WebIdentityToken: token })),
        (error: Error) => {
          assert.equal(error.name, 'IDPCommunicationErrorException');
          assert.match(error.message, /^Couldn't retrieve verification key from your identity provider/);
          return true;
        },
      );
    } finally {
      await server.close();
    }
  });
});
