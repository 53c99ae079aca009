// Digest files: AWS's format for log file integrity validation. Each hour a trail with
// log file validation delivers, per region, a digest naming the log files delivered in
// that hour with the SHA-256 of each (uncompressed), chained to the previous digest by
// its hash and signature, and signed with the region's RSA key (SHA256withRSA) over
//
//   <digestEndTime>\n<digestS3Bucket>/<digestS3Object>\n<hex SHA-256 of this digest, uncompressed>\n<previousDigestSignature, or "null">
//
// AWS keeps the hex signature in the digest object's S3 metadata (x-amz-meta-signature,
// x-amz-meta-signature-algorithm). Bulwark's buckets are directories, so that metadata
// sits beside the object in `<digest>.json.gz.metadata.json`: {"signature": "...",
// "signature-algorithm": "SHA256withRSA"} (the user metadata as S3's HeadObject gives it).
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';
export const HASH_ALGORITHM = 'SHA-256';
export const METADATA_SUFFIX = '.metadata.json';

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string;
  oldestEventTime: string;
}

/** The previous digest, as the next one links to it. */
export interface DigestLink {
  bucket: string;
  object: string;
  hashValue: string;
  signature: string;
}

/** A digest file's content, members in AWS's order. */
export interface DigestDocument {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** The S3 user metadata of a digest object. */
export interface DigestMetadata {
  signature: string;
  'signature-algorithm': string;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface DigestInput {
  accountId: string;
  start: string;
  end: string;
  bucket: string;
  object: string;
  fingerprint: string;
  logFiles: DigestLogFile[];
  previous: DigestLink | undefined;
}

/** The digest document; event times span its log files' (null when it has none). */
export function digestDocument(input: DigestInput): DigestDocument {
  const newest = input.logFiles.map((f) => f.newestEventTime).sort().at(-1) ?? null;
  const oldest = input.logFiles.map((f) => f.oldestEventTime).sort()[0] ?? null;
  const previous = input.previous;
  return {
    awsAccountId: input.accountId,
    digestStartTime: input.start,
    digestEndTime: input.end,
    digestS3Bucket: input.bucket,
    digestS3Object: input.object,
    digestPublicKeyFingerprint: input.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: newest,
    oldestEventTime: oldest,
    previousDigestS3Bucket: previous?.bucket ?? null,
    previousDigestS3Object: previous?.object ?? null,
    previousDigestHashValue: previous?.hashValue ?? null,
    previousDigestHashAlgorithm: previous ? HASH_ALGORITHM : null,
    previousDigestSignature: previous?.signature ?? null,
    logFiles: input.logFiles,
  };
}

/** AWS's data-signing string of a digest, from its fields and its uncompressed bytes. */
export function stringToSign(digest: Pick<DigestDocument, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, body: Buffer | string): string {
  return [
    digest.digestEndTime,
    `${digest.digestS3Bucket}/${digest.digestS3Object}`,
    sha256Hex(body),
    digest.previousDigestSignature ?? 'null',
  ].join('\n');
}

export interface SignedDigest {
  document: DigestDocument;
  /** The uncompressed file content. */
  body: string;
  /** Hex SHA256withRSA signature: the object's `signature` metadata. */
  signature: string;
  hashValue: string;
}

export function signDigest(document: DigestDocument, privateKey: KeyObject): SignedDigest {
  const body = JSON.stringify(document);
  const signature = sign('sha256', Buffer.from(stringToSign(document, body)), privateKey).toString('hex');
  return { document, body, signature, hashValue: sha256Hex(body) };
}

/** Whether `signatureHex` is the signature of the digest whose uncompressed content is `body`. */
export function verifyDigest(document: DigestDocument, body: Buffer, signatureHex: string, publicKey: KeyObject): boolean {
  if (!/^([0-9a-f]{2})+$/i.test(signatureHex)) return false;
  return verify('sha256', Buffer.from(stringToSign(document, body)), publicKey, Buffer.from(signatureHex, 'hex'));
}
