// What the policy handlers share: AWS's messages and quotas as data, policy ARNs, one
// view over customer managed policies (in the store) and AWS managed policies (in the
// catalog, with this account's usage counts beside it), document checks, and the
// entities policies are attached to.
import { createHash } from 'node:crypto';
import { loadManagedPolicies, type ManagedPolicy } from '../../../policy/managed-policies.ts';
import { checkPolicySize, validatePolicy, type PolicySizeTarget } from '../../../policy/validate.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { Documents } from '../../../store/store.ts';
import { decodeMarker, DEFAULT_MAX_ITEMS, deleteConflict, encodeMarker, ID_PREFIX, invalidInput, limitExceeded, noSuchEntity } from '../common.ts';
import {
  COLLECTIONS,
  entityKey,
  type AwsPolicyUsageRecord,
  type EntityKind,
  type GroupRecord,
  type ManagedPolicyRecord,
  type RoleRecord,
  type UserRecord,
} from '../records.ts';

export const AWS_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:policy/';

/** AWS's messages for the policy operations. */
export const MESSAGES = {
  invalidArn: (arn: string) => `ARN ${arn} is not valid.`,
  policyNotFound: (arn: string) => `Policy ${arn} was not found.`,
  notAttachable: (arn: string) => `Policy ${arn} does not exist or is not attachable.`,
  versionNotFound: (arn: string, versionId: string) => `Policy ${arn} version ${versionId} does not exist or is not attachable.`,
  policyExists: (name: string) => `A policy called ${name} already exists. Duplicate names are not allowed.`,
  policyAttached: 'Cannot delete a policy attached to entities.',
  policyHasVersions:
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
  defaultVersion: 'Cannot delete the default version of a policy.',
  tooManyVersions:
    'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  serviceRolePolicy: 'Cannot attach a Service Role Policy to a Customer Role.',
  awsManagedReadOnly: (arn: string) => `Policy ${arn} is an AWS managed policy and cannot be modified.`,
  inlineNotFound: (kind: EntityKind, name: string) => `The ${kind} policy with name ${name} cannot be found.`,
  entityNotFound: (kind: EntityKind, name: string) => `The ${kind} with name ${name} cannot be found.`,
} as const;

/** IAM's quotas for managed policies (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const POLICY_QUOTAS = {
  PolicyVersionsPerPolicy: 5,
  ManagedPoliciesPerAccount: 1500,
  TagsPerPolicy: 50,
  /** Managed policies attached to one user, group or role. */
  attachedPerEntity: 10,
} as const;

/** The LimitExceeded quota name for managed policies attached to each kind of entity. */
export const ATTACHED_QUOTA_NAME: Record<EntityKind, string> = {
  user: 'PoliciesPerUser',
  group: 'PoliciesPerGroup',
  role: 'PoliciesPerRole',
};

export function quotaExceeded(quota: string, limit: number): AwsError {
  return limitExceeded(`Cannot exceed quota for ${quota}: ${limit}`);
}

// ---- policy ARNs ----

export interface PolicyArnParts {
  /** `aws` for AWS managed policies, else the owning account id. */
  owner: string;
  path: string;
  name: string;
}

const POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

/** The parts of a managed policy ARN; InvalidInput ("ARN x is not valid.") when it is not one. */
export function parsePolicyArn(arn: string): PolicyArnParts {
  const match = POLICY_ARN.exec(arn);
  if (!match) throw invalidInput(MESSAGES.invalidArn(arn));
  return { owner: match[1]!, path: match[2]!, name: match[3]! };
}

export function customerPolicyArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:policy${path}${name}`;
}

// ---- one view over customer and AWS managed policies ----

export type PolicyView =
  | { scope: 'Local'; arn: string; key: string; record: ManagedPolicyRecord }
  | { scope: 'AWS'; arn: string; policy: ManagedPolicy; usage: AwsPolicyUsageRecord };

const NO_USAGE: AwsPolicyUsageRecord = { attachmentCount: 0, permissionsBoundaryUsageCount: 0 };

/** The customer managed policy an ARN names in this account, if it exists. */
export async function findCustomerPolicy(
  docs: Documents,
  accountId: string,
  arn: string,
): Promise<Extract<PolicyView, { scope: 'Local' }> | undefined> {
  const parts = parsePolicyArn(arn);
  if (parts.owner !== accountId) return undefined;
  const key = entityKey(accountId, parts.name);
  const record = await docs.get<ManagedPolicyRecord>(COLLECTIONS.policies, key);
  return record && record.arn === arn ? { scope: 'Local', arn, key, record } : undefined;
}

/** The managed policy (customer or AWS) an ARN names, as this account sees it. */
export async function findPolicy(docs: Documents, accountId: string, arn: string): Promise<PolicyView | undefined> {
  const parts = parsePolicyArn(arn);
  if (parts.owner !== 'aws') return findCustomerPolicy(docs, accountId, arn);
  const policy = (await loadManagedPolicies()).getByArn(arn);
  if (!policy) return undefined;
  return { scope: 'AWS', arn, policy, usage: await readAwsUsage(docs, accountId, arn) };
}

/** The policy, or NoSuchEntity ("Policy arn was not found."). */
export async function requirePolicy(docs: Documents, accountId: string, arn: string): Promise<PolicyView> {
  const view = await findPolicy(docs, accountId, arn);
  if (!view) throw noSuchEntity(MESSAGES.policyNotFound(arn));
  return view;
}

/** A customer managed policy to change; AWS managed policies cannot be changed. */
export async function requireCustomerPolicy(
  docs: Documents,
  accountId: string,
  arn: string,
): Promise<Extract<PolicyView, { scope: 'Local' }>> {
  const view = await requirePolicy(docs, accountId, arn);
  if (view.scope === 'AWS') throw new AwsError('AccessDenied', MESSAGES.awsManagedReadOnly(arn), { status: 403 });
  return view;
}

/** AWS managed policies have fixed ids on AWS; the catalog has none, so derive a stable one from the ARN. */
export function awsPolicyId(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id: string = ID_PREFIX.policy;
  for (let i = 0; i < 17; i++) id += alphabet[digest[i]! % alphabet.length];
  return id;
}

// ---- usage counts ----

export type UsageField = keyof AwsPolicyUsageRecord;

function usageKey(accountId: string, arn: string): string {
  return `${accountId}/${arn}`;
}

export async function readAwsUsage(docs: Documents, accountId: string, arn: string): Promise<AwsPolicyUsageRecord> {
  return (await docs.get<AwsPolicyUsageRecord>(COLLECTIONS.awsPolicyUsage, usageKey(accountId, arn))) ?? NO_USAGE;
}

/** Every AWS managed policy this account uses, by ARN (one read for ListPolicies). */
export async function awsUsageByArn(docs: Documents, accountId: string): Promise<Map<string, AwsPolicyUsageRecord>> {
  const prefix = `${accountId}/`;
  const usage = new Map<string, AwsPolicyUsageRecord>();
  let after: string | undefined;
  do {
    const page = await docs.list<AwsPolicyUsageRecord>(COLLECTIONS.awsPolicyUsage, { prefix, after, limit: 500 });
    for (const entry of page.items) usage.set(entry.key.slice(prefix.length), entry.value);
    after = page.next;
  } while (after !== undefined);
  return usage;
}

/** Counts one more (or one less) attachment or boundary use of a policy in this account. */
export async function adjustUsage(docs: Documents, accountId: string, view: PolicyView, field: UsageField, delta: 1 | -1): Promise<void> {
  if (view.scope === 'Local') {
    const current = await docs.get<ManagedPolicyRecord>(COLLECTIONS.policies, view.key);
    if (!current) return;
    await docs.put(COLLECTIONS.policies, view.key, { ...current, [field]: Math.max(0, (current[field] ?? 0) + delta) });
    return;
  }
  const key = usageKey(accountId, view.arn);
  const current = (await docs.get<AwsPolicyUsageRecord>(COLLECTIONS.awsPolicyUsage, key)) ?? NO_USAGE;
  const next = { ...current, [field]: Math.max(0, current[field] + delta) };
  if (next.attachmentCount === 0 && next.permissionsBoundaryUsageCount === 0) await docs.delete(COLLECTIONS.awsPolicyUsage, key);
  else await docs.put(COLLECTIONS.awsPolicyUsage, key, next);
}

export function usageOf(view: PolicyView): AwsPolicyUsageRecord {
  return view.scope === 'Local'
    ? { attachmentCount: view.record.attachmentCount, permissionsBoundaryUsageCount: view.record.permissionsBoundaryUsageCount ?? 0 }
    : view.usage;
}

export function assertDeletable(record: ManagedPolicyRecord): void {
  if (record.attachmentCount > 0 || (record.permissionsBoundaryUsageCount ?? 0) > 0) throw deleteConflict(MESSAGES.policyAttached);
  if (record.versions.length > 1) throw deleteConflict(MESSAGES.policyHasVersions);
}

/** IAM paging over a short list held in one record: the Marker is the next position. */
export function positionPage<T>(items: readonly T[], request: { Marker?: string; MaxItems?: number }) {
  const maxItems = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  const marker = decodeMarker(request.Marker);
  const start = marker === undefined ? 0 : Number(marker);
  if (!Number.isInteger(start) || start < 0) throw invalidInput('Invalid Marker.');
  const end = start + maxItems;
  const truncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated: truncated, ...(truncated ? { Marker: encodeMarker(String(end)) } : {}) };
}

// ---- documents ----

/** Throws AWS's MalformedPolicyDocument (or LimitExceeded for a managed policy's size). */
export function assertValidIdentityPolicy(document: string, sizeTarget?: PolicySizeTarget): void {
  const result = validatePolicy(document, 'identity', sizeTarget ? { sizeTarget } : {});
  if (!result.ok) throw new AwsError(shapeName(result.code), result.message, { status: result.status });
}

/** Inline policies count together per entity: LimitExceeded when their sizes add up past the quota. */
export function assertInlineSize(total: number, kind: EntityKind, entityName: string): void {
  const check = checkPolicySize(total, `${kind}-inline`, entityName);
  if (!check.ok) throw new AwsError(shapeName(check.code), check.message, { status: check.status });
}

/** The validator answers with wire codes (`LimitExceeded`); handlers throw the model's shape names. */
function shapeName(code: string): string {
  return code.endsWith('Exception') ? code : `${code}Exception`;
}

/** Policy documents travel URL-encoded in IAM's responses, as AWS sends them (the SDKs decode them). */
export function urlEncoded(document: string): string {
  return encodeURIComponent(document);
}

// ---- the entities policies belong to ----

export interface EntityRef {
  kind: EntityKind;
  name: string; // as created
  id: string;
  arn: string;
  path: string;
  permissionsBoundary?: string;
  /** A service-linked role: only its service may change its policies. */
  serviceLinked?: boolean;
}

const ENTITY_COLLECTION: Record<EntityKind, string> = {
  user: COLLECTIONS.users,
  group: COLLECTIONS.groups,
  role: COLLECTIONS.roles,
};

type EntityRecord = UserRecord | GroupRecord | RoleRecord;

export function entityRef(kind: EntityKind, record: EntityRecord): EntityRef {
  const name = 'userName' in record ? record.userName : 'groupName' in record ? record.groupName : record.roleName;
  const id = 'userId' in record ? record.userId : 'groupId' in record ? record.groupId : record.roleId;
  const boundary = 'permissionsBoundary' in record ? record.permissionsBoundary : undefined;
  const serviceLinked = 'serviceLinkedTo' in record && record.serviceLinkedTo !== undefined;
  return {
    kind,
    name,
    id,
    arn: record.arn,
    path: record.path,
    ...(boundary ? { permissionsBoundary: boundary } : {}),
    ...(serviceLinked ? { serviceLinked } : {}),
  };
}

/** Service-linked roles belong to their service: AWS answers UnmodifiableEntity. */
export function assertModifiable(entity: EntityRef): void {
  if (!entity.serviceLinked) return;
  throw new AwsError(
    'UnmodifiableEntityException',
    `Cannot perform the operation on the protected role '${entity.name}' - this role is only modifiable by AWS`,
  );
}

export async function findEntity(docs: Documents, accountId: string, kind: EntityKind, name: string): Promise<EntityRef | undefined> {
  const record = await docs.get<EntityRecord>(ENTITY_COLLECTION[kind], entityKey(accountId, name));
  return record && entityRef(kind, record);
}

/** The user, group or role, or NoSuchEntity ("The user with name bob cannot be found."). */
export async function requireEntity(docs: Documents, accountId: string, kind: EntityKind, name: string): Promise<EntityRef> {
  const entity = await findEntity(docs, accountId, kind, name);
  if (!entity) throw noSuchEntity(MESSAGES.entityNotFound(kind, name));
  return entity;
}

/** The raw record (for writes that keep every other field, e.g. the permissions boundary). */
export async function entityRecord<R extends EntityRecord>(docs: Documents, accountId: string, kind: EntityKind, name: string): Promise<{ key: string; record: R }> {
  const key = entityKey(accountId, name);
  const record = await docs.get<R>(ENTITY_COLLECTION[kind], key);
  if (!record) throw noSuchEntity(MESSAGES.entityNotFound(kind, name));
  return { key, record };
}

export function entityCollection(kind: EntityKind): string {
  return ENTITY_COLLECTION[kind];
}
