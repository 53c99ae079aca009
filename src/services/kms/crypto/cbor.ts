// Decoding the CBOR (RFC 8949) of Nitro attestation documents: definite-length items
// (what the Nitro Security Module emits), maps with integer keys (PCR indexes, COSE
// headers) and any tag (COSE_Sign1 is tag 18), which the wire protocol's decoder
// (src/protocol/cbor.ts, text keys and tag 1 only) rightly refuses. Strict: truncated
// input, trailing bytes, indefinite lengths, floats and deep nesting are errors.
import { kmsError } from './errors.ts';

export type CborValue = number | bigint | string | Buffer | boolean | null | undefined | CborValue[] | Map<CborValue, CborValue> | CborTagged;

export interface CborTagged {
  tag: number;
  value: CborValue;
}

const MAX_DEPTH = 16;

function malformed(): Error {
  return kmsError('ValidationException', 'The attestation document is not valid CBOR.');
}

class Reader {
  offset = 0;
  readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  take(length: number): Buffer {
    if (length > this.bytes.length - this.offset) throw malformed();
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** The argument of a head: small values inline, else 1, 2, 4 or 8 bytes. */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    if (info === 24) return this.take(1).readUInt8(0);
    if (info === 25) return this.take(2).readUInt16BE(0);
    if (info === 26) return this.take(4).readUInt32BE(0);
    if (info === 27) {
      const value = this.take(8).readBigUInt64BE(0);
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    }
    throw malformed(); // reserved, or an indefinite length
  }

  length(info: number): number {
    const length = this.argument(info);
    if (typeof length !== 'number') throw malformed();
    return length;
  }

  item(depth: number): CborValue {
    if (depth > MAX_DEPTH) throw malformed();
    const head = this.take(1).readUInt8(0);
    const [major, info] = [head >> 5, head & 0x1f];
    switch (major) {
      case 0: return this.argument(info);
      case 1: {
        const n = this.argument(info);
        return typeof n === 'bigint' ? -1n - n : -1 - n;
      }
      case 2: return Buffer.from(this.take(this.length(info)));
      case 3: return this.take(this.length(info)).toString('utf8');
      case 4: return Array.from({ length: this.length(info) }, () => this.item(depth + 1));
      case 5: {
        const map = new Map<CborValue, CborValue>();
        for (let i = this.length(info); i > 0; i--) map.set(this.item(depth + 1), this.item(depth + 1));
        return map;
      }
      case 6: return { tag: this.length(info), value: this.item(depth + 1) };
      default: return this.simple(info);
    }
  }

  /** false, true, null, undefined; attestation documents have no floats. */
  simple(info: number): CborValue {
    switch (info) {
      case 20: return false;
      case 21: return true;
      case 22: return null;
      case 23: return undefined;
      default: throw malformed();
    }
  }
}

/** Decodes exactly one CBOR item. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const reader = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const value = reader.item(0);
  if (reader.offset !== reader.bytes.length) throw malformed();
  return value;
}
