// CiphertextForRecipient: a CMS EnvelopedData (RFC 5652), DER-encoded, as KMS returns
// it to a Nitro enclave. The content is encrypted with a fresh AES-256-CBC key, and
// that key with RSAES-OAEP (SHA-256, MGF1 SHA-256; RFC 4055) under the public key of
// the attestation document; the recipient is named by that key's identifier (the
// SHA-1 of its public key bits). openssl cms -decrypt reads it.
import { constants, createCipheriv, createHash, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

// --- a small DER writer -------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);
const integer = (n: number) => tlv(0x02, Buffer.from([n]));
const octets = (bytes: Uint8Array) => tlv(0x04, Buffer.from(bytes));
const explicit = (n: number, item: Buffer) => tlv(0xa0 | n, item);
const implicitPrimitive = (n: number, bytes: Uint8Array) => tlv(0x80 | n, Buffer.from(bytes));

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const OID = {
  envelopedData: '1.2.840.113549.1.7.3',
  data: '1.2.840.113549.1.7.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  sha256: '2.16.840.1.101.3.4.2.1',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

// --- the structure ------------------------------------------------------------------

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits. */
function subjectKeyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }: the bit
  // string is the last element; its first content byte counts unused bits (0).
  const bitString = lastElement(spki);
  return createHash('sha1').update(bitString.subarray(1)).digest();
}

/** The content of the last element of a DER SEQUENCE. */
function lastElement(der: Buffer): Buffer {
  let offset = headerLength(der, 0);
  let last: Buffer = Buffer.alloc(0);
  while (offset < der.length) {
    const header = headerLength(der, offset);
    const size = contentLength(der, offset);
    last = der.subarray(offset + header, offset + header + size);
    offset += header + size;
  }
  return last;
}

function headerLength(der: Buffer, offset: number): number {
  const first = der[offset + 1]!;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function contentLength(der: Buffer, offset: number): number {
  const first = der[offset + 1]!;
  if (first < 0x80) return first;
  return der.subarray(offset + 2, offset + 2 + (first & 0x7f)).reduce((n, byte) => n * 256 + byte, 0);
}

const SHA256_ALGORITHM = sequence(oid(OID.sha256));

/** Encrypts `plaintext` for the holder of `recipientKey` (RSA) as CMS EnvelopedData. */
export function envelopeForRecipient(recipientKey: KeyObject, plaintext: Uint8Array): Buffer {
  const contentKey = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', contentKey, iv);
  const encryptedContent = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const encryptedKey = publicEncrypt({ key: recipientKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, contentKey);

  const oaepParameters = sequence(explicit(0, SHA256_ALGORITHM), explicit(1, sequence(oid(OID.mgf1), SHA256_ALGORITHM)));
  const recipientInfo = sequence(
    integer(2), // version 2: the recipient is named by subject key identifier
    implicitPrimitive(0, subjectKeyIdentifier(recipientKey)),
    sequence(oid(OID.rsaesOaep), oaepParameters),
    octets(encryptedKey),
  );
  const encryptedContentInfo = sequence(
    oid(OID.data),
    sequence(oid(OID.aes256Cbc), octets(iv)),
    implicitPrimitive(0, encryptedContent),
  );
  const envelopedData = sequence(integer(2), set(recipientInfo), encryptedContentInfo);
  return sequence(oid(OID.envelopedData), explicit(0, envelopedData));
}
