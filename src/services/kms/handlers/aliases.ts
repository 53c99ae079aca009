// Aliases: friendly names for keys, per account and Region. Names start with "alias/";
// "alias/aws/" is reserved for AWS managed keys (aws-managed.ts): callers cannot
// create, update or delete those.
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { locateKey, requireKey, requireNotPendingDeletion } from '../keys.ts';
import type { AliasListEntry, Operations } from '../../../protocol/types/kms.ts';
import { ensurePredefinedAliases, isAwsAlias } from '../aws-managed.ts';
import { checkAliasQuota } from '../quotas.ts';
import { aliasArn, aliasKey, KMS_COLLECTIONS, regionPrefix, type AliasRecord, type KeyRecord } from '../records.ts';
import { pageOf } from './paging.ts';

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;

function invalidAlias(message: string): AwsError {
  return new AwsError('InvalidAliasNameException', message);
}

/** AWS's naming rules for an alias a customer creates. */
export function checkAliasName(aliasName: string): void {
  if (!aliasName.startsWith('alias/')) {
    throw invalidAlias('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (isAwsAlias(aliasName)) throw reservedAlias('create');
  if (!ALIAS_NAME.test(aliasName)) {
    throw invalidAlias(`Alias ${aliasName} contains invalid characters: alias names may contain only alphanumeric characters, forward slashes (/), underscores (_) and dashes (-).`);
  }
}

/** The key an alias is to point at: named by key id or key ARN (not by another alias). */
async function aliasTarget(context: RequestContext, targetKeyId: string): Promise<KeyRecord> {
  if (targetKeyId.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:\d{12}:alias\//.test(targetKeyId)) {
    throw new AwsError('ValidationException', 'Aliases must refer to keys. Not aliases');
  }
  const record = await requireKey(context, targetKeyId);
  requireNotPendingDeletion(record);
  return record;
}

/** A predefined AWS alias whose key does not exist yet has no TargetKeyId (and no dates). */
function entry(context: RequestContext, alias: AliasRecord): AliasListEntry {
  return {
    AliasName: alias.aliasName,
    AliasArn: aliasArn(context.principal.accountId, context.region, alias.aliasName),
    ...(alias.targetKeyId ? { TargetKeyId: alias.targetKeyId } : {}),
    ...(alias.createdAt ? { CreationDate: new Date(alias.createdAt) } : {}),
    ...(alias.updatedAt ? { LastUpdatedDate: new Date(alias.updatedAt) } : {}),
  };
}

function reservedAlias(operation: 'create' | 'update' | 'delete'): AwsError {
  return new AwsError('NotAuthorizedException', `Cannot ${operation} alias with prefix 'alias/aws/'`);
}

export const aliasHandlers: Handlers<Operations> = {
  async CreateAlias(input, context) {
    checkAliasName(input.AliasName);
    const record = await aliasTarget(context, input.TargetKeyId);
    await checkAliasQuota(context.store, record);
    const now = context.now.toISOString();
    const alias: AliasRecord = { aliasName: input.AliasName, targetKeyId: record.keyId, createdAt: now, updatedAt: now };
    const key = aliasKey(context.principal.accountId, context.region, input.AliasName);
    if (!(await context.store.insert(KMS_COLLECTIONS.aliases, key, alias))) {
      throw new AwsError('AlreadyExistsException', `An alias with the name ${aliasArn(context.principal.accountId, context.region, input.AliasName)} already exists`);
    }
  },

  async UpdateAlias(input, context) {
    if (isAwsAlias(input.AliasName)) throw reservedAlias('update');
    const key = aliasKey(context.principal.accountId, context.region, input.AliasName);
    const alias = await context.store.get<AliasRecord>(KMS_COLLECTIONS.aliases, key);
    if (!alias) throw new AwsError('NotFoundException', `Alias ${aliasArn(context.principal.accountId, context.region, input.AliasName)} is not found.`);
    const record = await aliasTarget(context, input.TargetKeyId);
    const current = alias.targetKeyId ? await requireKey(context, alias.targetKeyId).catch(() => undefined) : undefined;
    if (current && (current.keyUsage !== record.keyUsage || current.keySpec !== record.keySpec)) {
      throw new AwsError('ValidationException', `The new target key ${record.arn} must have the same key spec and key usage as the current target key ${current.arn}.`);
    }
    if (record.keyId !== alias.targetKeyId) await checkAliasQuota(context.store, record);
    await context.store.put(KMS_COLLECTIONS.aliases, key, { ...alias, targetKeyId: record.keyId, updatedAt: context.now.toISOString() });
  },

  async DeleteAlias(input, context) {
    if (isAwsAlias(input.AliasName)) throw reservedAlias('delete');
    const key = aliasKey(context.principal.accountId, context.region, input.AliasName);
    if (!(await context.store.delete(KMS_COLLECTIONS.aliases, key))) {
      throw new AwsError('NotFoundException', `Alias ${aliasArn(context.principal.accountId, context.region, input.AliasName)} is not found.`);
    }
  },

  async ListAliases(input, context) {
    const filterKeyId = input.KeyId ? (await locateKey(context.store, context, input.KeyId)).keyId : undefined;
    if (input.KeyId) await requireKey(context, input.KeyId);
    await ensurePredefinedAliases(context.store, context.principal.accountId, context.region);
    const prefix = regionPrefix(context.principal.accountId, context.region);
    const page = await pageOf<AliasRecord, AliasListEntry>(context, KMS_COLLECTIONS.aliases, prefix, input, (alias) => (
      filterKeyId === undefined || alias.targetKeyId === filterKeyId ? entry(context, alias) : undefined
    ), 50);
    return { Aliases: page.items, Truncated: page.truncated, ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}) };
  },
};
