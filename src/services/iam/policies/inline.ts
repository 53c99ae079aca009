// Inline policies: Put/Get/Delete/List of User, Group and Role policies. An entity's
// inline policies share one size quota (user 2,048, group 5,120, role 10,240
// characters, white space not counted): AWS documents it as the aggregate of all of
// the entity's inline policies, so PutXPolicy adds up the others and the new one.
import { policySize } from '../../../policy/validate.ts';
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Documents, Store } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { noSuchEntity } from '../common.ts';
import { listAll, listPage } from '../identities/shared.ts';
import { COLLECTIONS, inlinePolicyKey, type EntityKind, type InlinePolicyRecord } from '../records.ts';
import { assertInlineSize, assertModifiable, assertValidIdentityPolicy, MESSAGES, requireEntity, urlEncoded } from './shared.ts';

const INLINE = COLLECTIONS.inlinePolicies;

/** The store prefix of one entity's inline policies. */
export function inlinePrefix(accountId: string, kind: EntityKind, entityName: string): string {
  return `${accountId}/${kind}/${entityName.toLowerCase()}/`;
}

/** Every inline policy of an entity (one store read). */
export async function inlinePoliciesOf(docs: Documents, accountId: string, kind: EntityKind, entityName: string): Promise<InlinePolicyRecord[]> {
  return (await listAll<InlinePolicyRecord>(docs, INLINE, inlinePrefix(accountId, kind, entityName))).map(({ value }) => value);
}

interface PutInput {
  PolicyName: string;
  PolicyDocument: string;
}

async function putInlinePolicy(context: RequestContext, kind: EntityKind, entityName: string, input: PutInput): Promise<void> {
  const accountId = context.principal.accountId;
  assertValidIdentityPolicy(input.PolicyDocument);
  await context.store.transaction(async (tx) => {
    const entity = await requireEntity(tx, accountId, kind, entityName);
    assertModifiable(entity);
    const others = (await inlinePoliciesOf(tx, accountId, kind, entity.name)).filter(
      (policy) => policy.policyName.toLowerCase() !== input.PolicyName.toLowerCase(),
    );
    const target = `${kind}-inline` as const;
    const total = others.reduce((sum, policy) => sum + policySize(policy.document, target), policySize(input.PolicyDocument, target));
    assertInlineSize(total, kind, entity.name);
    const record: InlinePolicyRecord = { kind, entityName: entity.name, policyName: input.PolicyName, document: input.PolicyDocument };
    await tx.put(INLINE, inlinePolicyKey(accountId, kind, entity.name, input.PolicyName), record);
  });
}

async function getInlinePolicy(store: Store, accountId: string, kind: EntityKind, entityName: string, policyName: string) {
  const entity = await requireEntity(store, accountId, kind, entityName);
  const record = await store.get<InlinePolicyRecord>(INLINE, inlinePolicyKey(accountId, kind, entity.name, policyName));
  if (!record) throw noSuchEntity(MESSAGES.inlineNotFound(kind, policyName));
  return { entityName: entity.name, PolicyName: record.policyName, PolicyDocument: urlEncoded(record.document) };
}

async function deleteInlinePolicy(context: RequestContext, kind: EntityKind, entityName: string, policyName: string): Promise<void> {
  const accountId = context.principal.accountId;
  await context.store.transaction(async (tx) => {
    const entity = await requireEntity(tx, accountId, kind, entityName);
    assertModifiable(entity);
    if (!(await tx.delete(INLINE, inlinePolicyKey(accountId, kind, entity.name, policyName)))) {
      throw noSuchEntity(MESSAGES.inlineNotFound(kind, policyName));
    }
  });
}

async function listInlinePolicies(store: Store, accountId: string, kind: EntityKind, entityName: string, input: { Marker?: string; MaxItems?: number }) {
  const entity = await requireEntity(store, accountId, kind, entityName);
  const page = await listPage<InlinePolicyRecord>(store, INLINE, inlinePrefix(accountId, kind, entity.name), input);
  return {
    PolicyNames: page.items.map((policy) => policy.policyName),
    IsTruncated: page.IsTruncated,
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

export const inlinePolicyHandlers: Handlers<Operations> = {
  PutUserPolicy: (input, context) => putInlinePolicy(context, 'user', input.UserName, input),
  PutGroupPolicy: (input, context) => putInlinePolicy(context, 'group', input.GroupName, input),
  PutRolePolicy: (input, context) => putInlinePolicy(context, 'role', input.RoleName, input),

  async GetUserPolicy(input, context) {
    const { entityName, ...policy } = await getInlinePolicy(context.store, context.principal.accountId, 'user', input.UserName, input.PolicyName);
    return { UserName: entityName, ...policy };
  },
  async GetGroupPolicy(input, context) {
    const { entityName, ...policy } = await getInlinePolicy(context.store, context.principal.accountId, 'group', input.GroupName, input.PolicyName);
    return { GroupName: entityName, ...policy };
  },
  async GetRolePolicy(input, context) {
    const { entityName, ...policy } = await getInlinePolicy(context.store, context.principal.accountId, 'role', input.RoleName, input.PolicyName);
    return { RoleName: entityName, ...policy };
  },

  DeleteUserPolicy: (input, context) => deleteInlinePolicy(context, 'user', input.UserName, input.PolicyName),
  DeleteGroupPolicy: (input, context) => deleteInlinePolicy(context, 'group', input.GroupName, input.PolicyName),
  DeleteRolePolicy: (input, context) => deleteInlinePolicy(context, 'role', input.RoleName, input.PolicyName),

  ListUserPolicies: (input, context) => listInlinePolicies(context.store, context.principal.accountId, 'user', input.UserName, input),
  ListGroupPolicies: (input, context) => listInlinePolicies(context.store, context.principal.accountId, 'group', input.GroupName, input),
  ListRolePolicies: (input, context) => listInlinePolicies(context.store, context.principal.accountId, 'role', input.RoleName, input),
};
