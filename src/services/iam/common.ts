// Pieces every IAM area uses: unique ids and ARNs in AWS's formats, IAM's
// Marker/MaxItems pagination, and the common errors.
import { randomInt } from 'node:crypto';
import { AwsError } from '../../protocol/errors.ts';
import type { Page } from '../../store/store.ts';

/** AWS's prefixes for IAM unique ids (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html). */
export const ID_PREFIX = {
  user: 'AIDA',
  group: 'AGPA',
  role: 'AROA',
  policy: 'ANPA',
  instanceProfile: 'AIPA',
  serverCertificate: 'ASCA',
  accessKey: 'AKIA',
  temporaryAccessKey: 'ASIA',
  sshPublicKey: 'APKA',
  serviceSpecificCredential: 'ACCA',
} as const;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new unique id: the prefix and 17 characters (16 for access keys), as AWS issues them. */
export function newUniqueId(prefix: string, length = prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17): string {
  let id = prefix;
  for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function iamArn(accountId: string, resourceType: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${resourceType}${path}${name}`;
}

/** IAM's default page size and ceiling for MaxItems. */
export const DEFAULT_MAX_ITEMS = 100;

export interface IamPage<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/** Marker <-> store key: opaque to the client, as on AWS. */
export function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const key = Buffer.from(marker, 'base64url').toString('utf8');
  if (encodeMarker(key) !== marker) throw new AwsError('InvalidInputException', 'Invalid Marker.');
  return key;
}

/** Shapes a store page as IAM's IsTruncated/Marker. */
export function iamPage<T, R>(page: Page<T>, map: (value: T) => R): IamPage<R> {
  return {
    items: page.items.map((entry) => map(entry.value)),
    IsTruncated: page.next !== undefined,
    ...(page.next !== undefined ? { Marker: encodeMarker(page.next) } : {}),
  };
}

export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntityException', message);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('EntityAlreadyExistsException', message);
}

export function deleteConflict(message: string): AwsError {
  return new AwsError('DeleteConflictException', message);
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message);
}

export function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInputException', message);
}
