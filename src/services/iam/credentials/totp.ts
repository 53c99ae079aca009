// One-time passwords for virtual MFA devices: Base32 (RFC 4648, the seed's form in
// authenticator apps), HOTP (RFC 4226) and TOTP (RFC 6238: 30-second steps, 6 digits,
// HMAC-SHA1 by default, as every authenticator app AWS supports computes them).
import { createHmac } from 'node:crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 Base32 without padding (how AWS and authenticator apps write seeds). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes Base32, ignoring case, spaces and '=' padding; throws on any other character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`not a Base32 character: ${char}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** HOTP (RFC 4226 section 5.3): HMAC of the 8-byte counter, dynamically truncated. */
export function hotp(secret: Uint8Array, counter: number, digits = 6, algorithm: OtpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export const TOTP_STEP_SECONDS = 30;

/** The TOTP time step (RFC 6238's T) of a moment. */
export function timeStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS);
}

/** The TOTP code of a moment. */
export function totp(secret: Uint8Array, at: Date, digits = 6, algorithm: OtpAlgorithm = 'sha1'): string {
  return hotp(secret, timeStep(at), digits, algorithm);
}

/**
 * The step of the first of two consecutive codes, searching steps from `center - window`
 * to `center + window`; undefined when no two consecutive steps give these codes.
 */
export function findConsecutiveCodes(secret: Uint8Array, code1: string, code2: string, center: number, window: number): number | undefined {
  for (let step = center - window; step <= center + window; step++) {
    if (hotp(secret, step) === code1 && hotp(secret, step + 1) === code2) return step;
  }
  return undefined;
}

/** The step whose code this is, searching `center ± window`; undefined when none. */
export function findCode(secret: Uint8Array, code: string, center: number, window: number): number | undefined {
  for (let step = center - window; step <= center + window; step++) {
    if (hotp(secret, step) === code) return step;
  }
  return undefined;
}
