// IAM identity providers end to end: the AWS SDK for JavaScript v3 and the AWS CLI
// against a real Bulwark server walk OIDC and SAML providers through their life
// cycles and AWS's errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateSAMLProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteSAMLProviderCommand,
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListSAMLProvidersCommand,
  TagOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
} from '@aws-sdk/client-iam';
import type { RunningServer } from '../../src/server/server.ts';
import { failure } from '../helpers/errors.ts';
import { awsEnv, DUMMY_CREDENTIALS, TEST_ACCOUNT } from '../helpers/server.ts';
import { samlMetadata } from '../services/iam/reports-context.ts';
import { startTestServer } from '../helpers/server.ts';

const run = promisify(execFile);

describe('IAM identity providers with the real clients', () => {
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

  it('SDK: an OIDC provider is created, read, changed, tagged, refused twice and deleted', async () => {
    const arn = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.example.com`;
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.example.com', ClientIDList: ['sts.amazonaws.com'] }),
    );
    assert.equal(created.OpenIDConnectProviderArn, arn);

    const duplicate = await failure(iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.example.com' })));
    assert.equal(duplicate.name, 'EntityAlreadyExistsException');
    assert.equal(duplicate.$metadata.httpStatusCode, 409);
    assert.equal(duplicate.message, 'Provider with url https://token.actions.example.com already exists.');

    const tooMany = await failure(
      iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://other.example.com', ThumbprintList: ['1', '2', '3', '4', '5', '6'].map((d) => d.repeat(40)) })),
    );
    assert.equal(tooMany.name, 'InvalidInputException');
    assert.equal(tooMany.$metadata.httpStatusCode, 400);

    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'my-app' }));
    await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['c'.repeat(40)] }));
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'team', Value: 'ci' }] }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.equal(got.Url, 'token.actions.example.com');
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com', 'my-app']);
    assert.deepEqual(got.ThumbprintList, ['c'.repeat(40)]);
    assert.ok(got.CreateDate instanceof Date);
    assert.deepEqual((await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags, [{ Key: 'team', Value: 'ci' }]);
    assert.deepEqual((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, [{ Arn: arn }]);

    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    const gone = await failure(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    assert.equal(gone.name, 'NoSuchEntityException');
    assert.equal(gone.$metadata.httpStatusCode, 404);
  });

  it('SDK: a SAML provider keeps its metadata; bad metadata is InvalidInput "Could not parse metadata"', async () => {
    const document = samlMetadata({ validUntil: '2035-01-01T00:00:00Z' });
    const created = await iam.send(new CreateSAMLProviderCommand({ Name: 'CorpIdP', SAMLMetadataDocument: document }));
    assert.equal(created.SAMLProviderArn, `arn:aws:iam::${TEST_ACCOUNT}:saml-provider/CorpIdP`);
    const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: created.SAMLProviderArn }));
    assert.equal(got.SAMLMetadataDocument, document);
    assert.deepEqual(got.ValidUntil, new Date('2035-01-01T00:00:00Z'));
    const listed = await iam.send(new ListSAMLProvidersCommand({}));
    assert.deepEqual(listed.SAMLProviderList?.map((p) => p.Arn), [created.SAMLProviderArn]);

    const bad = await failure(iam.send(new CreateSAMLProviderCommand({ Name: 'Bad', SAMLMetadataDocument: samlMetadata({ idp: false }) })));
    assert.equal(bad.name, 'InvalidInputException');
    assert.equal(bad.message, 'Could not parse metadata');
    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: created.SAMLProviderArn }));
  });

  it('AWS CLI: create-open-id-connect-provider, then list and get it', async () => {
    const cli = (...args: string[]) =>
      run('aws', ['iam', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() }).then((r) => JSON.parse(r.stdout || '{}'));
    const created = await cli('create-open-id-connect-provider', '--url', 'https://cli.example.com/issuer', '--client-id-list', 'a', 'b');
    assert.equal(created.OpenIDConnectProviderArn, `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/cli.example.com/issuer`);
    const got = await cli('get-open-id-connect-provider', '--open-id-connect-provider-arn', created.OpenIDConnectProviderArn);
    assert.equal(got.Url, 'cli.example.com/issuer');
    assert.deepEqual(got.ClientIDList, ['a', 'b']);
    await cli('delete-open-id-connect-provider', '--open-id-connect-provider-arn', created.OpenIDConnectProviderArn);
  });
});
