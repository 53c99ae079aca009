// KMS handlers called directly on a memory store: validation, key states, imported
// material, multi-Region keys, grants and pagination, as AWS KMS behaves.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import type { Principal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { kms } from '../../../src/services/kms/index.ts';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';
import { fails } from './caller.ts';
import { wrapKeyMaterial } from './crypto/helpers.ts';

const ACCOUNT = '123456789012';
const ROOT: Principal = { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
const DAY_MS = 86_400_000;

let store: Store;
let now = new Date('2026-01-01T00:00:00Z');

function context(region = 'us-east-1'): RequestContext {
  return { requestId: 'r', principal: ROOT, accessKeyId: undefined, region, now, clock: new Clock(), store, defaultAccountId: ACCOUNT, sourceIp: undefined };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(operation: string, input: Record<string, unknown>, region?: string): Promise<any> {
  return kms.handlers[operation]!(input, context(region));
}

describe('KMS handlers', () => {
  before(async () => {
    store = await openStore('memory:');
  });

  describe('CreateKey', () => {
    it('rejects a KeyUsage the KeySpec does not support: ValidationException', async () => {
      await assert.rejects(call('CreateKey', { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'SIGN_VERIFY' }), fails('ValidationException', /not compatible/));
      await assert.rejects(call('CreateKey', { KeySpec: 'HMAC_256' }), fails('ValidationException'));
    });

    it('refuses custom key stores and SM2 keys: UnsupportedOperationException', async () => {
      await assert.rejects(call('CreateKey', { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1234567890abcdef0' }), fails('UnsupportedOperationException'));
      await assert.rejects(call('CreateKey', { KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' }), fails('UnsupportedOperationException'));
    });

    it('validates a supplied policy: malformed JSON is MalformedPolicyDocumentException', async () => {
      await assert.rejects(call('CreateKey', { Policy: '{"Version":' }), fails('MalformedPolicyDocumentException'));
    });

    it('MultiRegion keys get an mrk- id and describe themselves as PRIMARY', async () => {
      const { KeyMetadata } = await call('CreateKey', { MultiRegion: true });
      assert.match(KeyMetadata.KeyId, /^mrk-[0-9a-f]{32}$/);
      assert.equal(KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType, 'PRIMARY');
    });
  });

  describe('key states', () => {
    it('EnableKey on a key pending deletion: KMSInvalidStateException', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      await call('ScheduleKeyDeletion', { KeyId: KeyMetadata.KeyId, PendingWindowInDays: 30 });
      await assert.rejects(call('EnableKey', { KeyId: KeyMetadata.KeyId }), fails('KMSInvalidStateException', /pending deletion/));
      await assert.rejects(call('ScheduleKeyDeletion', { KeyId: KeyMetadata.KeyId }), fails('KMSInvalidStateException'));
    });

    it('CancelKeyDeletion on a key not pending deletion: KMSInvalidStateException', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      await assert.rejects(call('CancelKeyDeletion', { KeyId: KeyMetadata.KeyId }), fails('KMSInvalidStateException'));
    });

    it('a key is still there one second before its deletion date, and gone at it', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      const { DeletionDate } = await call('ScheduleKeyDeletion', { KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 });
      assert.equal(DeletionDate.getTime() - now.getTime(), 7 * DAY_MS);
      now = new Date(DeletionDate.getTime() - 1000);
      assert.equal((await call('DescribeKey', { KeyId: KeyMetadata.KeyId })).KeyMetadata.KeyState, 'PendingDeletion');
      now = DeletionDate;
      await assert.rejects(call('DescribeKey', { KeyId: KeyMetadata.KeyId }), fails('NotFoundException', /does not exist/));
    });
  });

  describe('imported key material (Origin EXTERNAL)', () => {
    const wrap = (publicKeyDer: Uint8Array, material: Buffer) => wrapKeyMaterial(publicKeyDer, 'RSAES_OAEP_SHA_256', material);

    it('a key waits in PendingImport, works after ImportKeyMaterial, and returns to PendingImport when its material expires', async () => {
      const { KeyMetadata } = await call('CreateKey', { Origin: 'EXTERNAL' });
      assert.equal(KeyMetadata.KeyState, 'PendingImport');
      await assert.rejects(call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x') }), fails('KMSInvalidStateException', /pending import/));
      const material = randomBytes(32);
      const params = await call('GetParametersForImport', { KeyId: KeyMetadata.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
      await assert.rejects(
        call('ImportKeyMaterial', { KeyId: KeyMetadata.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrap(params.PublicKey, material) }),
        fails('ValidationException', /validTo/),
      );
      await call('ImportKeyMaterial', {
        KeyId: KeyMetadata.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrap(params.PublicKey, material),
        ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(now.getTime() + DAY_MS),
      });
      const { CiphertextBlob } = await call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('imported') });

      // The ciphertext is AES-256-GCM under exactly the imported bytes: another key cannot be swapped in.
      const other = randomBytes(32);
      const again = await call('GetParametersForImport', { KeyId: KeyMetadata.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
      await assert.rejects(
        call('ImportKeyMaterial', { KeyId: KeyMetadata.KeyId, ImportToken: again.ImportToken, EncryptedKeyMaterial: wrap(again.PublicKey, other), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        fails('IncorrectKeyMaterialException'),
      );

      now = new Date(now.getTime() + DAY_MS + 1000);
      assert.equal((await call('DescribeKey', { KeyId: KeyMetadata.KeyId })).KeyMetadata.KeyState, 'PendingImport');
      // Importing the same material again (a fresh token) restores it, and old ciphertexts decrypt.
      const fresh = await call('GetParametersForImport', { KeyId: KeyMetadata.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
      await call('ImportKeyMaterial', { KeyId: KeyMetadata.KeyId, ImportToken: fresh.ImportToken, EncryptedKeyMaterial: wrap(fresh.PublicKey, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
      const { Plaintext } = await call('Decrypt', { CiphertextBlob });
      assert.equal(Buffer.from(Plaintext).toString(), 'imported');

      await call('DeleteImportedKeyMaterial', { KeyId: KeyMetadata.KeyId });
      await assert.rejects(call('Decrypt', { CiphertextBlob }), fails('KMSInvalidStateException'));
    });

    it('an import token made for one key is refused by another: InvalidImportTokenException', async () => {
      const a = (await call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata;
      const b = (await call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata;
      const params = await call('GetParametersForImport', { KeyId: a.KeyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_3072' });
      const wrapped = wrapKeyMaterial(params.PublicKey, 'RSA_AES_KEY_WRAP_SHA_256', randomBytes(32));
      await assert.rejects(
        call('ImportKeyMaterial', { KeyId: b.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        fails('InvalidImportTokenException'),
      );
      await call('ImportKeyMaterial', { KeyId: a.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    });

    it('GetParametersForImport on a key with KMS material: UnsupportedOperationException', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      await assert.rejects(
        call('GetParametersForImport', { KeyId: KeyMetadata.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
        fails('UnsupportedOperationException'),
      );
    });
  });

  describe('multi-Region keys', () => {
    it('a replica decrypts what its primary encrypted, and UpdatePrimaryRegion swaps the roles', async () => {
      const primary = (await call('CreateKey', { MultiRegion: true })).KeyMetadata;
      const { CiphertextBlob } = await call('Encrypt', { KeyId: primary.KeyId, Plaintext: Buffer.from('everywhere') });
      const { ReplicaKeyMetadata } = await call('ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' });
      assert.equal(ReplicaKeyMetadata.Arn, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${primary.KeyId}`);
      assert.equal(ReplicaKeyMetadata.MultiRegionConfiguration.MultiRegionKeyType, 'REPLICA');
      const { Plaintext } = await call('Decrypt', { CiphertextBlob }, 'eu-west-1');
      assert.equal(Buffer.from(Plaintext).toString(), 'everywhere');
      await assert.rejects(call('ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' }), fails('AlreadyExistsException'));

      // After the primary rotates, the replica decrypts (and encrypts with) the new material too.
      await call('RotateKeyOnDemand', { KeyId: primary.KeyId });
      const rotated = await call('Encrypt', { KeyId: primary.KeyId, Plaintext: Buffer.from('after rotation') });
      assert.equal(Buffer.from((await call('Decrypt', { CiphertextBlob: rotated.CiphertextBlob }, 'eu-west-1')).Plaintext).toString(), 'after rotation');
      const replicaCiphertext = await call('Encrypt', { KeyId: primary.KeyId, Plaintext: Buffer.from('from the replica') }, 'eu-west-1');
      assert.equal(Buffer.from((await call('Decrypt', { CiphertextBlob: replicaCiphertext.CiphertextBlob })).Plaintext).toString(), 'from the replica');

      await call('UpdatePrimaryRegion', { KeyId: primary.KeyId, PrimaryRegion: 'eu-west-1' });
      const described = (await call('DescribeKey', { KeyId: primary.KeyId })).KeyMetadata;
      assert.equal(described.MultiRegionConfiguration.MultiRegionKeyType, 'REPLICA');
      assert.equal(described.MultiRegionConfiguration.PrimaryKey.Region, 'eu-west-1');
    });

    it('ReplicateKey of a single-Region key: UnsupportedOperationException', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      await assert.rejects(call('ReplicateKey', { KeyId: KeyMetadata.KeyId, ReplicaRegion: 'eu-west-1' }), fails('UnsupportedOperationException'));
    });
  });

  describe('grants', () => {
    it('CreateGrant refuses operations the key usage does not have: ValidationException', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      await assert.rejects(
        call('CreateGrant', { KeyId: KeyMetadata.KeyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/a`, Operations: ['Sign'] }),
        fails('ValidationException'),
      );
    });

    it('a named grant created twice with the same parameters is one grant; ListRetirableGrants finds it', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      const request = { KeyId: KeyMetadata.KeyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/a`, RetiringPrincipal: `arn:aws:iam::${ACCOUNT}:user/r`, Operations: ['Encrypt'], Name: 'same' };
      const first = await call('CreateGrant', request);
      const second = await call('CreateGrant', request);
      assert.equal(first.GrantId, second.GrantId);
      assert.equal((await call('ListGrants', { KeyId: KeyMetadata.KeyId })).Grants.length, 1);
      const retirable = await call('ListRetirableGrants', { RetiringPrincipal: `arn:aws:iam::${ACCOUNT}:user/r` });
      assert.ok(retirable.Grants.some((grant: { GrantId: string }) => grant.GrantId === first.GrantId));
      await assert.rejects(call('RevokeGrant', { KeyId: KeyMetadata.KeyId, GrantId: 'f'.repeat(64) }), fails('InvalidGrantIdException'));
      await assert.rejects(call('RetireGrant', { GrantToken: 'not-a-token' }), fails('InvalidGrantTokenException'));
    });
  });

  describe('aliases and listing', () => {
    it('UpdateAlias moves an alias to another key of the same type; not to a key of another usage', async () => {
      const a = (await call('CreateKey', {})).KeyMetadata;
      const b = (await call('CreateKey', {})).KeyMetadata;
      const signer = (await call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
      await call('CreateAlias', { AliasName: 'alias/moving', TargetKeyId: a.KeyId });
      await call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: b.KeyId });
      assert.equal((await call('DescribeKey', { KeyId: 'alias/moving' })).KeyMetadata.KeyId, b.KeyId);
      await assert.rejects(call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: signer.KeyId }), fails('ValidationException'));
      await assert.rejects(call('CreateAlias', { AliasName: 'alias/to-alias', TargetKeyId: 'alias/moving' }), fails('ValidationException'));
    });

    it('ListKeys pages with Limit and Marker, visiting every key once', async () => {
      const all = (await call('ListKeys', { Limit: 1000 })).Keys.map((k: { KeyId: string }) => k.KeyId);
      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await call('ListKeys', { Limit: 2, ...(marker ? { Marker: marker } : {}) });
        assert.ok(page.Keys.length <= 2);
        seen.push(...page.Keys.map((k: { KeyId: string }) => k.KeyId));
        marker = page.Truncated ? page.NextMarker : undefined;
      } while (marker);
      assert.deepEqual(seen, all);
      assert.ok(all.length > 4);
      await assert.rejects(call('ListKeys', { Marker: 'bogus' }), fails('InvalidMarkerException'));
    });
  });

  describe('rotation', () => {
    it('only symmetric keys with KMS material rotate: UnsupportedOperationException otherwise', async () => {
      const hmac = (await call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata;
      await assert.rejects(call('EnableKeyRotation', { KeyId: hmac.KeyId }), fails('UnsupportedOperationException'));
    });

    it('EnableKeyRotation on a disabled key: DisabledException', async () => {
      const { KeyMetadata } = await call('CreateKey', {});
      await call('DisableKey', { KeyId: KeyMetadata.KeyId });
      await assert.rejects(call('EnableKeyRotation', { KeyId: KeyMetadata.KeyId }), fails('DisabledException'));
    });
  });
});
