// Managed policies: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies and policy tags.
// Customer managed policies live in the store; AWS managed ones come from the catalog
// (src/policy/managed-policies.ts), with this account's usage counts kept beside it.
import { loadManagedPolicies, type ManagedPolicy } from '../../../policy/managed-policies.ts';
import type { ListPoliciesRequest, Operations, Policy } from '../../../protocol/types/iam.ts';
import type { Documents, Store } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { alreadyExists, decodeMarker, DEFAULT_MAX_ITEMS, encodeMarker, ID_PREFIX, invalidInput, newUniqueId } from '../common.ts';
import { checkRequestTags, removeTags, tagPage } from '../identities/tags.ts';
import { COLLECTIONS, entityKey, type AwsPolicyUsageRecord, type ManagedPolicyRecord, type Tag, type UniqueIdRecord } from '../records.ts';
import { policyShape } from './shapes.ts';
import {
  assertDeletable,
  assertValidIdentityPolicy,
  awsUsageByArn,
  customerPolicyArn,
  MESSAGES,
  POLICY_QUOTAS,
  quotaExceeded,
  requireCustomerPolicy,
  requirePolicy,
} from './shared.ts';

const POLICIES = COLLECTIONS.policies;

export const managedPolicyHandlers: Handlers<Operations> = {
  async CreatePolicy(input, context) {
    const accountId = context.principal.accountId;
    const path = input.Path ?? '/';
    assertValidIdentityPolicy(input.PolicyDocument, 'managed');
    const tags = input.Tags ?? [];
    checkRequestTags(tags);
    const now = context.now.toISOString();
    const record = await context.store.transaction(async (tx) => {
      const key = entityKey(accountId, input.PolicyName);
      if (await tx.get(POLICIES, key)) throw alreadyExists(MESSAGES.policyExists(input.PolicyName));
      if ((await tx.count(POLICIES, `${accountId}/`)) >= POLICY_QUOTAS.ManagedPoliciesPerAccount) {
        throw quotaExceeded('PoliciesPerAccount', POLICY_QUOTAS.ManagedPoliciesPerAccount);
      }
      const created: ManagedPolicyRecord = {
        accountId,
        policyName: input.PolicyName,
        policyId: await issuePolicyId(tx, { accountId, kind: 'policy', name: input.PolicyName }),
        arn: customerPolicyArn(accountId, path, input.PolicyName),
        path,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        defaultVersionId: 'v1',
        nextVersion: 2,
        versions: [{ versionId: 'v1', document: input.PolicyDocument, createDate: now }],
        attachmentCount: 0,
        permissionsBoundaryUsageCount: 0,
        createDate: now,
        updateDate: now,
        tags: tags.map(({ Key, Value }) => ({ Key, Value })),
      };
      await tx.put(POLICIES, key, created);
      return created;
    });
    return { Policy: policyShape({ scope: 'Local', arn: record.arn, key: '', record }, 'full') };
  },

  async GetPolicy(input, context) {
    return { Policy: policyShape(await requirePolicy(context.store, context.principal.accountId, input.PolicyArn), 'full') };
  },

  async DeletePolicy(input, context) {
    const accountId = context.principal.accountId;
    await context.store.transaction(async (tx) => {
      const { key, record } = await requireCustomerPolicy(tx, accountId, input.PolicyArn);
      assertDeletable(record);
      await tx.delete(POLICIES, key);
      await tx.delete(COLLECTIONS.uniqueIds, record.policyId);
    });
  },

  async ListPolicies(input, context) {
    return listPolicies(context.store, context.principal.accountId, input);
  },

  async TagPolicy(input, context) {
    await updateTags(context.store, context.principal.accountId, input.PolicyArn, (tags) => mergePolicyTags(tags, input.Tags));
  },

  async UntagPolicy(input, context) {
    await updateTags(context.store, context.principal.accountId, input.PolicyArn, (tags) => removeTags(tags, input.TagKeys));
  },

  async ListPolicyTags(input, context) {
    const view = await requirePolicy(context.store, context.principal.accountId, input.PolicyArn);
    return tagPage(view.scope === 'Local' ? view.record.tags : [], input);
  },
};

async function issuePolicyId(docs: Documents, owner: UniqueIdRecord): Promise<string> {
  for (;;) {
    const id = newUniqueId(ID_PREFIX.policy);
    if (await docs.insert(COLLECTIONS.uniqueIds, id, owner)) return id;
  }
}

// ---- tags ----

async function updateTags(store: Store, accountId: string, arn: string, change: (tags: Tag[]) => Tag[]) {
  await store.transaction(async (tx) => {
    const { key, record } = await requireCustomerPolicy(tx, accountId, arn);
    await tx.put(POLICIES, key, { ...record, tags: change(record.tags) });
  });
}

/** TagPolicy: keys are case-insensitive (a new `env` replaces `Env`); at most 50 tags per policy. */
function mergePolicyTags(existing: readonly Tag[], incoming: readonly Tag[]): Tag[] {
  checkRequestTags(incoming);
  const merged = removeTags(existing, incoming.map((tag) => tag.Key));
  merged.push(...incoming.map(({ Key, Value }) => ({ Key, Value })));
  if (merged.length > POLICY_QUOTAS.TagsPerPolicy) throw quotaExceeded('TagsPerPolicy', POLICY_QUOTAS.TagsPerPolicy);
  return merged;
}

// ---- ListPolicies ----

/**
 * Customer managed policies first (in name order, case-folded), then AWS managed ones
 * (the catalog's order). The Marker names the source and the last item returned.
 */
async function listPolicies(docs: Documents, accountId: string, input: ListPoliciesRequest) {
  const scope = input.Scope ?? 'All';
  const maxItems = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  const position = parseListMarker(input.Marker);
  const inUse = usageFilter(input);
  const pathOk = (path: string) => input.PathPrefix === undefined || path.startsWith(input.PathPrefix);
  const found: Policy[] = [];
  let last: string | undefined;

  if (scope !== 'AWS' && position.source === 'L') {
    const prefix = `${accountId}/`;
    let after = position.after ?? undefined;
    scan: for (;;) {
      const page = await docs.list<ManagedPolicyRecord>(POLICIES, { prefix, after, limit: 200 });
      for (const { key, value } of page.items) {
        if (!pathOk(value.path) || !inUse(usageOfRecord(value))) continue;
        if (found.length === maxItems) return truncated(found, last!);
        found.push(policyShape({ scope: 'Local', arn: value.arn, key, record: value }, 'listed'));
        last = `L|${key}`;
      }
      if (page.next === undefined) break scan;
      after = page.next;
    }
  }

  if (scope !== 'Local') {
    const catalog = (await loadManagedPolicies()).list();
    const usage = await awsUsageByArn(docs, accountId);
    const start = position.source === 'A' ? indexAfter(catalog, position.after) : 0;
    for (let i = start; i < catalog.length; i++) {
      const policy = catalog[i]!;
      const counts = usage.get(policy.arn) ?? { attachmentCount: 0, permissionsBoundaryUsageCount: 0 };
      if (!pathOk(policy.path) || !inUse(counts)) continue;
      if (found.length === maxItems) return truncated(found, last!);
      found.push(policyShape({ scope: 'AWS', arn: policy.arn, policy, usage: counts }, 'listed'));
      last = `A|${policy.name}`;
    }
  }
  return { Policies: found, IsTruncated: false };
}

function truncated(policies: Policy[], last: string) {
  return { Policies: policies, IsTruncated: true, Marker: encodeMarker(last) };
}

/** Where a ListPolicies page starts: in the customer policies (after a store key) or the AWS ones (after a name). */
function parseListMarker(marker: string | undefined): { source: 'L' | 'A'; after?: string } {
  const decoded = decodeMarker(marker);
  if (decoded === undefined) return { source: 'L' };
  const source = decoded.slice(0, 2);
  if (source !== 'L|' && source !== 'A|') throw invalidInput('Invalid Marker.');
  return { source: source[0] as 'L' | 'A', after: decoded.slice(2) };
}

function indexAfter(catalog: readonly ManagedPolicy[], name: string | undefined): number {
  if (name === undefined) return 0;
  const index = catalog.findIndex((policy) => policy.name > name);
  return index === -1 ? catalog.length : index;
}

function usageOfRecord(record: ManagedPolicyRecord): AwsPolicyUsageRecord {
  return { attachmentCount: record.attachmentCount, permissionsBoundaryUsageCount: record.permissionsBoundaryUsageCount ?? 0 };
}

/**
 * OnlyAttached keeps the policies attached to a user, group or role; PolicyUsageFilter
 * keeps the policies in use one way (attached as a permissions policy, or set as a
 * permissions boundary), as the console's "Used as" filter shows them.
 */
function usageFilter(input: ListPoliciesRequest): (usage: AwsPolicyUsageRecord) => boolean {
  if (input.PolicyUsageFilter === 'PermissionsBoundary') return (usage) => usage.permissionsBoundaryUsageCount > 0;
  if (input.PolicyUsageFilter === 'PermissionsPolicy' || input.OnlyAttached) return (usage) => usage.attachmentCount > 0;
  return () => true;
}

