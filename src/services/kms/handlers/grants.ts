// CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant.
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { CONTEXT_OPERATIONS, GRANT_OPERATIONS_BY_USAGE, grantByToken, grantsOfKey, newGrantToken } from '../grants.ts';
import { recountGrants, requireEnabled, requireKey } from '../keys.ts';
import type { GrantListEntry, Operations } from '../../../protocol/types/kms.ts';
import { checkGrantQuota } from '../quotas.ts';
import { grantKey, grantPrefix, KMS_COLLECTIONS, newGrantId, regionPrefix, type GrantRecord, type KeyRecord } from '../records.ts';
import { pageOf } from './paging.ts';

function listEntry(grant: GrantRecord): GrantListEntry {
  return {
    KeyId: grant.keyArn,
    GrantId: grant.grantId,
    ...(grant.name ? { Name: grant.name } : {}),
    CreationDate: new Date(grant.createdAt),
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal ? { RetiringPrincipal: grant.retiringPrincipal } : {}),
    IssuingAccount: `arn:aws:iam::${grant.issuingAccount}:root`,
    Operations: grant.operations,
    ...(grant.constraints ? { Constraints: grant.constraints } : {}),
  };
}

function grantNotFound(grantId: string): AwsError {
  return new AwsError('NotFoundException', `Grant ID ${grantId} not found`);
}

async function deleteGrant(context: RequestContext, grant: GrantRecord): Promise<void> {
  const [accountId, region] = [grant.keyArn.split(':')[4]!, grant.keyArn.split(':')[3]!];
  await context.store.transaction(async (tx) => {
    await tx.delete(KMS_COLLECTIONS.grants, grantKey(accountId, region, grant.keyId, grant.grantId));
    await recountGrants(tx, { accountId, region, keyId: grant.keyId });
  });
}

function checkOperations(record: KeyRecord, grant: Pick<GrantRecord, 'operations' | 'constraints'>): void {
  const allowed = GRANT_OPERATIONS_BY_USAGE[record.keyUsage] ?? [];
  const invalid = grant.operations.filter((op) => !allowed.includes(op));
  if (invalid.length > 0) {
    throw new AwsError('ValidationException', `Grant operations ${invalid.join(', ')} are not valid for a key with KeyUsage ${record.keyUsage}.`);
  }
  const { constraints } = grant;
  if (constraints?.EncryptionContextEquals && constraints.EncryptionContextSubset) {
    throw new AwsError('ValidationException', 'A grant can have EncryptionContextEquals or EncryptionContextSubset, not both.');
  }
  if (constraints && (constraints.EncryptionContextEquals || constraints.EncryptionContextSubset)
    && !grant.operations.every((op) => CONTEXT_OPERATIONS.has(op))) {
    throw new AwsError('ValidationException', 'Encryption context grant constraints are allowed only with operations that take an encryption context.');
  }
}

function sameGrant(a: GrantRecord, b: Omit<GrantRecord, 'grantId' | 'createdAt' | 'grantToken'>): boolean {
  return a.name === b.name && a.granteePrincipal === b.granteePrincipal && a.retiringPrincipal === b.retiringPrincipal
    && JSON.stringify([...a.operations].sort()) === JSON.stringify([...b.operations].sort())
    && JSON.stringify(a.constraints ?? null) === JSON.stringify(b.constraints ?? null);
}

export const grantHandlers: Handlers<Operations> = {
  async CreateGrant(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireEnabled(record);
    const fields = {
      keyId: record.keyId,
      keyArn: record.arn,
      ...(input.Name ? { name: input.Name } : {}),
      granteePrincipal: input.GranteePrincipal,
      ...(input.RetiringPrincipal ? { retiringPrincipal: input.RetiringPrincipal } : {}),
      issuingAccount: context.principal.accountId,
      operations: [...new Set(input.Operations)],
      ...(input.Constraints ? { constraints: input.Constraints } : {}),
    };
    checkOperations(record, fields);
    if (input.DryRun) throw new AwsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
    // A named grant created again with the same parameters is the same grant (idempotent retries).
    if (input.Name) {
      const existing = (await grantsOfKey(context.store, record)).find((grant) => sameGrant(grant, fields));
      if (existing) return { GrantId: existing.grantId, GrantToken: existing.grantToken };
    }
    const grantId = newGrantId();
    const grant: GrantRecord = { ...fields, grantId, createdAt: context.now.toISOString(), grantToken: newGrantToken(record, grantId) };
    await context.store.transaction(async (tx) => {
      await checkGrantQuota(tx, grantPrefix(record.accountId, record.region, record.keyId), record);
      await tx.put(KMS_COLLECTIONS.grants, grantKey(record.accountId, record.region, record.keyId, grantId), grant);
      await recountGrants(tx, record);
    });
    return { GrantId: grantId, GrantToken: grant.grantToken };
  },

  async ListGrants(input, context) {
    const record = await requireKey(context, input.KeyId);
    const grants = (await grantsOfKey(context.store, record))
      .filter((grant) => input.GrantId === undefined || grant.grantId === input.GrantId)
      .filter((grant) => input.GranteePrincipal === undefined || grant.granteePrincipal === input.GranteePrincipal);
    const start = input.Marker ? Number.parseInt(input.Marker, 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidMarkerException', 'The marker that specifies where pagination should next begin is not valid.');
    const limit = input.Limit ?? 50;
    const truncated = start + limit < grants.length;
    return { Grants: grants.slice(start, start + limit).map(listEntry), Truncated: truncated, ...(truncated ? { NextMarker: String(start + limit) } : {}) };
  },

  async ListRetirableGrants(input, context) {
    const prefix = regionPrefix(context.principal.accountId, context.region);
    const page = await pageOf<GrantRecord, GrantListEntry>(context, KMS_COLLECTIONS.grants, prefix, input, (grant) => (
      grant.retiringPrincipal === input.RetiringPrincipal ? listEntry(grant) : undefined
    ), 50);
    return { Grants: page.items, Truncated: page.truncated, ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}) };
  },

  async RetireGrant(input, context) {
    let grant: GrantRecord | undefined;
    if (input.GrantToken) {
      grant = await grantByToken(context.store, input.GrantToken);
      if (!grant) throw new AwsError('InvalidGrantTokenException', 'The grant token is not valid.');
    } else {
      if (!input.KeyId || !input.GrantId) throw new AwsError('ValidationException', 'Either GrantToken, or both KeyId and GrantId, must be specified.');
      const record = await requireKey(context, input.KeyId);
      grant = (await grantsOfKey(context.store, record)).find((g) => g.grantId === input.GrantId);
      if (!grant) throw grantNotFound(input.GrantId);
    }
    if (input.DryRun) throw new AwsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
    await deleteGrant(context, grant);
  },

  async RevokeGrant(input, context) {
    const record = await requireKey(context, input.KeyId);
    const grant = (await grantsOfKey(context.store, record)).find((g) => g.grantId === input.GrantId);
    if (!grant) throw new AwsError('InvalidGrantIdException', `Grant ID ${input.GrantId} not found`);
    if (input.DryRun) throw new AwsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
    await deleteGrant(context, grant);
  },
};
