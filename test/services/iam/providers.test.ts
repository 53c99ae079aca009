// OpenID Connect and SAML providers: life cycles, AWS's validation and errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT, awsError, iam, IDP_CERTIFICATE, OTHER_ACCOUNT, samlMetadata } from './reports-context.ts';

const THUMB = 'a'.repeat(40);
const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.example.com/issuer`;

describe('OpenID Connect providers', () => {
  it('CreateOpenIDConnectProvider names the provider by its URL without the scheme; Get returns what was created', async () => {
    const client = await iam();
    const created = await client.call('CreateOpenIDConnectProvider', {
      Url: 'https://token.example.com/issuer',
      ClientIDList: ['sts.amazonaws.com', 'sts.amazonaws.com', 'app'],
      ThumbprintList: [THUMB],
      Tags: [{ Key: 'team', Value: 'core' }],
    });
    assert.equal(created.OpenIDConnectProviderArn, OIDC_ARN);
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'core' }]);
    const got = await client.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN });
    assert.equal(got.Url, 'token.example.com/issuer');
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com', 'app']);
    assert.deepEqual(got.ThumbprintList, [THUMB]);
    assert.deepEqual(got.CreateDate, client.now());
  });

  it('CreateOpenIDConnectProvider takes no thumbprint (optional since AWS checks IdPs against its CA library)', async () => {
    const client = await iam();
    const created = await client.call('CreateOpenIDConnectProvider', { Url: 'https://accounts.example.com' });
    const got = await client.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: created.OpenIDConnectProviderArn! });
    assert.deepEqual(got.ThumbprintList, []);
  });

  it('CreateOpenIDConnectProvider rejects a second provider for the same URL: EntityAlreadyExists', async () => {
    const client = await iam();
    await client.call('CreateOpenIDConnectProvider', { Url: 'https://token.example.com' });
    await assert.rejects(
      client.call('CreateOpenIDConnectProvider', { Url: 'https://TOKEN.example.com/' }),
      awsError('EntityAlreadyExistsException', 'Provider with url https://TOKEN.example.com already exists.'),
    );
  });

  it('CreateOpenIDConnectProvider accepts only https URLs of the form host[/path]: InvalidInput', async () => {
    const client = await iam();
    for (const Url of ['http://token.example.com', 'token.example.com', 'https://token.example.com?x=1', 'https://']) {
      await assert.rejects(client.call('CreateOpenIDConnectProvider', { Url }), awsError('InvalidInputException'), Url);
    }
  });

  it('CreateOpenIDConnectProvider allows at most 5 thumbprints, each 40 hexadecimal characters', async () => {
    const client = await iam();
    await assert.rejects(
      client.call('CreateOpenIDConnectProvider', { Url: 'https://a.example.com', ThumbprintList: ['1', '2', '3', '4', '5', '6'].map((d) => d.repeat(40)) }),
      awsError('InvalidInputException', 'Thumbprint list must contain fewer than 5 entries.'),
    );
    await assert.rejects(
      client.call('CreateOpenIDConnectProvider', { Url: 'https://a.example.com', ThumbprintList: ['z'.repeat(40)] }),
      awsError('InvalidInputException'),
    );
    const five = ['1', '2', '3', '4', '5'].map((d) => d.repeat(40));
    await client.call('CreateOpenIDConnectProvider', { Url: 'https://a.example.com', ThumbprintList: five });
  });

  it('AddClientID adds once, RemoveClientID removes (and ignores an unknown id), UpdateThumbprint replaces the list', async () => {
    const client = await iam();
    await client.call('CreateOpenIDConnectProvider', { Url: 'https://token.example.com/issuer', ClientIDList: ['a'] });
    await client.call('AddClientIDToOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, ClientID: 'b' });
    await client.call('AddClientIDToOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, ClientID: 'b' });
    await client.call('RemoveClientIDFromOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, ClientID: 'a' });
    await client.call('RemoveClientIDFromOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, ClientID: 'nope' });
    await client.call('UpdateOpenIDConnectProviderThumbprint', { OpenIDConnectProviderArn: OIDC_ARN, ThumbprintList: ['b'.repeat(40)] });
    const got = await client.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN });
    assert.deepEqual(got.ClientIDList, ['b']);
    assert.deepEqual(got.ThumbprintList, ['b'.repeat(40)]);
  });

  it('Tag/Untag/ListOpenIDConnectProviderTags: same key in any case replaces; untag matches case-insensitively', async () => {
    const client = await iam();
    await client.call('CreateOpenIDConnectProvider', { Url: 'https://token.example.com/issuer', Tags: [{ Key: 'Env', Value: 'dev' }] });
    await client.call('TagOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'x' }] });
    assert.deepEqual((await client.call('ListOpenIDConnectProviderTags', { OpenIDConnectProviderArn: OIDC_ARN })).Tags, [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'x' },
    ]);
    await client.call('UntagOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, TagKeys: ['TEAM'] });
    assert.deepEqual((await client.call('ListOpenIDConnectProviderTags', { OpenIDConnectProviderArn: OIDC_ARN })).Tags, [{ Key: 'env', Value: 'prod' }]);
  });

  it('a missing provider (or one of another account) is NoSuchEntity; Delete removes it from the list', async () => {
    const client = await iam();
    await assert.rejects(
      client.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN }),
      awsError('NoSuchEntityException', `OpenIDConnect Provider not found for arn ${OIDC_ARN}`),
    );
    await client.call('CreateOpenIDConnectProvider', { Url: 'https://token.example.com/issuer' });
    await assert.rejects(client.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN }, OTHER_ACCOUNT), awsError('NoSuchEntityException'));
    assert.deepEqual((await client.call('ListOpenIDConnectProviders', {})).OpenIDConnectProviderList, [{ Arn: OIDC_ARN }]);
    await client.call('DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN });
    assert.deepEqual((await client.call('ListOpenIDConnectProviders', {})).OpenIDConnectProviderList, []);
    await assert.rejects(client.call('DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN }), awsError('NoSuchEntityException'));
  });
});

describe('SAML providers', () => {
  const SAML_ARN = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;

  it('CreateSAMLProvider keeps the metadata and its signing certificates; Get returns it with ValidUntil from the metadata', async () => {
    const client = await iam();
    const document = samlMetadata({ validUntil: '2030-01-01T00:00:00Z' });
    const created = await client.call('CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: document });
    assert.equal(created.SAMLProviderArn, SAML_ARN);
    const got = await client.call('GetSAMLProvider', { SAMLProviderArn: SAML_ARN });
    assert.equal(got.SAMLMetadataDocument, document);
    assert.deepEqual(got.ValidUntil, new Date('2030-01-01T00:00:00Z'));
    assert.deepEqual(got.CreateDate, client.now());
    assert.match(got.SAMLProviderUUID!, /^[0-9a-f-]{36}$/);
    const stored = await client.store.get<{ signingCertificates: string[] }>('iam.saml-providers', `${ACCOUNT}/okta`);
    assert.deepEqual(stored?.signingCertificates, [IDP_CERTIFICATE]);
  });

  it('CreateSAMLProvider refuses metadata that is not an IdP EntityDescriptor with a signing certificate: InvalidInput "Could not parse metadata"', async () => {
    const client = await iam();
    const bad = [
      samlMetadata({ idp: false }), // a service provider's metadata
      samlMetadata({ certificate: 'bm90IGEgY2VydGlmaWNhdGU=' }), // not a certificate
      samlMetadata().replace('</md:EntityDescriptor>', ''), // not well formed
      `<!DOCTYPE x [<!ENTITY a "b">]>${samlMetadata()}`, // DTDs are refused
      'x'.repeat(1200),
    ];
    for (const SAMLMetadataDocument of bad) {
      await assert.rejects(client.call('CreateSAMLProvider', { Name: 'Bad', SAMLMetadataDocument }), awsError('InvalidInputException', 'Could not parse metadata'));
    }
  });

  it('CreateSAMLProvider rejects a second provider of the same name (case-insensitively): EntityAlreadyExists', async () => {
    const client = await iam();
    await client.call('CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: samlMetadata() });
    await assert.rejects(client.call('CreateSAMLProvider', { Name: 'OKTA', SAMLMetadataDocument: samlMetadata() }), awsError('EntityAlreadyExistsException'));
  });

  it('UpdateSAMLProvider replaces the metadata (validated again); List, tags and Delete work on it', async () => {
    const client = await iam();
    await client.call('CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: samlMetadata(), Tags: [{ Key: 'a', Value: '1' }] });
    await assert.rejects(
      client.call('UpdateSAMLProvider', { SAMLProviderArn: SAML_ARN, SAMLMetadataDocument: samlMetadata({ idp: false }) }),
      awsError('InvalidInputException', 'Could not parse metadata'),
    );
    const updated = await client.call('UpdateSAMLProvider', { SAMLProviderArn: SAML_ARN, SAMLMetadataDocument: samlMetadata({ validUntil: '2031-06-01T00:00:00Z' }) });
    assert.equal(updated.SAMLProviderArn, SAML_ARN);
    const list = await client.call('ListSAMLProviders', {});
    assert.deepEqual(list.SAMLProviderList, [{ Arn: SAML_ARN, ValidUntil: new Date('2031-06-01T00:00:00Z'), CreateDate: client.now() }]);
    await client.call('TagSAMLProvider', { SAMLProviderArn: SAML_ARN, Tags: [{ Key: 'b', Value: '2' }] });
    await client.call('UntagSAMLProvider', { SAMLProviderArn: SAML_ARN, TagKeys: ['a'] });
    assert.deepEqual((await client.call('ListSAMLProviderTags', { SAMLProviderArn: SAML_ARN })).Tags, [{ Key: 'b', Value: '2' }]);
    await client.call('DeleteSAMLProvider', { SAMLProviderArn: SAML_ARN });
    await assert.rejects(client.call('GetSAMLProvider', { SAMLProviderArn: SAML_ARN }), awsError('NoSuchEntityException'));
  });

  it('a provider ARN of the wrong kind is InvalidInput', async () => {
    const client = await iam();
    await assert.rejects(client.call('GetSAMLProvider', { SAMLProviderArn: OIDC_ARN }), awsError('InvalidInputException'));
  });
});
