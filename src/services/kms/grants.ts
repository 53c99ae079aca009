// Grants: a grant lets its grantee principal use a key for the grant's operations,
// within its encryption context constraints. Bulwark enforces a grant by adding, to
// the key policy the authorizer evaluates, a statement equivalent to it (see
// access.ts): so grants and the key policy are decided together, by the policy engine.
import { randomBytes } from 'node:crypto';
import type { Documents } from '../../store/store.ts';
import type { GrantOperation } from '../../protocol/types/kms.ts';
import { grantKey, grantPrefix, KMS_COLLECTIONS, type GrantRecord, type KeyRecord } from './records.ts';

/** Which grant operations a key of each usage accepts (CreateGrant rejects others). */
export const GRANT_OPERATIONS_BY_USAGE: Readonly<Record<string, readonly GrantOperation[]>> = {
  ENCRYPT_DECRYPT: [
    'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
    'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey',
  ],
  SIGN_VERIFY: ['Sign', 'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac', 'CreateGrant', 'RetireGrant', 'DescribeKey'],
  KEY_AGREEMENT: ['DeriveSharedSecret', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey'],
};

/** Encryption context constraints apply only to operations that take an encryption context. */
export const CONTEXT_OPERATIONS: ReadonlySet<GrantOperation> = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'CreateGrant', 'RetireGrant',
]);

/**
 * A grant token names where its grant lives, followed by random bytes: so RetireGrant
 * with only a token finds the grant, and a token cannot be guessed from a grant id.
 */
export function newGrantToken(record: KeyRecord, grantId: string): string {
  const where = Buffer.from(`${record.accountId}/${record.region}/${record.keyId}/${grantId}`, 'utf8').toString('base64url');
  return `${where}.${randomBytes(24).toString('base64url')}`;
}

export async function grantByToken(store: Documents, token: string): Promise<GrantRecord | undefined> {
  const [where] = token.split('.');
  const parts = Buffer.from(where ?? '', 'base64url').toString('utf8').split('/');
  if (parts.length !== 4) return undefined;
  const [accountId, region, keyId, grantId] = parts as [string, string, string, string];
  const grant = await store.get<GrantRecord>(KMS_COLLECTIONS.grants, grantKey(accountId, region, keyId, grantId));
  return grant && grant.grantToken === token ? grant : undefined;
}

export async function grantsOfKey(store: Documents, record: KeyRecord): Promise<GrantRecord[]> {
  const page = await store.list<GrantRecord>(KMS_COLLECTIONS.grants, { prefix: grantPrefix(record.accountId, record.region, record.keyId) });
  return page.items.map((entry) => entry.value);
}

/**
 * The key policy statement equivalent to a grant for one operation: the grantee may
 * call it, with EncryptionContextSubset as StringEquals on each pair, and
 * EncryptionContextEquals additionally forbidding any other key.
 */
export function grantStatement(grant: GrantRecord, action: string): Record<string, unknown> {
  const condition: Record<string, Record<string, unknown>> = {};
  const constraints = grant.constraints ?? {};
  const pairs = constraints.EncryptionContextEquals ?? constraints.EncryptionContextSubset;
  if (pairs && Object.keys(pairs).length > 0) {
    condition.StringEquals = Object.fromEntries(Object.entries(pairs).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]));
  }
  if (constraints.EncryptionContextEquals) {
    condition['ForAllValues:StringEquals'] = { 'kms:EncryptionContextKeys': Object.keys(constraints.EncryptionContextEquals) };
  }
  return {
    Sid: `grant-${grant.grantId}`,
    Effect: 'Allow',
    Principal: { AWS: grant.granteePrincipal },
    Action: action,
    Resource: '*',
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}
