// The one error type of the KMS crypto core. `kmsCode` names the AWS KMS error the
// operation handler should answer with (a modelled KMS error shape or a common code).

export type KmsErrorCode =
  | 'ValidationException'
  | 'InvalidCiphertextException'
  | 'IncorrectKeyException'
  | 'InvalidKeyUsageException'
  | 'KMSInvalidSignatureException'
  | 'KMSInvalidMacException'
  | 'UnsupportedOperationException'
  | 'InvalidImportTokenException'
  | 'ExpiredImportTokenException'
  | 'IncorrectKeyMaterialException';

export class KmsCryptoError extends Error {
  readonly kmsCode: KmsErrorCode;

  constructor(kmsCode: KmsErrorCode, message: string) {
    super(message);
    this.name = 'KmsCryptoError';
    this.kmsCode = kmsCode;
  }
}

export function kmsError(kmsCode: KmsErrorCode, message: string): KmsCryptoError {
  return new KmsCryptoError(kmsCode, message);
}
