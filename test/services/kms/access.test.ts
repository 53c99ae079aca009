// KMS access declarations decided by the policy engine, as the server's authorizer
// does: the key policy is required, grants become equivalent statements, and the
// request's condition keys reach the policies.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Principal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import { compilePolicy, evaluate, type RequestPrincipal } from '../../../src/policy/index.ts';
import type { AccessRequirement } from '../../../src/services/authorization.ts';
import { kms } from '../../../src/services/kms/index.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';

const ACCOUNT = '123456789012';
const ROOT: Principal = { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
const ALICE_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ALICE: Principal = { type: 'IAMUser', accountId: ACCOUNT, arn: ALICE_ARN, userId: 'AIDAALICE', userName: 'alice', path: '/' };
const ALICE_REQUEST: RequestPrincipal = { type: 'user', arn: ALICE_ARN, accountId: ACCOUNT };

let store: Store;

function context(principal: Principal): RequestContext {
  return { requestId: 'r', principal, accessKeyId: undefined, region: 'us-east-1', now: new Date('2026-01-01T00:00:00Z'), clock: new Clock(), store, defaultAccountId: ACCOUNT, sourceIp: undefined };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function asRoot(operation: string, input: Record<string, unknown>): Promise<any> {
  return kms.handlers[operation]!(input, context(ROOT));
}

async function requirements(operation: string, input: Record<string, unknown>): Promise<AccessRequirement[]> {
  return kms.access[operation]!(input, context(ALICE));
}

/** Alice's (or another principal's) decision with these IAM policies (none by default), as the server's authorizer makes it. */
function decide(requirement: AccessRequirement, identity: object[] = [], principal: RequestPrincipal = ALICE_REQUEST): string {
  const decision = evaluate(
    {
      principal, action: requirement.action, resource: requirement.resource,
      ...(requirement.resourceAccount ? { resourceAccount: requirement.resourceAccount } : {}), context: requirement.context ?? {},
    },
    {
      identity: identity.map((statement, i) => compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statement }), `identity-${i}`)),
      ...(requirement.resourcePolicy ? { resource: compilePolicy(requirement.resourcePolicy.document, requirement.resourcePolicy.id), resourcePolicyRequired: requirement.resourcePolicyRequired } : {}),
    },
  );
  return decision.decision;
}

describe('KMS access declarations', () => {
  before(async () => {
    store = await openStore('memory:');
  });

  it('Encrypt names kms:Encrypt on the key ARN (resolved from an alias) with the key policy required, and KMS condition keys', async () => {
    const key = (await asRoot('CreateKey', { Tags: [{ TagKey: 'team', TagValue: 'blue' }] })).KeyMetadata;
    await asRoot('CreateAlias', { AliasName: 'alias/access', TargetKeyId: key.KeyId });
    const [requirement] = await requirements('Encrypt', { KeyId: 'alias/access', Plaintext: Buffer.from('x'), EncryptionContext: { app: 'a' } });
    assert.equal(requirement!.action, 'kms:Encrypt');
    assert.equal(requirement!.resource, key.Arn);
    assert.equal(requirement!.resourcePolicyRequired, true);
    assert.equal(requirement!.context!['kms:EncryptionContext:app'], 'a');
    assert.deepEqual(requirement!.context!['kms:EncryptionContextKeys'], ['app']);
    assert.equal(requirement!.context!['aws:ResourceTag/team'], 'blue');
    assert.equal(requirement!.context!['kms:CallerAccount'], ACCOUNT);
    assert.equal(requirement!.context!['kms:KeySpec'], 'SYMMETRIC_DEFAULT');
    // Default key policy: IAM decides.
    assert.equal(decide(requirement!), 'ImplicitDeny');
    assert.equal(decide(requirement!, [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: key.Arn }]), 'Allow');
    assert.equal(decide(requirement!, [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'b' } } }]), 'ImplicitDeny');
  });

  it('a grant with EncryptionContextEquals allows exactly that context, and nothing else', async () => {
    const key = (await asRoot('CreateKey', {})).KeyMetadata;
    await asRoot('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE_ARN, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { app: 'a' } } });
    const decideFor = async (encryptionContext?: Record<string, string>) => {
      const [requirement] = await requirements('Encrypt', { KeyId: key.KeyId, Plaintext: Buffer.from('x'), ...(encryptionContext ? { EncryptionContext: encryptionContext } : {}) });
      return decide(requirement!);
    };
    assert.equal(await decideFor({ app: 'a' }), 'Allow');
    assert.equal(await decideFor({ app: 'a', extra: 'z' }), 'ImplicitDeny');
    assert.equal(await decideFor({ app: 'b' }), 'ImplicitDeny');
    assert.equal(await decideFor(), 'ImplicitDeny');
  });

  it('a grant for another principal allows Alice nothing', async () => {
    const key = (await asRoot('CreateKey', {})).KeyMetadata;
    await asRoot('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/bob`, Operations: ['Encrypt'] });
    const [requirement] = await requirements('Encrypt', { KeyId: key.KeyId, Plaintext: Buffer.from('x') });
    assert.equal(decide(requirement!), 'ImplicitDeny');
  });

  it('Decrypt without KeyId finds the key from the ciphertext; ReEncrypt needs ReEncryptFrom and ReEncryptTo', async () => {
    const a = (await asRoot('CreateKey', {})).KeyMetadata;
    const b = (await asRoot('CreateKey', {})).KeyMetadata;
    const { CiphertextBlob } = await asRoot('Encrypt', { KeyId: a.KeyId, Plaintext: Buffer.from('x') });
    const [decrypt] = await requirements('Decrypt', { CiphertextBlob });
    assert.equal(decrypt!.resource, a.Arn);
    const reEncrypt = await requirements('ReEncrypt', { CiphertextBlob, DestinationKeyId: b.KeyId });
    assert.deepEqual(reEncrypt.map((r) => [r.action, r.resource]), [['kms:ReEncryptFrom', a.Arn], ['kms:ReEncryptTo', b.Arn]]);
  });

  it('CreateAlias needs kms:CreateAlias on the alias (IAM) and on the key (key policy)', async () => {
    const key = (await asRoot('CreateKey', {})).KeyMetadata;
    const declared = await requirements('CreateAlias', { AliasName: 'alias/new', TargetKeyId: key.KeyId });
    assert.deepEqual(declared.map((r) => [r.resource, r.resourcePolicyRequired ?? false]), [
      [`arn:aws:kms:us-east-1:${ACCOUNT}:alias/new`, false],
      [key.Arn, true],
    ]);
  });

  it('an AWS managed key allows the account to encrypt only with kms:ViaService naming its service', async () => {
    const [encrypt] = await requirements('Encrypt', { KeyId: 'alias/aws/s3', Plaintext: Buffer.from('x') });
    const via = (service: string) => ({ ...encrypt!, context: { ...encrypt!.context, 'kms:ViaService': `${service}.us-east-1.amazonaws.com` } });
    assert.equal(decide(via('s3')), 'Allow');
    assert.equal(decide(encrypt!), 'ImplicitDeny');
    assert.equal(decide(via('secretsmanager')), 'ImplicitDeny');
    const [describe] = await requirements('DescribeKey', { KeyId: 'alias/aws/s3' });
    assert.equal(describe!.resource, encrypt!.resource);
  });

  it('another account\'s user: the key policy can allow it to use the key, never to manage it (no effect across accounts)', async () => {
    const other = '111122223333';
    const carol: Principal = { type: 'IAMUser', accountId: other, arn: `arn:aws:iam::${other}:user/carol`, userId: 'AIDACAROL', userName: 'carol', path: '/' };
    const carolRequest: RequestPrincipal = { type: 'user', arn: carol.arn, accountId: other };
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other}:root` }, Action: 'kms:*', Resource: '*' },
    ] });
    const key = (await asRoot('CreateKey', { Policy: policy })).KeyMetadata;
    const carolIam = [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }];
    const asCarol = async (operation: string, input: Record<string, unknown>) => {
      const [requirement] = await kms.access[operation]!({ KeyId: key.Arn, ...input }, context(carol));
      return decide(requirement!, carolIam, carolRequest);
    };
    assert.equal(await asCarol('Encrypt', { Plaintext: Buffer.from('x') }), 'Allow');
    assert.equal(await asCarol('DescribeKey', {}), 'Allow');
    assert.equal(await asCarol('ScheduleKeyDeletion', {}), 'ImplicitDeny');
    assert.equal(await asCarol('GetKeyPolicy', {}), 'ImplicitDeny');
    assert.equal(await asCarol('GetKeyLastUsage', {}), 'ImplicitDeny');
  });

  it('every implemented operation has a declaration, and no custom key store operation is implemented', () => {
    assert.deepEqual(Object.keys(kms.handlers).filter((op) => !(op in kms.access)), []);
    assert.deepEqual(Object.keys(kms.handlers).filter((op) => /CustomKeyStore/.test(op)), []);
  });
});
