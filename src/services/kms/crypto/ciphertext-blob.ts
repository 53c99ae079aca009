// The self-describing ciphertext blob of symmetric encryption. Layout (version 1):
//
//   1 byte    format version (0x01)
//   2 bytes   length of the key reference, then the key reference (UTF-8, ARN or id)
//   1 byte    length of the material id, then the material id (ASCII hex)
//  12 bytes   AES-GCM IV
//  16 bytes   AES-GCM tag
//   rest      ciphertext
//
// Everything before the IV (the header) is authenticated as part of the AAD, so no
// byte of a blob can change without decryption failing.

import { kmsError } from './errors.ts';

export const BLOB_VERSION = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export interface CiphertextBlobParts {
  /** The key reference the blob was made under (ARN or key id). */
  keyId: string;
  /** The material version that encrypted it. */
  materialId: string;
  header: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function encodeBlobHeader(keyId: string, materialId: string): Buffer {
  const keyBytes = Buffer.from(keyId, 'utf8');
  const materialBytes = Buffer.from(materialId, 'ascii');
  if (keyBytes.length === 0 || keyBytes.length > 0xffff) throw new Error('Key reference must be 1-65535 bytes.');
  if (materialBytes.length === 0 || materialBytes.length > 0xff) throw new Error('Material id must be 1-255 bytes.');
  const header = Buffer.allocUnsafe(1 + 2 + keyBytes.length + 1 + materialBytes.length);
  let offset = header.writeUInt8(BLOB_VERSION, 0);
  offset = header.writeUInt16BE(keyBytes.length, offset);
  offset += keyBytes.copy(header, offset);
  offset = header.writeUInt8(materialBytes.length, offset);
  materialBytes.copy(header, offset);
  return header;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function invalidCiphertext(): Error {
  return kmsError('InvalidCiphertextException', 'The ciphertext is invalid or was not produced by a KMS symmetric encryption key.');
}

/** Splits a blob into its parts; InvalidCiphertextException when it is not one of ours. */
export function decodeCiphertextBlob(blob: Uint8Array): CiphertextBlobParts {
  const bytes = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 4 || bytes[0] !== BLOB_VERSION) throw invalidCiphertext();
  const keyLength = bytes.readUInt16BE(1);
  const keyStart = 3;
  const materialLengthAt = keyStart + keyLength;
  if (keyLength === 0 || materialLengthAt >= bytes.length) throw invalidCiphertext();
  const materialLength = bytes[materialLengthAt];
  const materialStart = materialLengthAt + 1;
  const ivStart = materialStart + materialLength;
  const ciphertextStart = ivStart + IV_BYTES + TAG_BYTES;
  if (materialLength === 0 || ciphertextStart >= bytes.length) throw invalidCiphertext();
  try {
    return {
      keyId: STRICT_UTF8.decode(bytes.subarray(keyStart, materialLengthAt)),
      materialId: bytes.toString('latin1', materialStart, ivStart),
      header: bytes.subarray(0, ivStart),
      iv: bytes.subarray(ivStart, ivStart + IV_BYTES),
      tag: bytes.subarray(ivStart + IV_BYTES, ciphertextStart),
      ciphertext: bytes.subarray(ciphertextStart),
    };
  } catch {
    throw invalidCiphertext();
  }
}

/** Which key and material version made a blob, without decrypting it. */
export function parseCiphertextBlob(blob: Uint8Array): { keyId: string; materialId: string } {
  const { keyId, materialId } = decodeCiphertextBlob(blob);
  return { keyId, materialId };
}
