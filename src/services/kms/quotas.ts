// The AWS KMS resource quotas Bulwark enforces (Developer Guide, "Resource quotas"),
// each per account and Region, with LimitExceededException past them. AWS managed keys
// and the aliases AWS creates do not count.
import { AwsError } from '../../protocol/errors.ts';
import type { Documents } from '../../store/store.ts';
import { isAwsAlias } from './aws-managed.ts';
import { KMS_COLLECTIONS, regionPrefix, type AliasRecord, type KeyRecord } from './records.ts';

export const KMS_QUOTAS = {
  /** Customer managed keys per account and Region, whatever their state. */
  keys: 100_000,
  aliasesPerKey: 50,
  grantsPerKey: 50_000,
  onDemandRotationsPerKey: 25,
} as const;

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message);
}

/** Before a customer managed key is created in an account and Region. */
export async function checkKeyQuota(store: Documents, accountId: string, region: string): Promise<void> {
  const prefix = regionPrefix(accountId, region);
  const total = await store.count(KMS_COLLECTIONS.keys, prefix);
  if (total < KMS_QUOTAS.keys) return;
  // Only near the quota is it worth telling AWS managed keys apart.
  const keys = await store.list<KeyRecord>(KMS_COLLECTIONS.keys, { prefix });
  const customerManaged = keys.items.filter((entry) => entry.value.keyManager !== 'AWS').length;
  if (customerManaged >= KMS_QUOTAS.keys) {
    throw limitExceeded(`The request was rejected because the account already has the maximum of ${KMS_QUOTAS.keys} KMS keys in ${region}.`);
  }
}

/** Before an alias is pointed at a key (CreateAlias, UpdateAlias). */
export async function checkAliasQuota(store: Documents, record: KeyRecord): Promise<void> {
  const aliases = await store.list<AliasRecord>(KMS_COLLECTIONS.aliases, { prefix: regionPrefix(record.accountId, record.region) });
  const onKey = aliases.items.filter((entry) => entry.value.targetKeyId === record.keyId && !isAwsAlias(entry.value.aliasName)).length;
  if (onKey >= KMS_QUOTAS.aliasesPerKey) {
    throw limitExceeded(`The request was rejected because ${record.arn} already has the maximum of ${KMS_QUOTAS.aliasesPerKey} aliases.`);
  }
}

/** Inside the transaction that adds a grant: the key's grants, counted where they are written. */
export async function checkGrantQuota(tx: Documents, grantPrefix: string, record: KeyRecord): Promise<void> {
  if ((await tx.count(KMS_COLLECTIONS.grants, grantPrefix)) >= KMS_QUOTAS.grantsPerKey) {
    throw limitExceeded(`The request was rejected because ${record.arn} already has the maximum of ${KMS_QUOTAS.grantsPerKey} grants.`);
  }
}
