// KMS against a real Bulwark server with the AWS SDK for JavaScript v3: real
// cryptography, key states on Bulwark's clock, rotation, and key policies and grants
// enforced for IAM users.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createPublicKey, randomBytes, verify as nodeVerify, constants, createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand,
  DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand,
  GenerateDataKeyCommand, GenerateDataKeyPairCommand, GenerateDataKeyWithoutPlaintextCommand, GenerateMacCommand,
  GenerateRandomCommand, GetKeyLastUsageCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, GetPublicKeyCommand, KMSClient, ListAliasesCommand,
  ListGrantsCommand, ListKeyRotationsCommand, ListKeysCommand, ListResourceTagsCommand, PutKeyPolicyCommand, ReEncryptCommand,
  RetireGrantCommand, RevokeGrantCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, SignCommand, TagResourceCommand,
  UntagResourceCommand, VerifyCommand, VerifyMacCommand,
  type KeySpec, type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { RunningServer } from '../../src/server/server.ts';
import { rejectsWith } from '../helpers/errors.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';

const policy = (statement: object | object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

describe('KMS over HTTP with the AWS SDK for JavaScript v3', () => {
  let server: RunningServer;
  let kms: KMSClient;
  let iam: IAMClient;
  let cloudtrail: CloudTrailClient;
  let userCounter = 0;

  before(async () => {
    server = await startTestServer();
    kms = new KMSClient({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
    iam = new IAMClient({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
    cloudtrail = new CloudTrailClient({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
  });
  after(() => server.close());

  async function symmetricKey(extra: object = {}) {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand(extra));
    return KeyMetadata!;
  }

  async function advanceClock(seconds: number) {
    const response = await fetch(`${server.url}/_bulwark/clock`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }),
    });
    assert.equal(response.status, 200);
  }

  /** A new IAM user with an access key from IAM, and a KMS client signed with it. */
  async function newUser(identityPolicy?: object[]) {
    const userName = `kms-user-${++userCounter}`;
    const { User } = await iam.send(new CreateUserCommand({ UserName: userName }));
    if (identityPolicy) {
      await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'kms', PolicyDocument: policy(identityPolicy) }));
    }
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const credentials = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    return { arn: User!.Arn!, kms: new KMSClient({ endpoint: server.url, region: TEST_REGION, credentials }) };
  }

  it('CreateKey makes an Enabled symmetric key by default, and DescribeKey finds it by id, ARN and alias', async () => {
    const key = await symmetricKey({ Description: 'app data' });
    assert.match(key.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(key.Arn, `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/${key.KeyId}`);
    assert.equal(key.KeyState, 'Enabled');
    assert.equal(key.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.deepEqual(key.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app-data', TargetKeyId: key.KeyId }));
    for (const keyId of [key.KeyId, key.Arn, 'alias/app-data', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/app-data`]) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      assert.equal(KeyMetadata!.KeyId, key.KeyId);
    }
    const { Keys } = await kms.send(new ListKeysCommand({}));
    assert.ok(Keys!.some((k) => k.KeyId === key.KeyId));
    const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Aliases!.map((a) => a.AliasName), ['alias/app-data']);
  });

  it('DescribeKey of an unknown key: NotFoundException, 400', async () => {
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })), rejectsWith('NotFoundException', 400));
  });

  it('CreateAlias rejects a name without alias/, a reserved alias/aws/ name, and a duplicate', async () => {
    const key = await symmetricKey();
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'app', TargetKeyId: key.KeyId })), rejectsWith('InvalidAliasNameException'));
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: key.KeyId })), rejectsWith('NotAuthorizedException'));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: key.KeyId }));
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: key.KeyId })), rejectsWith('AlreadyExistsException'));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/dup' }));
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: 'alias/dup' })), rejectsWith('NotFoundException'));
  });

  it('Encrypt/Decrypt round-trips under an encryption context; a different context fails: InvalidCiphertextException', async () => {
    const key = await symmetricKey();
    const plaintext = Buffer.from('attack at dawn');
    const context = { tenant: 'blue', purpose: 'test' };
    const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: plaintext, EncryptionContext: context }));
    assert.equal(encrypted.KeyId, key.Arn);
    assert.ok(!Buffer.from(encrypted.CiphertextBlob!).includes(plaintext));
    // Decrypt needs no KeyId: the blob names its key.
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: 'test', tenant: 'blue' } }));
    assert.equal(Buffer.from(decrypted.Plaintext!).toString(), 'attack at dawn');
    assert.equal(decrypted.KeyId, key.Arn);
    await assert.rejects(
      kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { tenant: 'red', purpose: 'test' } })),
      rejectsWith('InvalidCiphertextException', 400),
    );
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })), rejectsWith('InvalidCiphertextException'));
  });

  it('Decrypt with a KeyId other than the ciphertext’s: IncorrectKeyException', async () => {
    const [a, b] = [await symmetricKey(), await symmetricKey()];
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: Buffer.from('x') }));
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: b.KeyId })), rejectsWith('IncorrectKeyException'));
  });

  it('ReEncrypt moves a ciphertext to another key and context', async () => {
    const [a, b] = [await symmetricKey(), await symmetricKey()];
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: Buffer.from('moved'), EncryptionContext: { k: '1' } }));
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: { k: '1' }, DestinationKeyId: b.KeyId, DestinationEncryptionContext: { k: '2' } }));
    assert.equal(re.SourceKeyId, a.Arn);
    assert.equal(re.KeyId, b.Arn);
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { k: '2' } }));
    assert.equal(Buffer.from(out.Plaintext!).toString(), 'moved');
  });

  it('GenerateDataKey gives an AES key usable with node:crypto, whose encrypted copy Decrypt opens', async () => {
    const key = await symmetricKey();
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256', EncryptionContext: { file: 'a.txt' } }));
    assert.equal(dataKey.Plaintext!.length, 32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey.Plaintext!, iv);
    const sealed = Buffer.concat([cipher.update('local data'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: { file: 'a.txt' } }));
    const decipher = createDecipheriv('aes-256-gcm', Plaintext!, iv);
    decipher.setAuthTag(tag);
    assert.equal(Buffer.concat([decipher.update(sealed), decipher.final()]).toString(), 'local data');

    const without = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, NumberOfBytes: 16 }));
    assert.equal((without as { Plaintext?: unknown }).Plaintext, undefined);
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: without.CiphertextBlob }));
    assert.equal(opened.Plaintext!.length, 16);
  });

  it('GenerateDataKeyPair returns a key pair whose private key signs what its public key verifies', async () => {
    const key = await symmetricKey();
    const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }));
    assert.deepEqual(Buffer.from(Plaintext!), Buffer.from(pair.PrivateKeyPlaintext!));
    const { sign: nodeSign, createPrivateKey } = await import('node:crypto');
    const privateKey = createPrivateKey({ key: Buffer.from(pair.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
    const signature = nodeSign('sha256', Buffer.from('m'), privateKey);
    const publicKey = createPublicKey({ key: Buffer.from(pair.PublicKey!), format: 'der', type: 'spki' });
    assert.ok(nodeVerify('sha256', Buffer.from('m'), publicKey, signature));
  });

  it('GenerateRandom returns the bytes asked for', async () => {
    const { Plaintext } = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    assert.equal(Plaintext!.length, 64);
  });

  const signingCases: [KeySpec, SigningAlgorithmSpec[]][] = [
    ['RSA_2048', ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_512']],
    ['RSA_3072', ['RSASSA_PSS_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_384']],
    ['RSA_4096', ['RSASSA_PKCS1_V1_5_SHA_512']],
    ['ECC_NIST_P256', ['ECDSA_SHA_256']],
    ['ECC_NIST_P384', ['ECDSA_SHA_384']],
    ['ECC_NIST_P521', ['ECDSA_SHA_512']],
    ['ECC_SECG_P256K1', ['ECDSA_SHA_256']],
    ['ECC_NIST_EDWARDS25519', ['ED25519_SHA_512']],
    ['ML_DSA_44', ['ML_DSA_SHAKE_256']],
  ];
  for (const [keySpec, algorithms] of signingCases) {
    it(`Sign/Verify with ${keySpec}: the signature verifies in KMS and with the public key; a changed message fails: KMSInvalidSignatureException`, async () => {
      const key = (await kms.send(new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
      assert.ok(algorithms.every((a) => key.SigningAlgorithms!.includes(a)));
      const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
      const message = Buffer.from(`message for ${keySpec}`);
      for (const algorithm of algorithms) {
        const { Signature } = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: algorithm }));
        const verified = await kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature, SigningAlgorithm: algorithm }));
        assert.equal(verified.SignatureValid, true);
        const hash = /SHA_(256|384|512)$/.exec(algorithm)?.[1];
        const independent = algorithm.startsWith('ED25519') || algorithm.startsWith('ML_DSA')
          ? nodeVerify(null, message, publicKey, Signature!)
          : nodeVerify(`sha${hash}`, message, algorithm.includes('PSS')
            ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(hash) / 8 }
            : publicKey, Signature!);
        assert.ok(independent, `node:crypto verifies the ${algorithm} signature`);
        await assert.rejects(
          kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: Buffer.from('tampered'), Signature, SigningAlgorithm: algorithm })),
          rejectsWith('KMSInvalidSignatureException', 400),
        );
      }
    });
  }

  it('Sign with a DIGEST message matches a RAW signature’s verification', async () => {
    const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const message = Buffer.from('digest me');
    const digest = createHash('sha256').update(message).digest();
    const { Signature } = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    const ok = await kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.equal(ok.SignatureValid, true);
  });

  it('GetKeyLastUsage: nothing for a new key; then the last successful operation with its request id and CloudTrail event', async () => {
    const key = await symmetricKey();
    const fresh = await kms.send(new GetKeyLastUsageCommand({ KeyId: key.Arn }));
    assert.equal(fresh.KeyId, key.KeyId);
    assert.deepEqual(fresh.KeyCreationDate, key.CreationDate);
    assert.deepEqual(fresh.TrackingStartDate, key.CreationDate);
    assert.equal(fresh.KeyLastUsage?.Operation, undefined);

    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('used') }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob }));
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { wrong: 'context' } })), rejectsWith('InvalidCiphertextException'));
    const { KeyLastUsage } = await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }));
    assert.equal(KeyLastUsage!.Operation, 'Decrypt');
    assert.equal(KeyLastUsage!.KmsRequestId, decrypted.$metadata.requestId);
    // The CloudTrail event of that Decrypt call.
    const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: KeyLastUsage!.CloudTrailEventId }] }));
    assert.equal(JSON.parse(Events![0]!.CloudTrailEvent!).requestID, decrypted.$metadata.requestId);
    assert.ok(KeyLastUsage!.Timestamp instanceof Date && KeyLastUsage!.Timestamp.getTime() >= key.CreationDate!.getTime());
  });

  it('GenerateMac/VerifyMac with an HMAC key; a wrong MAC: KMSInvalidMacException', async () => {
    const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }));
    const ok = await kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), Mac, MacAlgorithm: 'HMAC_SHA_256' }));
    assert.equal(ok.MacValid, true);
    await assert.rejects(
      kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: Buffer.from('n'), Mac, MacAlgorithm: 'HMAC_SHA_256' })),
      rejectsWith('KMSInvalidMacException'),
    );
  });

  it('Encrypt with a signing key: InvalidKeyUsageException', async () => {
    const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), rejectsWith('InvalidKeyUsageException'));
  });

  it('RSA keys encrypt with RSAES_OAEP_SHA_256 and decrypt with the KeyId', async () => {
    const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('rsa'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const { Plaintext } = await kms.send(new DecryptCommand({ KeyId: key.KeyId, CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    assert.equal(Buffer.from(Plaintext!).toString(), 'rsa');
  });

  it('DryRun with DryRunModifiers IGNORE_CIPHERTEXT checks authorization only: DryRunOperationException, or AccessDeniedException', async () => {
    const key = await symmetricKey();
    const junk = Buffer.from('not a ciphertext');
    const dryRun = { CiphertextBlob: junk, KeyId: key.KeyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT' as const] };
    await assert.rejects(kms.send(new DecryptCommand(dryRun)), rejectsWith('DryRunOperationException'));
    await assert.rejects(kms.send(new DecryptCommand({ ...dryRun, DryRunModifiers: [] })), rejectsWith('InvalidCiphertextException'));
    await assert.rejects(kms.send(new DecryptCommand({ ...dryRun, KeyId: undefined })), rejectsWith('ValidationException'));
    const user = await newUser();
    await assert.rejects(user.kms.send(new DecryptCommand(dryRun)), rejectsWith('AccessDeniedException'));
  });

  it('a disabled key refuses to encrypt: DisabledException; enabling it again works', async () => {
    const key = await symmetricKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), rejectsWith('DisabledException', 400));
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
  });

  it('ScheduleKeyDeletion: PendingDeletion refuses use (KMSInvalidStateException); cancelling leaves it Disabled', async () => {
    const key = await symmetricKey();
    await assert.rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 6 })), rejectsWith('ValidationException'));
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.PendingWindowInDays, 7);
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), rejectsWith('KMSInvalidStateException'));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
  });

  it('a key scheduled for deletion is gone once the window passes on Bulwark’s clock: NotFoundException', async () => {
    const key = await symmetricKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    await advanceClock(7 * 86_400 + 60);
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })), rejectsWith('NotFoundException'));
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: 'alias/doomed' })), rejectsWith('NotFoundException'));
  });

  it('rotation (automatic on the clock, and on demand) keeps old ciphertexts decryptable', async () => {
    const key = await symmetricKey();
    const before = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('old') }));
    const materialBefore = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.CurrentKeyMaterialId;
    assert.match(materialBefore!, /^[0-9a-f]{64}$/);
    await assert.rejects(kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 89 })), rejectsWith('ValidationException'));
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 90);
    await advanceClock(91 * 86_400);
    const rotated = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('new') }));
    assert.notEqual((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.CurrentKeyMaterialId, materialBefore);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Rotations!.map((r) => r.RotationType), ['AUTOMATIC', 'ON_DEMAND']);
    for (const [blob, text] of [[before.CiphertextBlob, 'old'], [rotated.CiphertextBlob, 'new']] as const) {
      const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
      assert.equal(Buffer.from(Plaintext!).toString(), text);
    }
  });

  it('tags: TagResource, ListResourceTags, UntagResource; aws: keys are reserved (TagException)', async () => {
    const key = await symmetricKey({ Tags: [{ TagKey: 'team', TagValue: 'a' }] });
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'env', TagValue: 'dev' }, { TagKey: 'team', TagValue: 'b' }] }));
    const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Tags, [{ TagKey: 'team', TagValue: 'b' }, { TagKey: 'env', TagValue: 'dev' }]);
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['team'] }));
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags, [{ TagKey: 'env', TagValue: 'dev' }]);
    await assert.rejects(kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: '1' }] })), rejectsWith('TagException'));
  });

  it('the default key policy gives the account root kms:*; a policy locking the caller out is refused', async () => {
    const key = await symmetricKey();
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
    const document = JSON.parse(Policy!);
    assert.deepEqual(document.Statement[0].Principal, { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` });
    assert.equal(document.Statement[0].Action, 'kms:*');
    const lockout = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:Encrypt', Resource: '*' });
    await assert.rejects(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: lockout })), rejectsWith('MalformedPolicyDocumentException'));
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
  });

  it('an IAM user allowed kms:Encrypt by IAM may encrypt under the default key policy, but not under one that does not delegate to the account', async () => {
    const delegating = await symmetricKey();
    const user = await newUser([{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }]);
    await user.kms.send(new EncryptCommand({ KeyId: delegating.KeyId, Plaintext: Buffer.from('ok') }));
    // The user's IAM policy does not allow Decrypt: denied.
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: delegating.KeyId, Plaintext: Buffer.from('x') }));
    await assert.rejects(user.kms.send(new DecryptCommand({ CiphertextBlob })), rejectsWith('AccessDeniedException', 403));

    const adminOnly = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:user/nobody-else` }, Action: 'kms:*', Resource: '*' });
    const closed = await symmetricKey({ Policy: adminOnly, BypassPolicyLockoutSafetyCheck: true });
    await assert.rejects(user.kms.send(new EncryptCommand({ KeyId: closed.KeyId, Plaintext: Buffer.from('no') })), rejectsWith('AccessDeniedException', 403));
  });

  it('a grant lets a user without IAM permissions decrypt, within its encryption context constraint; revoking ends it', async () => {
    const key = await symmetricKey();
    const user = await newUser();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('granted'), EncryptionContext: { app: 'x' } }));
    await assert.rejects(user.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'x' } })), rejectsWith('AccessDeniedException'));
    const grant = await kms.send(new CreateGrantCommand({
      KeyId: key.KeyId, GranteePrincipal: user.arn, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { app: 'x' } },
    }));
    assert.match(grant.GrantId!, /^[0-9a-f]{64}$/);
    const { Plaintext } = await user.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'x' } }));
    assert.equal(Buffer.from(Plaintext!).toString(), 'granted');
    // Outside the constraint the grant does not apply.
    const other = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('other'), EncryptionContext: { app: 'y' } }));
    await assert.rejects(user.kms.send(new DecryptCommand({ CiphertextBlob: other.CiphertextBlob, EncryptionContext: { app: 'y' } })), rejectsWith('AccessDeniedException'));
    // Nor for operations it does not list.
    await assert.rejects(user.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('no') })), rejectsWith('AccessDeniedException'));
    const { Grants } = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Grants!.map((g) => [g.GrantId, g.GranteePrincipal, g.Operations]), [[grant.GrantId, user.arn, ['Decrypt']]]);
    await kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: grant.GrantId }));
    await assert.rejects(user.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'x' } })), rejectsWith('AccessDeniedException'));
  });

  it('the retiring principal of a grant may retire it with the grant token', async () => {
    const key = await symmetricKey();
    const retirer = await newUser();
    const grant = await kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: retirer.arn, RetiringPrincipal: retirer.arn, Operations: ['Encrypt'] }));
    await retirer.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    await retirer.kms.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
    assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
  });
});
