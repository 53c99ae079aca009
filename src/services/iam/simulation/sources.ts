// An IAM identity's policies with where each comes from, as the policy simulator
// reports them (SourcePolicyId / SourcePolicyType), read through the policies area's
// readers: a user's inline and managed policies and its groups', a group's or a role's
// own, and the user's or role's permissions boundary.
import type { Documents } from '../../../store/store.ts';
import { noSuchEntity } from '../common.ts';
import { attachedPolicyArns } from '../policies/attachments.ts';
import { inlinePoliciesOf } from '../policies/inline.ts';
import { managedDocument, policiesForPrincipal } from '../policies/principal.ts';
import { findEntity, type EntityRef } from '../policies/shared.ts';
import type { EntityKind } from '../records.ts';

/** IAM's PolicySourceType. */
export type SourceType = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none';

export interface SourcedPolicy {
  /** What the simulator reports as SourcePolicyId. */
  sourceId: string;
  sourceType: SourceType;
  document: string;
}

export interface IdentityPolicies {
  entity: EntityRef;
  identity: SourcedPolicy[];
  boundary?: SourcedPolicy;
}

const IDENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)((?:\/[\u0021-\u007E]*)?\/)([\w+=,.@-]+)$/;

/** `arn:aws:iam::ACCT:user/path/name` -> its account, kind and name; undefined for other ARNs. */
export function parseIdentityArn(arn: string): { accountId: string; kind: EntityKind; name: string } | undefined {
  const match = IDENTITY_ARN.exec(arn);
  return match ? { accountId: match[1]!, kind: match[2] as EntityKind, name: match[4]! } : undefined;
}

function managedSource(arn: string, document: string): SourcedPolicy {
  return {
    sourceId: arn.slice(arn.lastIndexOf('/') + 1),
    sourceType: arn.startsWith('arn:aws:iam::aws:policy/') ? 'aws-managed' : 'user-managed',
    document,
  };
}

/** A PolicyDocumentRef id of policiesForPrincipal: a managed ARN, or `<entity ARN>#<name>` for inline. */
function sourceOf(id: string, document: string): SourcedPolicy {
  const hash = id.lastIndexOf('#');
  if (hash < 0) return managedSource(id, document);
  const owner = parseIdentityArn(id.slice(0, hash));
  return { sourceId: id.slice(hash + 1), sourceType: owner?.kind ?? 'none', document };
}

/** The entity's policies, or NoSuchEntity when it does not exist. */
export async function identityPoliciesOf(docs: Documents, accountId: string, kind: EntityKind, name: string): Promise<IdentityPolicies> {
  const entity = await findEntity(docs, accountId, kind, name);
  if (!entity) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  if (kind === 'group') {
    const [inline, attached] = await Promise.all([inlinePoliciesOf(docs, accountId, 'group', name), attachedPolicyArns(docs, accountId, entity)]);
    const managed = await Promise.all(attached.map(async (arn) => ({ arn, document: await managedDocument(docs, accountId, arn) })));
    return {
      entity,
      identity: [
        ...inline.map((p): SourcedPolicy => ({ sourceId: p.policyName, sourceType: 'group', document: p.document })),
        ...managed.flatMap(({ arn, document }) => (document === undefined ? [] : [managedSource(arn, document)])),
      ],
    };
  }
  const policies = await policiesForPrincipal(docs, accountId, kind, name);
  return {
    entity,
    identity: policies.identity.map((ref) => sourceOf(ref.id, ref.document)),
    ...(policies.boundary ? { boundary: managedSource(policies.boundary.arn, policies.boundary.document) } : {}),
  };
}
