// Access key ids that name their account, as AWS's do: after the four-letter prefix,
// the 16 base32 characters carry 10 bytes whose first 48 bits hold the account id
// shifted left by 7 (AWS's documented GetAccessKeyInfo lets anyone read it back).
import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCOUNT_BITS_MASK = 0x7fffffffff80n;

function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) return undefined;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Uint8Array.from(bytes);
}

/** A new access key id (prefix + 16 characters) that encodes the account. */
export function accessKeyIdFor(prefix: string, accountId: string): string {
  const bytes = randomBytes(10);
  const head = (BigInt(accountId) << 7n) | BigInt(bytes[5]! & 0x7f);
  for (let i = 5; i >= 0; i--) bytes[5 - i] = Number((head >> BigInt(i * 8)) & 0xffn);
  return prefix + base32Encode(bytes);
}

/** The account an access key id encodes, or undefined when it cannot be read. */
export function accountOfAccessKeyId(accessKeyId: string): string | undefined {
  if (accessKeyId.length < 20) return undefined;
  const bytes = base32Decode(accessKeyId.slice(4, 20));
  if (!bytes || bytes.length < 6) return undefined;
  let head = 0n;
  for (let i = 0; i < 6; i++) head = (head << 8n) | BigInt(bytes[i]!);
  return String((head & ACCOUNT_BITS_MASK) >> 7n).padStart(12, '0');
}
