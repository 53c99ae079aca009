// sts:AssumeRoleWithSAML called directly with a memory store: a Response signed in the
// test with a locally generated key must verify against the SAML provider's metadata
// certificate, and every claim AWS checks is checked, read only from signed bytes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { anonymousPrincipal, rootPrincipal, type AssumedRolePrincipal, type Principal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { ACCESS_KEYS, type StoredCredential } from '../../../src/services/credentials.ts';
import { samlHandlers } from '../../../src/services/iam/providers/saml.ts';
import { COLLECTIONS, entityKey, type RoleRecord } from '../../../src/services/iam/records.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { stsHandlers } from '../../../src/services/sts/index.ts';
import { SAML_MESSAGES } from '../../../src/services/sts/saml-assertion.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { base64, createTestIdp, idpMetadata, samlResponse, signAssertion, signResponse, type AssertionSpec, type TestIdp } from './saml-idp.ts';

const ACCOUNT = '123456789012';
const NOW = new Date('2025-06-01T12:00:00.000Z');
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:saml-provider/CorpIdP`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/saml-admin`;
const STRICT_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/saml-strict`;

function roleRecord(name: string, trust: object): RoleRecord {
  return {
    accountId: ACCOUNT,
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    createDate: NOW.toISOString(),
    tags: [],
    roleName: name,
    roleId: `AROA${name.toUpperCase().replace(/-/g, '').padEnd(17, 'X')}`,
    assumeRolePolicyDocument: JSON.stringify(trust),
    maxSessionDuration: 7200,
  };
}

function context(principal: Principal, now = NOW): RequestContext {
  return { requestId: 'r1', principal, accessKeyId: undefined, region: 'us-east-1', now, clock: new Clock(), store, defaultAccountId: ACCOUNT, sourceIp: '198.51.100.7' };
}

let store: Store;
let idp: TestIdp;
let attacker: TestIdp;

describe('sts:AssumeRoleWithSAML (handler)', () => {
  before(async () => {
    store = await openStore('memory:');
    idp = createTestIdp('https://idp.corp.example/saml');
    attacker = createTestIdp('https://idp.corp.example/saml');
    await samlHandlers.CreateSAMLProvider!({ Name: 'CorpIdP', SAMLMetadataDocument: idpMetadata(idp) }, context(rootPrincipal(ACCOUNT)));
    const federated = { Effect: 'Allow', Principal: { Federated: PROVIDER_ARN } };
    await store.put(COLLECTIONS.roles, entityKey(ACCOUNT, 'saml-admin'), roleRecord('saml-admin', {
      Version: '2012-10-17',
      Statement: [{ ...federated, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } }],
    }));
    // Trusts only persistent subjects of this provider who are staff (eduPersonAffiliation), without sts:TagSession.
    await store.put(COLLECTIONS.roles, entityKey(ACCOUNT, 'saml-strict'), roleRecord('saml-strict', {
      Version: '2012-10-17',
      Statement: [
        {
          ...federated,
          Action: 'sts:AssumeRoleWithSAML',
          Condition: {
            StringEquals: { 'saml:sub_type': 'persistent', 'saml:iss': 'https://idp.corp.example/saml', 'saml:doc': `${ACCOUNT}/CorpIdP` },
            'ForAnyValue:StringEquals': { 'saml:edupersonaffiliation': 'staff' },
          },
        },
      ],
    }));
  });
  after(() => store.close());

  function spec(overrides: Partial<AssertionSpec> = {}): AssertionSpec {
    return { issuer: idp.entityId, now: NOW, roles: [`${ROLE_ARN},${PROVIDER_ARN}`], sessionName: 'jdoe@corp.example', ...overrides };
  }

  async function assume(xml: string, input: Record<string, unknown> = {}, now = NOW) {
    return stsHandlers.AssumeRoleWithSAML!({ RoleArn: ROLE_ARN, PrincipalArn: PROVIDER_ARN, SAMLAssertion: base64(xml), ...input }, context(anonymousPrincipal(ACCOUNT), now));
  }

  async function failure(promise: Promise<unknown>): Promise<AwsError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AwsError) return error;
      throw error;
    }
    return assert.fail('expected the call to fail');
  }

  it('a signed assertion buys a role session: credentials, assumed-role user and the SAML facts of the response', async () => {
    const out = await assume(signAssertion(samlResponse(spec()), idp));
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/saml-admin/jdoe@corp.example`);
    assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROASAMLADMIN\w*:jdoe@corp\.example$/);
    assert.equal(out.Subject, 'jdoe@example.com');
    assert.equal(out.SubjectType, 'persistent');
    assert.equal(out.Issuer, idp.entityId);
    assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml');
    const expectedQualifier = createHash('sha1').update(`${idp.entityId}${ACCOUNT}/CorpIdP`).digest('base64');
    assert.equal(out.NameQualifier, expectedQualifier);
    assert.equal(out.PackedPolicySize, undefined);
    assert.deepEqual(out.Credentials?.Expiration, new Date(NOW.getTime() + 3600_000));
    const stored = await store.get<StoredCredential>(ACCESS_KEYS, out.Credentials!.AccessKeyId);
    const principal = stored?.principal as AssumedRolePrincipal;
    assert.equal(principal.federatedProvider, PROVIDER_ARN);
    assert.equal(principal.roleArn, ROLE_ARN);
  });

  it('accepts a signed Response (instead of a signed Assertion) and RSA-SHA1 signatures', async () => {
    assert.equal((await assume(signResponse(samlResponse(spec()), idp))).Subject, 'jdoe@example.com');
    assert.equal((await assume(signAssertion(samlResponse(spec()), idp, 'sha1'))).Subject, 'jdoe@example.com');
    assert.equal((await assume(signResponse(signAssertion(samlResponse(spec()), idp), idp))).Subject, 'jdoe@example.com');
  });

  it('refuses an unsigned response and one whose attribute was changed after signing: InvalidIdentityToken "Response signature invalid"', async () => {
    const signed = signAssertion(samlResponse(spec({ sessionName: 'jdoe' })), idp);
    const tampered = signed.replace('<saml:AttributeValue>jdoe</saml:AttributeValue>', '<saml:AttributeValue>admin</saml:AttributeValue>');
    assert.notEqual(tampered, signed);
    for (const xml of [tampered, samlResponse(spec())]) {
      const error = await failure(assume(xml));
      assert.equal(error.code, 'InvalidIdentityTokenException');
      assert.equal(error.message, 'Response signature invalid');
    }
  });

  it('ignores a certificate the message carries in KeyInfo: a response signed by another key is refused', async () => {
    const error = await failure(assume(signAssertion(samlResponse(spec()), attacker)));
    assert.equal(error.message, 'Response signature invalid');
  });

  it('resists signature wrapping: a forged assertion next to, around or instead of the signed one is never read', async () => {
    const genuine = signAssertion(samlResponse(spec({ sessionName: 'jdoe' })), idp);
    const signedAssertion = /<saml:Assertion [\s\S]*<\/saml:Assertion>/.exec(genuine)![0];
    const forged = signedAssertion
      .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
      .replace(/ID="[^"]+"/, 'ID="_forged"')
      .replace('<saml:AttributeValue>jdoe</saml:AttributeValue>', '<saml:AttributeValue>admin</saml:AttributeValue>');
    const attacks = {
      // The signed assertion hidden in the forged one's Advice.
      inAdvice: genuine.replace(signedAssertion, forged.replace('<saml:Subject>', `<saml:Advice>${signedAssertion}</saml:Advice><saml:Subject>`)),
      // The signed assertion moved to the Response's Extensions.
      inExtensions: genuine.replace(signedAssertion, forged).replace('<samlp:Status>', `<samlp:Extensions>${signedAssertion}</samlp:Extensions><samlp:Status>`),
      // Both side by side.
      sideBySide: genuine.replace(signedAssertion, `${forged}${signedAssertion}`),
      // The forged assertion takes the signed one's ID, the signed one moves into Extensions.
      sameId: genuine
        .replace(signedAssertion, forged.replace('ID="_forged"', `ID="${/ID="([^"]+)"/.exec(signedAssertion)![1]}"`))
        .replace('<samlp:Status>', `<samlp:Extensions>${signedAssertion}</samlp:Extensions><samlp:Status>`),
      // A new Response root carrying the genuine signed Response's Signature, the genuine Response hidden in its Extensions.
      wrappedResponse: (() => {
        const signedResponse = signResponse(samlResponse(spec({ sessionName: 'jdoe' })), idp);
        const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signedResponse)![0];
        const originalId = /ID="([^"]+)"/.exec(signedResponse)![1];
        const genuineResponse = signedResponse.replace(signature, '');
        return signedResponse
          .replace(/<saml:Assertion [\s\S]*<\/saml:Assertion>/, forged)
          .replace(`ID="${originalId}"`, 'ID="_wrapper"')
          .replace('<samlp:Status>', `<samlp:Extensions>${genuineResponse}</samlp:Extensions><samlp:Status>`);
      })(),
    };
    for (const [name, xml] of Object.entries(attacks)) {
      const error = await failure(assume(xml));
      assert.equal(error.code, 'InvalidIdentityTokenException', name);
      // Two assertions side by side are refused outright; otherwise no signature verifies where SAML puts it.
      assert.equal(error.message, name === 'sideBySide' ? SAML_MESSAGES.unreadable : 'Response signature invalid', name);
    }
  });

  it('reads claims from the signed bytes only: a comment inserted into the signed NameID does not truncate it', async () => {
    const signed = signAssertion(samlResponse(spec({ nameId: 'jdoe@corp.example.evil.test' })), idp);
    const commented = signed.replace('jdoe@corp.example.evil.test', 'jdoe@corp.example<!---->.evil.test');
    const out = await assume(commented);
    assert.equal(out.Subject, 'jdoe@corp.example.evil.test');
  });

  it('refuses a response with a DTD before looking at anything else', async () => {
    const xml = `<!DOCTYPE r [<!ENTITY x "y">]>${signAssertion(samlResponse(spec()), idp)}`;
    const error = await failure(assume(xml));
    assert.equal(error.code, 'InvalidIdentityTokenException');
    assert.match(error.message, /without a DTD/);
  });

  it('refuses an assertion for another audience or recipient: InvalidIdentityToken', async () => {
    const audience = await failure(assume(signAssertion(samlResponse(spec({ audience: 'https://app.example.com/sp' })), idp)));
    assert.equal(audience.code, 'InvalidIdentityTokenException');
    assert.equal(audience.message, 'Response does not contain the required audience');
    const recipient = await failure(assume(signAssertion(samlResponse(spec({ recipient: 'https://app.example.com/acs' })), idp)));
    assert.equal(recipient.code, 'InvalidIdentityTokenException');
    assert.match(recipient.message, /Recipient/);
    // The documented alternatives are valid; the Recipient is saml:aud, which saml-admin's trust policy pins to the global endpoint.
    const regionalSpec = { recipient: 'https://eu-west-1.signin.aws.amazon.com/saml', audience: 'urn:amazon:webservices' };
    const pinned = await failure(assume(signAssertion(samlResponse(spec(regionalSpec)), idp)));
    assert.equal(pinned.code, 'AccessDenied');
    const staff = { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['staff'] };
    const regional = await assume(signAssertion(samlResponse(spec({ ...regionalSpec, roles: [`${STRICT_ROLE_ARN},${PROVIDER_ARN}`], attributes: staff })), idp), { RoleArn: STRICT_ROLE_ARN });
    assert.equal(regional.Audience, 'https://eu-west-1.signin.aws.amazon.com/saml');
  });

  it('refuses an expired assertion (ExpiredTokenException "Response has expired") and one older than 5 minutes', async () => {
    const expired = await failure(assume(signAssertion(samlResponse(spec({ now: new Date(NOW.getTime() - 600_000), validSeconds: 300 })), idp)));
    assert.equal(expired.code, 'ExpiredTokenException');
    assert.equal(expired.message, 'Response has expired');
    const stale = await failure(assume(signAssertion(samlResponse(spec({ now: new Date(NOW.getTime() - 360_000), validSeconds: 3600 })), idp)));
    assert.equal(stale.code, 'ExpiredTokenException');
    assert.equal(stale.message, 'Token must be redeemed within 5 minutes of issuance');
    // Within its window on Bulwark's clock it is fine.
    const fresh = await assume(signAssertion(samlResponse(spec({ now: new Date(NOW.getTime() - 240_000) })), idp));
    assert.ok(fresh.Credentials);
  });

  it('refuses a role the assertion does not pair with the provider: AccessDenied "Not authorized to perform sts:AssumeRoleWithSAML"', async () => {
    const otherProvider = `arn:aws:iam::${ACCOUNT}:saml-provider/Other`;
    for (const roles of [[`${STRICT_ROLE_ARN},${PROVIDER_ARN}`], [`${ROLE_ARN},${otherProvider}`], [ROLE_ARN]]) {
      const error = await failure(assume(signAssertion(samlResponse(spec({ roles })), idp)));
      assert.equal(error.code, 'AccessDenied', roles.join(' '));
      assert.equal(error.status, 403);
      assert.equal(error.message, 'Not authorized to perform sts:AssumeRoleWithSAML');
    }
    // The pair may list the provider first.
    const reversed = await assume(signAssertion(samlResponse(spec({ roles: [`${PROVIDER_ARN},${ROLE_ARN}`] })), idp));
    assert.ok(reversed.Credentials);
  });

  it("refuses an unknown provider (InvalidIdentityToken \"Specified provider doesn't exist\") and an assertion from another issuer", async () => {
    const unknown = await failure(assume(signAssertion(samlResponse(spec()), idp), { PrincipalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Nobody` }));
    assert.equal(unknown.code, 'InvalidIdentityTokenException');
    assert.equal(unknown.message, "Specified provider doesn't exist");
    const issuer = await failure(assume(signAssertion(samlResponse(spec({ issuer: 'https://other.example/idp' })), idp)));
    assert.equal(issuer.code, 'InvalidIdentityTokenException');
    assert.equal(issuer.message, 'Issuer not present in specified provider');
  });

  it('requires a RoleSessionName attribute of 2-64 allowed characters', async () => {
    const missing = await failure(assume(signAssertion(samlResponse(spec({ sessionName: undefined })), idp)));
    assert.equal(missing.message, 'RoleSessionName is required in AuthnResponse');
    const invalid = await failure(assume(signAssertion(samlResponse(spec({ sessionName: 'John Doe' })), idp)));
    assert.equal(invalid.code, 'InvalidIdentityTokenException');
    assert.equal(invalid.message, 'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}');
  });

  it('answers IDPRejectedClaim when the IdP reports a failed authentication', async () => {
    const error = await failure(assume(signAssertion(samlResponse(spec({ statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' })), idp)));
    assert.equal(error.code, 'IDPRejectedClaimException');
  });

  it('evaluates the trust policy with saml:* keys: sub_type, iss, doc and eduPersonAffiliation decide', async () => {
    const strict = (overrides: Partial<AssertionSpec>) =>
      assume(signAssertion(samlResponse(spec({ roles: [`${STRICT_ROLE_ARN},${PROVIDER_ARN}`], ...overrides })), idp), { RoleArn: STRICT_ROLE_ARN });
    const staff = { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['member', 'staff'] };
    assert.ok((await strict({ attributes: staff })).Credentials);
    const transient = await failure(strict({ attributes: staff, nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }));
    assert.equal(transient.code, 'AccessDenied');
    const student = await failure(strict({ attributes: { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['student'] } }));
    assert.equal(student.code, 'AccessDenied');
  });

  it('turns PrincipalTag / TransitiveTagKeys / SourceIdentity attributes into session tags and source identity (sts:TagSession needed)', async () => {
    const attributes = {
      'https://aws.amazon.com/SAML/Attributes/PrincipalTag:Project': ['Marketing'],
      'https://aws.amazon.com/SAML/Attributes/PrincipalTag:CostCenter': ['12345'],
      'https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys': ['Project'],
      'https://aws.amazon.com/SAML/Attributes/SourceIdentity': ['jdoe'],
    };
    const out = await assume(signAssertion(samlResponse(spec({ attributes })), idp));
    assert.equal(out.SourceIdentity, 'jdoe');
    assert.ok(out.PackedPolicySize! > 0);
    const principal = (await store.get<StoredCredential>(ACCESS_KEYS, out.Credentials!.AccessKeyId))?.principal as AssumedRolePrincipal;
    assert.deepEqual(principal.sessionTags, { Project: 'Marketing', CostCenter: '12345' });
    assert.deepEqual(principal.transitiveTagKeys, ['Project']);
    assert.equal(principal.sourceIdentity, 'jdoe');
    // The strict role's trust policy does not allow sts:TagSession.
    const tagged = await failure(
      assume(signAssertion(samlResponse(spec({ roles: [`${STRICT_ROLE_ARN},${PROVIDER_ARN}`], attributes: { ...attributes, 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['staff'] } })), idp), {
        RoleArn: STRICT_ROLE_ARN,
      }),
    );
    assert.equal(tagged.code, 'AccessDenied');
    const badSource = await failure(assume(signAssertion(samlResponse(spec({ attributes: { 'https://aws.amazon.com/SAML/Attributes/SourceIdentity': ['aws:me'] } })), idp)));
    assert.equal(badSource.message, 'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"');
  });

  it('lets SessionDuration shorten the session; DurationSeconds stays capped by the role maximum', async () => {
    const short = await assume(signAssertion(samlResponse(spec({ attributes: { 'https://aws.amazon.com/SAML/Attributes/SessionDuration': ['900'] } })), idp), { DurationSeconds: 3600 });
    assert.deepEqual(short.Credentials?.Expiration, new Date(NOW.getTime() + 900_000));
    const long = await assume(signAssertion(samlResponse(spec({ attributes: { 'https://aws.amazon.com/SAML/Attributes/SessionDuration': ['43200'] } })), idp), { DurationSeconds: 7200 });
    assert.deepEqual(long.Credentials?.Expiration, new Date(NOW.getTime() + 7200_000));
    const tooLong = await failure(assume(signAssertion(samlResponse(spec()), idp), { DurationSeconds: 10_800 }));
    assert.equal(tooLong.code, 'ValidationError');
  });

  it('validates the session policy: MalformedPolicyDocument', async () => {
    const error = await failure(assume(signAssertion(samlResponse(spec()), idp), { Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}' }));
    assert.equal(error.code, 'MalformedPolicyDocumentException');
  });
});
