// KMS key references as they appear in ciphertext blobs: a key ARN or a bare key id.
// Multi-Region keys (ids starting "mrk-") share id and material across Regions, so a
// ciphertext made by a primary in one Region names a key its replica in another
// Region answers to: KMS matches them by account and key id, not Region.

export interface KeyRef {
  partition: string | undefined;
  region: string | undefined;
  account: string | undefined;
  keyId: string;
}

const KEY_ARN = /^arn:([^:]+):kms:([^:]*):(\d{12}):key\/(.+)$/;

export function parseKeyRef(ref: string): KeyRef {
  const arn = KEY_ARN.exec(ref);
  if (!arn) return { partition: undefined, region: undefined, account: undefined, keyId: ref };
  return { partition: arn[1], region: arn[2], account: arn[3], keyId: arn[4] };
}

export function isMultiRegionKeyId(keyId: string): boolean {
  return keyId.startsWith('mrk-');
}

/**
 * Whether two references name the same KMS key. A bare id matches any ARN with that
 * id; two ARNs must agree on partition and account, and on Region unless the key is
 * multi-Region.
 */
export function isSameKmsKey(a: string, b: string): boolean {
  if (a === b) return true;
  const left = parseKeyRef(a);
  const right = parseKeyRef(b);
  if (left.keyId !== right.keyId) return false;
  if (left.account === undefined || right.account === undefined) return true;
  return left.partition === right.partition
    && left.account === right.account
    && (left.region === right.region || isMultiRegionKeyId(left.keyId));
}
