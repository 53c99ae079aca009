// The Recipient parameter (Nitro Enclaves attestation), on the handlers: secrets come
// back only as CiphertextForRecipient, a CMS envelope that the enclave's private key
// (and openssl) opens; documents that are not signed by a trusted chain, are tampered
// with, expired or without a public key are refused; their PCRs are condition keys.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Clock } from '../../../src/lib/clock.ts';
import { kms } from '../../../src/services/kms/index.ts';
import { awsNitroRootFingerprint, configureAttestationRoots } from '../../../src/services/kms/recipient.ts';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';
import { attestationDocument, makeChain, makeEnclave, openForEnclave, type Chain, type Enclave } from './attestation-fixture.ts';
import { ACCOUNT, callKms, fails, ROOT } from './caller.ts';

let store: Store;
let chain: Chain;
let enclave: Enclave;
let rootsDir: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (operation: string, input: Record<string, unknown>, now?: Date): Promise<any> => callKms(store, operation, input, { now });

const recipient = (document: Buffer) => ({ KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: document });

describe('Recipient (Nitro Enclaves attestation)', () => {
  before(async () => {
    store = await openStore('memory:');
    chain = makeChain();
    enclave = makeEnclave();
    rootsDir = mkdtempSync(join(tmpdir(), 'bulwark-roots-'));
    writeFileSync(join(rootsDir, 'roots.pem'), chain.rootPem);
    configureAttestationRoots(store, join(rootsDir, 'roots.pem'));
  });
  after(() => {
    rmSync(rootsDir, { recursive: true, force: true });
  });

  it('AWS\'s Nitro Enclaves root is the one AWS publishes (SHA-256 fingerprint)', () => {
    assert.equal(awsNitroRootFingerprint(), '64:1A:03:21:A3:E2:44:EF:E4:56:46:31:95:D6:06:31:7E:D7:CD:CC:3C:17:56:E0:98:93:F3:C6:8F:79:BB:5B');
  });

  it('Decrypt: no Plaintext; CiphertextForRecipient opens with the enclave\'s private key', async () => {
    const keyId = (await call('CreateKey', {})).KeyMetadata.KeyId;
    const { CiphertextBlob } = await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('for the enclave only') });
    const decrypted = await call('Decrypt', { CiphertextBlob, Recipient: recipient(attestationDocument(chain, enclave)) });
    assert.equal(decrypted.Plaintext, undefined);
    assert.equal(openForEnclave(enclave, decrypted.CiphertextForRecipient).toString(), 'for the enclave only');
  });

  it('GenerateDataKey: the CiphertextBlob and the recipient\'s copy hold the same data key', async () => {
    const keyId = (await call('CreateKey', {})).KeyMetadata.KeyId;
    const dataKey = await call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', Recipient: recipient(attestationDocument(chain, enclave)) });
    assert.equal(dataKey.Plaintext, undefined);
    const { Plaintext } = await call('Decrypt', { CiphertextBlob: dataKey.CiphertextBlob });
    assert.deepEqual(openForEnclave(enclave, dataKey.CiphertextForRecipient), Buffer.from(Plaintext));
  });

  it('GenerateRandom, GenerateDataKeyPair and DeriveSharedSecret answer only for the recipient too', async () => {
    const document = attestationDocument(chain, enclave);
    const random = await call('GenerateRandom', { NumberOfBytes: 24, Recipient: recipient(document) });
    assert.equal(random.Plaintext, undefined);
    assert.equal(openForEnclave(enclave, random.CiphertextForRecipient).length, 24);

    const keyId = (await call('CreateKey', {})).KeyMetadata.KeyId;
    const pair = await call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256', Recipient: recipient(document) });
    assert.equal(pair.PrivateKeyPlaintext, undefined);
    const privateKey = (await call('Decrypt', { CiphertextBlob: pair.PrivateKeyCiphertextBlob })).Plaintext;
    assert.deepEqual(openForEnclave(enclave, pair.CiphertextForRecipient), Buffer.from(privateKey));

    const agreement = (await call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' })).KeyMetadata.KeyId;
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    const shared = await call('DeriveSharedSecret', { KeyId: agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer, Recipient: recipient(document) });
    assert.equal(shared.SharedSecret, undefined);
    assert.equal(openForEnclave(enclave, shared.CiphertextForRecipient).length, 32);
  });

  it('documents that are untrusted, tampered with, expired, without a public key or not COSE: ValidationException', async () => {
    const keyId = (await call('CreateKey', {})).KeyMetadata.KeyId;
    const generate = (document: Buffer, now?: Date) => call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', Recipient: recipient(document) }, now);
    await assert.rejects(generate(attestationDocument(makeChain(), enclave)), fails('ValidationException'));
    await assert.rejects(generate(attestationDocument(chain, enclave, { tamper: true })), fails('ValidationException'));
    await assert.rejects(generate(attestationDocument(chain, enclave), new Date(Date.now() + 3 * 86_400_000)), fails('ValidationException'));
    await assert.rejects(generate(attestationDocument(chain, enclave, { withoutPublicKey: true })), fails('ValidationException'));
    await assert.rejects(generate(Buffer.from('not an attestation document')), fails('ValidationException'));
  });

  it('a roots file that cannot be read is Bulwark\'s fault: KMSInternalException', async () => {
    configureAttestationRoots(store, join(rootsDir, 'missing.pem'));
    try {
      await assert.rejects(call('GenerateRandom', { Recipient: recipient(attestationDocument(chain, enclave)) }), fails('KMSInternalException'));
    } finally {
      configureAttestationRoots(store, join(rootsDir, 'roots.pem'));
    }
  });

  it('the document\'s PCRs are the kms:RecipientAttestation condition keys (ImageSha384 is PCR0)', async () => {
    const keyId = (await call('CreateKey', {})).KeyMetadata.KeyId;
    const context = { requestId: 'r', principal: ROOT, accessKeyId: undefined, region: 'us-east-1', now: new Date(), clock: new Clock(), store, defaultAccountId: ACCOUNT, sourceIp: undefined };
    const [requirement] = await kms.access.GenerateDataKey!({ KeyId: keyId, Recipient: recipient(attestationDocument(chain, enclave)) }, context);
    assert.equal(requirement!.context!['kms:RecipientAttestation:ImageSha384'], enclave.pcr0.toString('hex'));
    assert.equal(requirement!.context!['kms:RecipientAttestation:PCR1'], '01'.repeat(48));
  });
});
