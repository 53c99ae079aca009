// The cryptographic operations: they run the crypto core on the key's material after
// the key passes its state and usage checks. Secrets go back in plaintext, or sealed to
// a Nitro attestation document's key when the request names a Recipient.
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import {
  decryptWithMaterial, deriveSharedSecret, encrypt, generateDataKey, generateDataKeyPair, generateMac, generateRandom,
  isMultiRegionKeyId, isSameKmsKey, KEY_SPECS, parseCiphertextBlob, parseKeyRef, publicKeyDer, rsaDecrypt, rsaEncrypt, sign, verify, verifyMac,
  type EncryptionAlgorithm,
} from '../crypto/index.ts';
import {
  currentMaterial, findRequestKey, materialById, requireEnabled, requireKey, requireUsage,
} from '../keys.ts';
import type {
  EncryptionAlgorithmSpec, KeyLastUsageTrackingOperation, KeyUsageType, Operations, RecipientInfo,
} from '../../../protocol/types/kms.ts';
import { sealForRecipient } from '../recipient.ts';
import { keyArn, type KeyRecord } from '../records.ts';
import { noteKeyUse } from '../usage.ts';

/** The key, Enabled and of the usage the operation needs. */
async function usableKey(context: RequestContext, keyIdInput: string, usage: KeyUsageType, operation: string): Promise<KeyRecord> {
  const record = await requireKey(context, keyIdInput);
  requireEnabled(record);
  requireUsage(record, usage, operation);
  return record;
}

/**
 * The secret an operation returns: in plaintext, or with a Recipient (Nitro attestation)
 * only sealed to the attested key as CiphertextForRecipient (recipient.ts).
 */
function secretFor<K extends string>(context: RequestContext, recipient: RecipientInfo | undefined, member: K, secret: Uint8Array) {
  if (recipient) return { CiphertextForRecipient: sealForRecipient(context.store, recipient, secret, context.now) };
  return { [member]: secret } as { [P in K]: Uint8Array };
}

/** A successful cryptographic operation, for GetKeyLastUsage. */
function used(context: RequestContext, record: KeyRecord, operation: KeyLastUsageTrackingOperation): void {
  noteKeyUse(context.store, record, { operation, timestamp: context.now.toISOString(), requestId: context.requestId });
}

function dryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) throw new AwsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

/**
 * DryRun with DryRunModifiers IGNORE_CIPHERTEXT: the request was authorized (the keys it
 * names exist, and the caller may use them); the ciphertext is not looked at.
 */
async function dryRunIgnoringCiphertext(context: RequestContext, input: { DryRun?: boolean; DryRunModifiers?: string[] }, keyIds: (string | undefined)[]): Promise<void> {
  if (!input.DryRun || !input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT')) return;
  // Without the ciphertext, only the request can name the (source) key.
  if (!keyIds[0]) throw new AwsError('ValidationException', 'A KeyId is required when DryRunModifiers is IGNORE_CIPHERTEXT.');
  for (const keyId of keyIds) if (keyId) await requireKey(context, keyId);
  dryRun(input);
}

function encryptWith(record: KeyRecord, algorithm: EncryptionAlgorithmSpec, plaintext: Uint8Array, encryptionContext?: Record<string, string>): Buffer {
  if (!KEY_SPECS[record.keySpec].encryptionAlgorithms.includes(algorithm as EncryptionAlgorithm)) {
    throw new AwsError('InvalidKeyUsageException', `The encryption algorithm ${algorithm} is not compatible with a key of KeySpec ${record.keySpec}.`);
  }
  const material = currentMaterial(record);
  return algorithm === 'SYMMETRIC_DEFAULT'
    ? encrypt(material, record.arn, plaintext, encryptionContext)
    : rsaEncrypt(material, algorithm as EncryptionAlgorithm, plaintext);
}

/**
 * The key a symmetric ciphertext names: in the caller's Region for a multi-Region key
 * (its replica answers for the primary), else where the blob says.
 */
export async function keyOfCiphertext(context: RequestContext, blob: Uint8Array): Promise<KeyRecord> {
  const ref = parseKeyRef(parseCiphertextBlob(blob).keyId);
  const accountId = ref.account ?? context.principal.accountId;
  const region = ref.region === undefined || isMultiRegionKeyId(ref.keyId) ? context.region : ref.region;
  const location = { accountId, region, keyId: ref.keyId, arn: keyArn(accountId, region, ref.keyId) };
  const record = await findRequestKey(context, location);
  if (!record) throw new AwsError('InvalidCiphertextException', 'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.');
  return record;
}

interface Decrypted {
  record: KeyRecord;
  plaintext: Buffer;
  algorithm: EncryptionAlgorithmSpec;
  materialId?: string;
}

/** Decrypt and ReEncrypt's source half. */
async function decryptBlob(
  context: RequestContext,
  blob: Uint8Array,
  keyIdInput: string | undefined,
  algorithm: EncryptionAlgorithmSpec | undefined,
  encryptionContext: Record<string, string> | undefined,
): Promise<Decrypted> {
  const chosen = algorithm ?? 'SYMMETRIC_DEFAULT';
  if (chosen !== 'SYMMETRIC_DEFAULT') {
    if (!keyIdInput) throw new AwsError('ValidationException', 'KeyId is required when decrypting with an asymmetric KMS key.');
    const record = await usableKey(context, keyIdInput, 'ENCRYPT_DECRYPT', 'Decrypt');
    return { record, plaintext: rsaDecrypt(currentMaterial(record), chosen as EncryptionAlgorithm, blob), algorithm: chosen };
  }
  const record = keyIdInput ? await requireKey(context, keyIdInput) : await keyOfCiphertext(context, blob);
  requireEnabled(record);
  requireUsage(record, 'ENCRYPT_DECRYPT', 'Decrypt');
  if (record.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new AwsError('InvalidKeyUsageException', `The encryption algorithm SYMMETRIC_DEFAULT is not compatible with a key of KeySpec ${record.keySpec}.`);
  }
  const { keyId: blobKeyId, materialId } = parseCiphertextBlob(blob);
  if (keyIdInput && !isSameKmsKey(blobKeyId, record.arn)) {
    throw new AwsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  }
  const material = materialById(record, materialId);
  if (!material) throw new AwsError('InvalidCiphertextException', 'The ciphertext could not be decrypted: it was not made by a material version of this key.');
  const result = decryptWithMaterial(material, blob, encryptionContext);
  return { record, plaintext: result.plaintext, algorithm: 'SYMMETRIC_DEFAULT', materialId };
}

export const cryptographyHandlers: Handlers<Operations> = {
  async Encrypt(input, context) {
    const record = await usableKey(context, input.KeyId, 'ENCRYPT_DECRYPT', 'Encrypt');
    const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const blob = encryptWith(record, algorithm, input.Plaintext, input.EncryptionContext);
    dryRun(input);
    used(context, record, 'Encrypt');
    return {
      CiphertextBlob: blob,
      KeyId: record.arn,
      EncryptionAlgorithm: algorithm,
    };
  },

  async Decrypt(input, context) {
    await dryRunIgnoringCiphertext(context, input, [input.KeyId]);
    if (!input.CiphertextBlob) throw new AwsError('ValidationException', 'CiphertextBlob is required.');
    const decrypted = await decryptBlob(context, input.CiphertextBlob, input.KeyId, input.EncryptionAlgorithm, input.EncryptionContext);
    const secret = secretFor(context, input.Recipient, 'Plaintext', decrypted.plaintext);
    dryRun(input);
    used(context, decrypted.record, 'Decrypt');
    return {
      KeyId: decrypted.record.arn,
      ...secret,
      EncryptionAlgorithm: decrypted.algorithm,
      ...(decrypted.materialId ? { KeyMaterialId: decrypted.materialId } : {}),
    };
  },

  async ReEncrypt(input, context) {
    await dryRunIgnoringCiphertext(context, input, [input.SourceKeyId, input.DestinationKeyId]);
    if (!input.CiphertextBlob) throw new AwsError('ValidationException', 'CiphertextBlob is required.');
    const source = await decryptBlob(context, input.CiphertextBlob, input.SourceKeyId, input.SourceEncryptionAlgorithm, input.SourceEncryptionContext);
    const destination = await usableKey(context, input.DestinationKeyId, 'ENCRYPT_DECRYPT', 'ReEncrypt');
    const algorithm = input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const blob = encryptWith(destination, algorithm, source.plaintext, input.DestinationEncryptionContext);
    dryRun(input);
    used(context, source.record, 'ReEncrypt');
    used(context, destination, 'ReEncrypt');
    return {
      CiphertextBlob: blob,
      SourceKeyId: source.record.arn,
      KeyId: destination.arn,
      SourceEncryptionAlgorithm: source.algorithm,
      DestinationEncryptionAlgorithm: algorithm,
      ...(source.materialId ? { SourceKeyMaterialId: source.materialId } : {}),
      ...(algorithm === 'SYMMETRIC_DEFAULT' ? { DestinationKeyMaterialId: destination.currentMaterialId } : {}),
    };
  },

  async GenerateDataKey(input, context) {
    const record = await usableKey(context, input.KeyId, 'ENCRYPT_DECRYPT', 'GenerateDataKey');
    const dataKey = generateDataKey(currentMaterial(record), record.arn, { keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes }, input.EncryptionContext);
    const secret = secretFor(context, input.Recipient, 'Plaintext', dataKey.plaintext);
    dryRun(input);
    used(context, record, 'GenerateDataKey');
    return { CiphertextBlob: dataKey.ciphertextBlob, ...secret, KeyId: record.arn, KeyMaterialId: record.currentMaterialId };
  },

  async GenerateDataKeyWithoutPlaintext(input, context) {
    const record = await usableKey(context, input.KeyId, 'ENCRYPT_DECRYPT', 'GenerateDataKeyWithoutPlaintext');
    const dataKey = generateDataKey(currentMaterial(record), record.arn, { keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes }, input.EncryptionContext);
    dryRun(input);
    used(context, record, 'GenerateDataKeyWithoutPlaintext');
    return { CiphertextBlob: dataKey.ciphertextBlob, KeyId: record.arn, KeyMaterialId: record.currentMaterialId };
  },

  async GenerateDataKeyPair(input, context) {
    const record = await usableKey(context, input.KeyId, 'ENCRYPT_DECRYPT', 'GenerateDataKeyPair');
    const pair = await generateDataKeyPair(currentMaterial(record), record.arn, input.KeyPairSpec, input.EncryptionContext);
    const secret = secretFor(context, input.Recipient, 'PrivateKeyPlaintext', pair.privateKeyPlaintext);
    dryRun(input);
    used(context, record, 'GenerateDataKeyPair');
    return {
      PrivateKeyCiphertextBlob: pair.privateKeyCiphertextBlob,
      ...secret,
      PublicKey: pair.publicKey,
      KeyId: record.arn,
      KeyPairSpec: input.KeyPairSpec,
      KeyMaterialId: record.currentMaterialId,
    };
  },

  async GenerateDataKeyPairWithoutPlaintext(input, context) {
    const record = await usableKey(context, input.KeyId, 'ENCRYPT_DECRYPT', 'GenerateDataKeyPairWithoutPlaintext');
    const pair = await generateDataKeyPair(currentMaterial(record), record.arn, input.KeyPairSpec, input.EncryptionContext);
    dryRun(input);
    used(context, record, 'GenerateDataKeyPairWithoutPlaintext');
    return {
      PrivateKeyCiphertextBlob: pair.privateKeyCiphertextBlob,
      PublicKey: pair.publicKey,
      KeyId: record.arn,
      KeyPairSpec: input.KeyPairSpec,
      KeyMaterialId: record.currentMaterialId,
    };
  },

  async GenerateRandom(input, context) {
    if (input.CustomKeyStoreId) throw new AwsError('UnsupportedOperationException', 'Custom key stores are not supported by Bulwark.');
    return secretFor(context, input.Recipient, 'Plaintext', generateRandom(input.NumberOfBytes ?? 32));
  },

  async Sign(input, context) {
    const record = await usableKey(context, input.KeyId, 'SIGN_VERIFY', 'Sign');
    const signature = sign(currentMaterial(record), input.SigningAlgorithm, input.Message, input.MessageType ?? 'RAW');
    dryRun(input);
    used(context, record, 'Sign');
    return { KeyId: record.arn, Signature: signature, SigningAlgorithm: input.SigningAlgorithm };
  },

  async Verify(input, context) {
    const record = await usableKey(context, input.KeyId, 'SIGN_VERIFY', 'Verify');
    const valid = verify(currentMaterial(record), input.SigningAlgorithm, input.Message, input.Signature, input.MessageType ?? 'RAW');
    dryRun(input);
    if (!valid) throw new AwsError('KMSInvalidSignatureException', 'The signature is not valid for this message, key and signing algorithm.');
    used(context, record, 'Verify');
    return { KeyId: record.arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
  },

  async GenerateMac(input, context) {
    const record = await usableKey(context, input.KeyId, 'GENERATE_VERIFY_MAC', 'GenerateMac');
    const mac = generateMac(currentMaterial(record), input.MacAlgorithm, input.Message);
    dryRun(input);
    used(context, record, 'GenerateMac');
    return { Mac: mac, MacAlgorithm: input.MacAlgorithm, KeyId: record.arn };
  },

  async VerifyMac(input, context) {
    const record = await usableKey(context, input.KeyId, 'GENERATE_VERIFY_MAC', 'VerifyMac');
    const valid = verifyMac(currentMaterial(record), input.MacAlgorithm, input.Message, input.Mac);
    dryRun(input);
    if (!valid) throw new AwsError('KMSInvalidMacException', 'The MAC is not valid for this message, key and MAC algorithm.');
    used(context, record, 'VerifyMac');
    return { KeyId: record.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
  },

  async GetPublicKey(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireEnabled(record);
    const spec = KEY_SPECS[record.keySpec];
    const usage = record.keyUsage;
    return {
      KeyId: record.arn,
      PublicKey: publicKeyDer(currentMaterial(record)),
      CustomerMasterKeySpec: record.keySpec as never,
      KeySpec: record.keySpec,
      KeyUsage: usage,
      ...(usage === 'ENCRYPT_DECRYPT' ? { EncryptionAlgorithms: [...spec.encryptionAlgorithms] } : {}),
      ...(usage === 'SIGN_VERIFY' ? { SigningAlgorithms: [...spec.signingAlgorithms] } : {}),
      ...(usage === 'KEY_AGREEMENT' ? { KeyAgreementAlgorithms: [...spec.keyAgreementAlgorithms] } : {}),
    };
  },

  async DeriveSharedSecret(input, context) {
    const record = await usableKey(context, input.KeyId, 'KEY_AGREEMENT', 'DeriveSharedSecret');
    const secret = secretFor(context, input.Recipient, 'SharedSecret', deriveSharedSecret(currentMaterial(record), input.KeyAgreementAlgorithm, input.PublicKey));
    dryRun(input);
    used(context, record, 'DeriveSharedSecret');
    return { KeyId: record.arn, ...secret, KeyAgreementAlgorithm: input.KeyAgreementAlgorithm, KeyOrigin: record.origin };
  },
};

