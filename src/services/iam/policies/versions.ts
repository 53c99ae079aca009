// Policy versions: CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions,
// DeletePolicyVersion, SetDefaultPolicyVersion. A customer managed policy keeps at
// most 5 versions; version ids are never reused (v1, v2, ... counting every version
// ever created). AWS managed policies' versions come from the catalog, read-only.
import { loadManagedPolicies } from '../../../policy/managed-policies.ts';
import type { Operations, PolicyVersion } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { deleteConflict, limitExceeded, noSuchEntity } from '../common.ts';
import { COLLECTIONS, type ManagedPolicyRecord, type PolicyVersionRecord } from '../records.ts';
import { awsVersionShape, versionShape } from './shapes.ts';
import {
  assertValidIdentityPolicy,
  MESSAGES,
  POLICY_QUOTAS,
  positionPage,
  requireCustomerPolicy,
  requirePolicy,
} from './shared.ts';

const POLICIES = COLLECTIONS.policies;

export const policyVersionHandlers: Handlers<Operations> = {
  async CreatePolicyVersion(input, context) {
    const accountId = context.principal.accountId;
    assertValidIdentityPolicy(input.PolicyDocument, 'managed');
    const now = context.now.toISOString();
    const { version, record } = await context.store.transaction(async (tx) => {
      const { key, record } = await requireCustomerPolicy(tx, accountId, input.PolicyArn);
      if (record.versions.length >= POLICY_QUOTAS.PolicyVersionsPerPolicy) {
        throw limitExceeded(MESSAGES.tooManyVersions);
      }
      const version: PolicyVersionRecord = { versionId: `v${record.nextVersion}`, document: input.PolicyDocument, createDate: now };
      const updated: ManagedPolicyRecord = {
        ...record,
        versions: [...record.versions, version],
        nextVersion: record.nextVersion + 1,
        defaultVersionId: input.SetAsDefault ? version.versionId : record.defaultVersionId,
        updateDate: now,
      };
      await tx.put(POLICIES, key, updated);
      return { version, record: updated };
    });
    return { PolicyVersion: versionShape(version, record.defaultVersionId, false) };
  },

  async GetPolicyVersion(input, context) {
    const view = await requirePolicy(context.store, context.principal.accountId, input.PolicyArn);
    if (view.scope === 'AWS') {
      const version = (await loadManagedPolicies()).getVersion(view.arn, input.VersionId);
      if (!version) throw noSuchEntity(MESSAGES.versionNotFound(view.arn, input.VersionId));
      return { PolicyVersion: awsVersionShape(version, true, view.policy.createDate) };
    }
    const version = findVersion(view.record, input.VersionId);
    return { PolicyVersion: versionShape(version, view.record.defaultVersionId, true) };
  },

  async ListPolicyVersions(input, context) {
    const view = await requirePolicy(context.store, context.principal.accountId, input.PolicyArn);
    const versions: PolicyVersion[] =
      view.scope === 'AWS'
        ? (await loadManagedPolicies()).versions(view.arn).map((version) => awsVersionShape(version, false, view.policy.createDate))
        : newestFirst(view.record.versions).map((version) => versionShape(version, view.record.defaultVersionId, false));
    const page = positionPage(versions, input);
    return { Versions: page.items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },

  async DeletePolicyVersion(input, context) {
    const accountId = context.principal.accountId;
    await context.store.transaction(async (tx) => {
      const { key, record } = await requireCustomerPolicy(tx, accountId, input.PolicyArn);
      const version = findVersion(record, input.VersionId);
      if (version.versionId === record.defaultVersionId) throw deleteConflict(MESSAGES.defaultVersion);
      await tx.put(POLICIES, key, { ...record, versions: record.versions.filter((v) => v !== version) });
    });
  },

  async SetDefaultPolicyVersion(input, context) {
    const accountId = context.principal.accountId;
    await context.store.transaction(async (tx) => {
      const { key, record } = await requireCustomerPolicy(tx, accountId, input.PolicyArn);
      const version = findVersion(record, input.VersionId);
      await tx.put(POLICIES, key, { ...record, defaultVersionId: version.versionId });
    });
  },
};

/** The version, or NoSuchEntity ("Policy arn version v3 does not exist or is not attachable."). */
function findVersion(record: ManagedPolicyRecord, versionId: string): PolicyVersionRecord {
  const version = record.versions.find((v) => v.versionId === versionId);
  if (!version) throw noSuchEntity(MESSAGES.versionNotFound(record.arn, versionId));
  return version;
}

function newestFirst(versions: readonly PolicyVersionRecord[]): PolicyVersionRecord[] {
  return [...versions].sort((a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)));
}
