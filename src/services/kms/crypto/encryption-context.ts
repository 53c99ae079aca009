// The encryption context, bound to symmetric ciphertexts as AES-GCM additional
// authenticated data. The encoding is canonical (pairs sorted by the UTF-8 bytes of
// their keys) and unambiguous (every string length-prefixed), so {"a":"bc"} and
// {"ab":"c"} authenticate differently while pair order never matters.

import { kmsError } from './errors.ts';
import { KMS_LIMITS } from './specs.ts';

export type EncryptionContext = Readonly<Record<string, string>>;

interface EncodedPair {
  key: Buffer;
  value: Buffer;
}

/** Checks an encryption context against KMS's rules: string values, total size. */
export function validateEncryptionContext(context: EncryptionContext | undefined): void {
  encodePairs(context);
}

function encodePairs(context: EncryptionContext | undefined): EncodedPair[] {
  if (context === undefined || context === null) return [];
  if (typeof context !== 'object' || Array.isArray(context)) {
    throw kmsError('ValidationException', 'EncryptionContext must be a map of strings to strings.');
  }
  const pairs: EncodedPair[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(context)) {
    if (typeof value !== 'string') {
      throw kmsError('ValidationException', `EncryptionContext value for key "${key}" must be a string.`);
    }
    const pair = { key: Buffer.from(key, 'utf8'), value: Buffer.from(value, 'utf8') };
    size += pair.key.length + pair.value.length;
    pairs.push(pair);
  }
  if (size > KMS_LIMITS.maxEncryptionContextBytes) {
    throw kmsError('ValidationException', `EncryptionContext is too large: ${size} bytes exceeds the limit of ${KMS_LIMITS.maxEncryptionContextBytes}.`);
  }
  return pairs.sort((a, b) => Buffer.compare(a.key, b.key));
}

/**
 * The canonical bytes of an encryption context: pair count, then for each pair in
 * key order a 4-byte length and the key, a 4-byte length and the value. An absent
 * context and an empty one encode the same, as in KMS.
 */
export function encodeEncryptionContext(context: EncryptionContext | undefined): Buffer {
  const pairs = encodePairs(context);
  if (pairs.length === 0) return EMPTY_CONTEXT;
  const parts: Buffer[] = [uint32(pairs.length)];
  for (const { key, value } of pairs) parts.push(uint32(key.length), key, uint32(value.length), value);
  return Buffer.concat(parts);
}

const EMPTY_CONTEXT = Buffer.alloc(4);

function uint32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}
