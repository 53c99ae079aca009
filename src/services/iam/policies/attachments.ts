// Managed policies attached to users, groups and roles: Attach*Policy, Detach*Policy,
// ListAttached*Policies and ListEntitiesForPolicy. Each attachment is written twice:
// by policy (records.ts `attachments`, for ListEntitiesForPolicy and DeleteUser's
// checks) and by entity unique id (`entityAttachments`, for ListAttached* and
// policiesForPrincipal), in one transaction.
import type {
  AttachedPolicy,
  ListEntitiesForPolicyRequest,
  ListEntitiesForPolicyResponse,
  Operations,
} from '../../../protocol/types/iam.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { Documents, Store } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { noSuchEntity } from '../common.ts';
import { listAll, listPage } from '../identities/shared.ts';
import {
  attachmentKey,
  COLLECTIONS,
  entityAttachmentKey,
  type AttachmentRecord,
  type EntityAttachmentRecord,
  type EntityKind,
  type RoleRecord,
  type UserRecord,
} from '../records.ts';
import {
  adjustUsage,
  assertModifiable,
  ATTACHED_QUOTA_NAME,
  entityCollection,
  findEntity,
  findPolicy,
  MESSAGES,
  parsePolicyArn,
  POLICY_QUOTAS,
  positionPage,
  quotaExceeded,
  requireEntity,
  requirePolicy,
  type EntityRef,
} from './shared.ts';

interface AttachInput {
  PolicyArn: string;
}

export async function attachPolicy(context: RequestContext, kind: EntityKind, entityName: string, input: AttachInput): Promise<void> {
  const accountId = context.principal.accountId;
  const arn = input.PolicyArn;
  parsePolicyArn(arn);
  await context.store.transaction(async (tx) => {
    const entity = await requireEntity(tx, accountId, kind, entityName);
    assertModifiable(entity);
    const policy = await findPolicy(tx, accountId, arn);
    if (!policy) throw noSuchEntity(MESSAGES.notAttachable(arn));
    if (policy.scope === 'AWS' && policy.policy.serviceLinkedRolePolicy) {
      if (kind === 'role') throw new AwsError('PolicyNotAttachableException', MESSAGES.serviceRolePolicy);
      throw noSuchEntity(MESSAGES.notAttachable(arn));
    }
    const byPolicy = attachmentKey(accountId, arn, kind, entity.name);
    if (await tx.get(COLLECTIONS.attachments, byPolicy)) return; // attaching again changes nothing
    const byEntity = entityAttachmentPrefix(accountId, entity);
    if ((await tx.count(COLLECTIONS.entityAttachments, byEntity)) >= POLICY_QUOTAS.attachedPerEntity) {
      throw quotaExceeded(ATTACHED_QUOTA_NAME[kind], POLICY_QUOTAS.attachedPerEntity);
    }
    const attachment: AttachmentRecord = { policyArn: arn, kind, name: entity.name, entityId: entity.id };
    await tx.put(COLLECTIONS.attachments, byPolicy, attachment);
    await tx.put(COLLECTIONS.entityAttachments, entityAttachmentKey(accountId, kind, entity.id, arn), {
      policyArn: arn,
    } satisfies EntityAttachmentRecord);
    await adjustUsage(tx, accountId, policy, 'attachmentCount', 1);
  });
}

export async function detachPolicy(context: RequestContext, kind: EntityKind, entityName: string, input: AttachInput): Promise<void> {
  const accountId = context.principal.accountId;
  const arn = input.PolicyArn;
  parsePolicyArn(arn);
  await context.store.transaction(async (tx) => {
    const entity = await requireEntity(tx, accountId, kind, entityName);
    assertModifiable(entity);
    const policy = await findPolicy(tx, accountId, arn);
    const byPolicy = attachmentKey(accountId, arn, kind, entity.name);
    if (!policy || !(await tx.delete(COLLECTIONS.attachments, byPolicy))) throw noSuchEntity(MESSAGES.policyNotFound(arn));
    await tx.delete(COLLECTIONS.entityAttachments, entityAttachmentKey(accountId, kind, entity.id, arn));
    await adjustUsage(tx, accountId, policy, 'attachmentCount', -1);
  });
}

function entityAttachmentPrefix(accountId: string, entity: EntityRef): string {
  return `${accountId}/${entity.kind}/${entity.id}/`;
}

/** The ARNs of the managed policies attached to an entity (one store read). */
export async function attachedPolicyArns(docs: Documents, accountId: string, entity: EntityRef): Promise<string[]> {
  const entries = await listAll<EntityAttachmentRecord>(docs, COLLECTIONS.entityAttachments, entityAttachmentPrefix(accountId, entity));
  return entries.map(({ value }) => value.policyArn);
}

export function attachedPolicyShape(arn: string): AttachedPolicy {
  return { PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn };
}

function policyPath(arn: string): string {
  return arn.slice(arn.indexOf(':policy') + ':policy'.length, arn.lastIndexOf('/') + 1);
}

export async function listAttachedPolicies(
  store: Store,
  accountId: string,
  kind: EntityKind,
  entityName: string,
  input: { PathPrefix?: string; Marker?: string; MaxItems?: number },
) {
  const entity = await requireEntity(store, accountId, kind, entityName);
  const page = await listPage<EntityAttachmentRecord>(
    store,
    COLLECTIONS.entityAttachments,
    entityAttachmentPrefix(accountId, entity),
    input,
    ({ policyArn }) => input.PathPrefix === undefined || policyPath(policyArn).startsWith(input.PathPrefix),
  );
  return {
    AttachedPolicies: page.items.map(({ policyArn }) => attachedPolicyShape(policyArn)),
    IsTruncated: page.IsTruncated,
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

// ---- ListEntitiesForPolicy ----

const ENTITY_FILTER_KIND: Record<string, EntityKind | undefined> = { User: 'user', Group: 'group', Role: 'role' };

/**
 * The users, groups and roles using a managed policy: attached as a permissions policy,
 * set as a permissions boundary, or (without PolicyUsageFilter) either. Groups, then
 * users, then roles; paged by position.
 */
async function listEntitiesForPolicy(store: Store, accountId: string, input: ListEntitiesForPolicyRequest): Promise<ListEntitiesForPolicyResponse> {
  const policy = await requirePolicy(store, accountId, input.PolicyArn);
  const wantedKind = input.EntityFilter === undefined ? undefined : ENTITY_FILTER_KIND[input.EntityFilter] ?? null;
  const kindOk = (kind: EntityKind) => wantedKind === undefined || wantedKind === kind;
  const found = new Map<string, EntityRef>(); // by kind/id, so an entity using it both ways is listed once

  if (input.PolicyUsageFilter !== 'PermissionsBoundary') {
    const attachments = await listAll<AttachmentRecord>(store, COLLECTIONS.attachments, `${accountId}/${policy.arn}/`);
    for (const { value } of attachments) {
      if (value.policyArn !== policy.arn || !kindOk(value.kind)) continue;
      const entity = await findEntity(store, accountId, value.kind, value.name);
      if (entity) found.set(`${entity.kind}/${entity.id}`, entity);
    }
  }
  if (input.PolicyUsageFilter !== 'PermissionsPolicy') {
    for (const kind of ['user', 'role'] as const) {
      if (!kindOk(kind)) continue;
      for (const { value } of await listAll<UserRecord | RoleRecord>(store, entityCollection(kind), `${accountId}/`)) {
        if (value.permissionsBoundary !== policy.arn) continue;
        const name = 'userName' in value ? value.userName : value.roleName;
        const entity = await findEntity(store, accountId, kind, name);
        if (entity) found.set(`${entity.kind}/${entity.id}`, entity);
      }
    }
  }

  const order: Record<EntityKind, number> = { group: 0, user: 1, role: 2 };
  const entities = [...found.values()]
    .filter((entity) => input.PathPrefix === undefined || entity.path.startsWith(input.PathPrefix))
    .sort((a, b) => order[a.kind] - order[b.kind] || compareNames(a.name, b.name));
  const page = positionPage(entities, input);
  const of = (kind: EntityKind) => page.items.filter((entity) => entity.kind === kind);
  return {
    PolicyGroups: of('group').map((entity) => ({ GroupName: entity.name, GroupId: entity.id })),
    PolicyUsers: of('user').map((entity) => ({ UserName: entity.name, UserId: entity.id })),
    PolicyRoles: of('role').map((entity) => ({ RoleName: entity.name, RoleId: entity.id })),
    IsTruncated: page.IsTruncated,
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

function compareNames(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

export const attachmentHandlers: Handlers<Operations> = {
  AttachUserPolicy: (input, context) => attachPolicy(context, 'user', input.UserName, input),
  AttachGroupPolicy: (input, context) => attachPolicy(context, 'group', input.GroupName, input),
  AttachRolePolicy: (input, context) => attachPolicy(context, 'role', input.RoleName, input),
  DetachUserPolicy: (input, context) => detachPolicy(context, 'user', input.UserName, input),
  DetachGroupPolicy: (input, context) => detachPolicy(context, 'group', input.GroupName, input),
  DetachRolePolicy: (input, context) => detachPolicy(context, 'role', input.RoleName, input),
  ListAttachedUserPolicies: (input, context) => listAttachedPolicies(context.store, context.principal.accountId, 'user', input.UserName, input),
  ListAttachedGroupPolicies: (input, context) =>
    listAttachedPolicies(context.store, context.principal.accountId, 'group', input.GroupName, input),
  ListAttachedRolePolicies: (input, context) => listAttachedPolicies(context.store, context.principal.accountId, 'role', input.RoleName, input),
  ListEntitiesForPolicy: (input, context) => listEntitiesForPolicy(context.store, context.principal.accountId, input),
};
