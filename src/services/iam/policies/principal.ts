// The identity policies and permissions boundary that apply to an IAM user or role,
// gathered for authorization: the entity's inline and attached managed policies and,
// for a user, those of each of its groups. Reads run in parallel: the entity, its
// inline policies, its attachments and its groups, then per group the same, then the
// customer managed policies' documents (AWS managed ones come from the catalog).
import { loadManagedPolicies } from '../../../policy/managed-policies.ts';
import type { Documents } from '../../../store/store.ts';
import { COLLECTIONS, type MembershipRecord } from '../records.ts';
import { listAll } from '../identities/shared.ts';
import { attachedPolicyArns } from './attachments.ts';
import { inlinePoliciesOf } from './inline.ts';
import { AWS_POLICY_ARN_PREFIX, findCustomerPolicy, findEntity, type EntityRef } from './shared.ts';

export interface PolicyDocumentRef {
  /** A managed policy's ARN; for an inline policy, `<entity ARN>#<policy name>`. */
  id: string;
  /** The policy text, as stored (not URL-encoded). */
  document: string;
}

export interface PrincipalPolicies {
  identity: PolicyDocumentRef[];
  boundary?: { arn: string; document: string };
}

/** The id an inline policy has in PrincipalPolicies. */
export function inlinePolicyId(entityArn: string, policyName: string): string {
  return `${entityArn}#${policyName}`;
}

interface EntityPolicies {
  inline: PolicyDocumentRef[];
  attached: string[];
}

async function policiesOf(docs: Documents, accountId: string, entity: EntityRef): Promise<EntityPolicies> {
  const [inline, attached] = await Promise.all([
    inlinePoliciesOf(docs, accountId, entity.kind, entity.name),
    attachedPolicyArns(docs, accountId, entity),
  ]);
  return {
    inline: inline.map((policy) => ({ id: inlinePolicyId(entity.arn, policy.policyName), document: policy.document })),
    attached,
  };
}

/** The groups a user belongs to. */
export async function groupsOf(docs: Documents, accountId: string, userName: string): Promise<EntityRef[]> {
  const memberships = await listAll<MembershipRecord>(docs, COLLECTIONS.memberships, `${accountId}/u/${userName.toLowerCase()}/`);
  const groups = await Promise.all(memberships.map(({ value }) => findEntity(docs, accountId, 'group', value.groupName)));
  return groups.filter((group): group is EntityRef => group !== undefined);
}

/** A managed policy's default version text, or undefined if the policy is gone. */
export async function managedDocument(docs: Documents, accountId: string, arn: string): Promise<string | undefined> {
  if (arn.startsWith(AWS_POLICY_ARN_PREFIX)) return (await loadManagedPolicies()).getVersion(arn)?.document;
  const policy = await findCustomerPolicy(docs, accountId, arn);
  return policy?.record.versions.find((version) => version.versionId === policy.record.defaultVersionId)?.document;
}

/**
 * The policies to evaluate for a user or role of an account: identity policies (inline
 * and managed, the user's groups' too) and the permissions boundary. An entity that
 * does not exist has none.
 */
export async function policiesForPrincipal(
  docs: Documents,
  accountId: string,
  kind: 'user' | 'role',
  name: string,
): Promise<PrincipalPolicies> {
  const [entity, groups] = await Promise.all([
    findEntity(docs, accountId, kind, name),
    kind === 'user' ? groupsOf(docs, accountId, name) : Promise.resolve([]),
  ]);
  if (!entity) return { identity: [] };
  const holders = [entity, ...groups];
  const [owned, boundaryDocument] = await Promise.all([
    Promise.all(holders.map((holder) => policiesOf(docs, accountId, holder))),
    entity.permissionsBoundary ? managedDocument(docs, accountId, entity.permissionsBoundary) : Promise.resolve(undefined),
  ]);
  // A policy attached to the user and to one of its groups counts once.
  const managedArns = [...new Set(owned.flatMap((policies) => policies.attached))];
  const managed = await Promise.all(
    managedArns.map(async (arn) => ({ id: arn, document: await managedDocument(docs, accountId, arn) })),
  );
  const identity: PolicyDocumentRef[] = [
    ...owned.flatMap((policies) => policies.inline),
    ...managed.filter((policy): policy is PolicyDocumentRef => policy.document !== undefined),
  ];
  return {
    identity,
    ...(entity.permissionsBoundary && boundaryDocument !== undefined
      ? { boundary: { arn: entity.permissionsBoundary, document: boundaryDocument } }
      : {}),
  };
}
