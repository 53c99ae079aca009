// The cryptographic core of Bulwark's KMS: pure functions over key material, no
// store and no HTTP. Operation handlers load material from the store, call these, and
// rethrow a KmsCryptoError as the AWS error its `kmsCode` names.

export { KmsCryptoError, type KmsErrorCode } from './errors.ts';
export * from './specs.ts';
export {
  canonicalPrivateKeyDer, fromStoredKeyMaterial, generateKeyMaterial, isSameKeyMaterial, isSecretKeySpec,
  newMaterialId, publicKeyDer, supportedShape, toStoredKeyMaterial,
  type KeyMaterial, type StoredKeyMaterial,
} from './key-material.ts';
export { encodeEncryptionContext, validateEncryptionContext, type EncryptionContext } from './encryption-context.ts';
export { parseCiphertextBlob } from './ciphertext-blob.ts';
export { isMultiRegionKeyId, isSameKmsKey, parseKeyRef, type KeyRef } from './key-ref.ts';
export { decrypt, decryptWithMaterial, encrypt, type DecryptOptions, type DecryptResult, type ResolveKeyMaterial } from './symmetric.ts';
export { maxRsaPlaintextBytes, rsaDecrypt, rsaEncrypt } from './asymmetric-encryption.ts';
export { sign, verify } from './signing.ts';
export { generateMac, verifyMac } from './mac.ts';
export { deriveSharedSecret } from './key-agreement.ts';
export {
  dataKeyLength, generateDataKey, generateDataKeyPair, generateRandom,
  type DataKey, type DataKeyPair, type DataKeySize,
} from './data-keys.ts';
export {
  checkWrappingChoice, createImportParameters, importedMaterialId, requireSameImportedMaterial, unwrapImportedKeyMaterial,
  type ImportParameters, type ImportParametersRequest, type UnwrapRequest,
} from './import.ts';
