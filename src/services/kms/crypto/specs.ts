// AWS KMS key specs, algorithms and limits as data (KMS Developer Guide, "Key spec
// reference", and the KMS API reference). Code elsewhere reads these tables rather
// than branching on names.

export type KeySpec =
  | 'SYMMETRIC_DEFAULT'
  | 'RSA_2048' | 'RSA_3072' | 'RSA_4096'
  | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1'
  | 'ECC_NIST_EDWARDS25519'
  | 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512'
  | 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87'
  | 'SM2';

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';

export type EncryptionAlgorithm = 'SYMMETRIC_DEFAULT' | 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'SM2PKE';

export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256' | 'RSASSA_PSS_SHA_384' | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_384' | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256' | 'ECDSA_SHA_384' | 'ECDSA_SHA_512'
  | 'ED25519_SHA_512' | 'ED25519_PH_SHA_512'
  | 'ML_DSA_SHAKE_256'
  | 'SM2DSA';

export type MacAlgorithm = 'HMAC_SHA_224' | 'HMAC_SHA_256' | 'HMAC_SHA_384' | 'HMAC_SHA_512';

export type KeyAgreementAlgorithm = 'ECDH';

export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

export type DataKeySpec = 'AES_128' | 'AES_256';

export type DataKeyPairSpec =
  | 'RSA_2048' | 'RSA_3072' | 'RSA_4096'
  | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1'
  | 'ECC_NIST_EDWARDS25519'
  | 'SM2';

export const DATA_KEY_PAIR_SPECS: readonly DataKeyPairSpec[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096',
  'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'SM2',
];

export type WrappingKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'SM2';

export type WrappingAlgorithm =
  | 'RSAES_PKCS1_V1_5'
  | 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256'
  | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256'
  | 'SM2PKE';

/** How a key spec's material is generated and held by node:crypto. */
export type MaterialShape =
  | { kind: 'secret'; generatedBytes: number }
  | { kind: 'rsa'; modulusBits: number }
  | { kind: 'ec'; namedCurve: string }
  | { kind: 'ed25519' }
  | { kind: 'ml-dsa'; nodeType: 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87' }
  | { kind: 'unsupported'; reason: string };

export interface KeySpecInfo {
  shape: MaterialShape;
  keyUsages: readonly KeyUsage[];
  encryptionAlgorithms: readonly EncryptionAlgorithm[];
  signingAlgorithms: readonly SigningAlgorithm[];
  macAlgorithms: readonly MacAlgorithm[];
  keyAgreementAlgorithms: readonly KeyAgreementAlgorithm[];
}

const RSA_ENCRYPTION: readonly EncryptionAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const RSA_SIGNING: readonly SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
];
const SM2_UNSUPPORTED = 'SM2 (China Regions only) needs SM3/SM2PKE, which Bulwark does not implement';

function spec(shape: MaterialShape, keyUsages: readonly KeyUsage[], algorithms: Partial<Omit<KeySpecInfo, 'shape' | 'keyUsages'>> = {}): KeySpecInfo {
  return {
    shape,
    keyUsages,
    encryptionAlgorithms: algorithms.encryptionAlgorithms ?? [],
    signingAlgorithms: algorithms.signingAlgorithms ?? [],
    macAlgorithms: algorithms.macAlgorithms ?? [],
    keyAgreementAlgorithms: algorithms.keyAgreementAlgorithms ?? [],
  };
}

function rsa(modulusBits: number): KeySpecInfo {
  return spec({ kind: 'rsa', modulusBits }, ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], {
    encryptionAlgorithms: RSA_ENCRYPTION,
    signingAlgorithms: RSA_SIGNING,
  });
}

function nistCurve(namedCurve: string, signing: SigningAlgorithm): KeySpecInfo {
  return spec({ kind: 'ec', namedCurve }, ['SIGN_VERIFY', 'KEY_AGREEMENT'], {
    signingAlgorithms: [signing],
    keyAgreementAlgorithms: ['ECDH'],
  });
}

function hmac(bits: number, mac: MacAlgorithm): KeySpecInfo {
  return spec({ kind: 'secret', generatedBytes: bits / 8 }, ['GENERATE_VERIFY_MAC'], { macAlgorithms: [mac] });
}

function mlDsa(nodeType: 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87'): KeySpecInfo {
  return spec({ kind: 'ml-dsa', nodeType }, ['SIGN_VERIFY'], { signingAlgorithms: ['ML_DSA_SHAKE_256'] });
}

export const KEY_SPECS: Readonly<Record<KeySpec, KeySpecInfo>> = {
  SYMMETRIC_DEFAULT: spec({ kind: 'secret', generatedBytes: 32 }, ['ENCRYPT_DECRYPT'], { encryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }),
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  ECC_NIST_P256: nistCurve('prime256v1', 'ECDSA_SHA_256'),
  ECC_NIST_P384: nistCurve('secp384r1', 'ECDSA_SHA_384'),
  ECC_NIST_P521: nistCurve('secp521r1', 'ECDSA_SHA_512'),
  ECC_SECG_P256K1: spec({ kind: 'ec', namedCurve: 'secp256k1' }, ['SIGN_VERIFY'], { signingAlgorithms: ['ECDSA_SHA_256'] }),
  ECC_NIST_EDWARDS25519: spec({ kind: 'ed25519' }, ['SIGN_VERIFY'], { signingAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }),
  HMAC_224: hmac(224, 'HMAC_SHA_224'),
  HMAC_256: hmac(256, 'HMAC_SHA_256'),
  HMAC_384: hmac(384, 'HMAC_SHA_384'),
  HMAC_512: hmac(512, 'HMAC_SHA_512'),
  ML_DSA_44: mlDsa('ml-dsa-44'),
  ML_DSA_65: mlDsa('ml-dsa-65'),
  ML_DSA_87: mlDsa('ml-dsa-87'),
  SM2: spec({ kind: 'unsupported', reason: SM2_UNSUPPORTED }, ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'], {
    encryptionAlgorithms: ['SM2PKE'],
    signingAlgorithms: ['SM2DSA'],
    keyAgreementAlgorithms: ['ECDH'],
  }),
};

export const KEY_SPEC_NAMES = Object.keys(KEY_SPECS) as KeySpec[];

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export const HASH_BYTES: Readonly<Record<HashName, number>> = {
  sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64,
};

/**
 * How each signing algorithm signs. `hash` is what RAW messages are hashed with and
 * what a DIGEST message's length must match; `messageTypes` lists what KMS accepts.
 */
export type SigningScheme = 'rsa-pss' | 'rsa-pkcs1' | 'ecdsa' | 'ed25519' | 'ed25519ph' | 'ml-dsa' | 'sm2';

export interface SigningAlgorithmInfo {
  scheme: SigningScheme;
  hash: HashName | undefined;
  messageTypes: readonly MessageType[];
}

export const SIGNING_ALGORITHMS: Readonly<Record<SigningAlgorithm, SigningAlgorithmInfo>> = {
  RSASSA_PSS_SHA_256: { scheme: 'rsa-pss', hash: 'sha256', messageTypes: ['RAW', 'DIGEST'] },
  RSASSA_PSS_SHA_384: { scheme: 'rsa-pss', hash: 'sha384', messageTypes: ['RAW', 'DIGEST'] },
  RSASSA_PSS_SHA_512: { scheme: 'rsa-pss', hash: 'sha512', messageTypes: ['RAW', 'DIGEST'] },
  RSASSA_PKCS1_V1_5_SHA_256: { scheme: 'rsa-pkcs1', hash: 'sha256', messageTypes: ['RAW', 'DIGEST'] },
  RSASSA_PKCS1_V1_5_SHA_384: { scheme: 'rsa-pkcs1', hash: 'sha384', messageTypes: ['RAW', 'DIGEST'] },
  RSASSA_PKCS1_V1_5_SHA_512: { scheme: 'rsa-pkcs1', hash: 'sha512', messageTypes: ['RAW', 'DIGEST'] },
  ECDSA_SHA_256: { scheme: 'ecdsa', hash: 'sha256', messageTypes: ['RAW', 'DIGEST'] },
  ECDSA_SHA_384: { scheme: 'ecdsa', hash: 'sha384', messageTypes: ['RAW', 'DIGEST'] },
  ECDSA_SHA_512: { scheme: 'ecdsa', hash: 'sha512', messageTypes: ['RAW', 'DIGEST'] },
  // Pure Ed25519 hashes inside the algorithm, so KMS takes only RAW messages.
  ED25519_SHA_512: { scheme: 'ed25519', hash: undefined, messageTypes: ['RAW'] },
  ED25519_PH_SHA_512: { scheme: 'ed25519ph', hash: 'sha512', messageTypes: ['RAW', 'DIGEST'] },
  ML_DSA_SHAKE_256: { scheme: 'ml-dsa', hash: undefined, messageTypes: ['RAW', 'EXTERNAL_MU'] },
  SM2DSA: { scheme: 'sm2', hash: undefined, messageTypes: ['RAW', 'DIGEST'] },
};

export const MAC_ALGORITHMS: Readonly<Record<MacAlgorithm, { hash: HashName }>> = {
  HMAC_SHA_224: { hash: 'sha224' },
  HMAC_SHA_256: { hash: 'sha256' },
  HMAC_SHA_384: { hash: 'sha384' },
  HMAC_SHA_512: { hash: 'sha512' },
};

export const RSA_OAEP_HASH: Readonly<Record<'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256', HashName>> = {
  RSAES_OAEP_SHA_1: 'sha1',
  RSAES_OAEP_SHA_256: 'sha256',
};

/** Largest plaintext Encrypt takes per RSA key spec and algorithm (KMS Encrypt API reference). */
export const RSA_OAEP_MAX_PLAINTEXT_BYTES: Readonly<Record<'RSA_2048' | 'RSA_3072' | 'RSA_4096', Readonly<Record<'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256', number>>>> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
};

export const DATA_KEY_BYTES: Readonly<Record<DataKeySpec, number>> = { AES_128: 16, AES_256: 32 };

/**
 * Sizes of imported secret key material KMS accepts (Developer Guide, "Requirements
 * for imported key material"): symmetric keys are exactly 256 bits; HMAC keys range
 * from the digest length up to the hash's block size (or two for SHA-384/512).
 */
export const IMPORTED_SECRET_BYTES: Readonly<Partial<Record<KeySpec, { min: number; max: number }>>> = {
  SYMMETRIC_DEFAULT: { min: 32, max: 32 },
  HMAC_224: { min: 28, max: 64 },
  HMAC_256: { min: 32, max: 64 },
  HMAC_384: { min: 48, max: 128 },
  HMAC_512: { min: 64, max: 128 },
};

export const KMS_LIMITS = {
  /** Encrypt/GenerateMac/Sign message size (PlaintextType max). */
  maxPlaintextBytes: 4096,
  /** CiphertextBlob, Signature and ImportToken size (CiphertextType max). */
  maxCiphertextBytes: 6144,
  /** GenerateDataKey NumberOfBytes and GenerateRandom range. */
  minRandomBytes: 1,
  maxRandomBytes: 1024,
  /**
   * Total UTF-8 size of encryption context keys and values. Not in the service
   * model; 8,192 is the size KMS is generally reported to enforce.
   */
  maxEncryptionContextBytes: 8192,
  /** GetParametersForImport: the public key and import token are valid for 24 hours. */
  importTokenValidityMs: 24 * 60 * 60 * 1000,
  /** Largest message for ED25519_SHA_512 / ML-DSA RAW signing: the same 4 KiB. */
  maxSignMessageBytes: 4096,
  /** EXTERNAL_MU messages for ML-DSA are exactly 64 bytes (FIPS 204 mu). */
  externalMuBytes: 64,
} as const;

export const WRAPPING_KEY_BITS: Readonly<Record<'RSA_2048' | 'RSA_3072' | 'RSA_4096', number>> = {
  RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096,
};
