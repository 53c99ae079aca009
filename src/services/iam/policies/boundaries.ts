// Permissions boundaries: Put/Delete User/Role PermissionsBoundary. The boundary must
// be a managed policy this account can attach (customer managed here, or AWS managed
// but not a service-linked-role policy); each policy counts the entities using it as
// their boundary (PermissionsBoundaryUsageCount).
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { noSuchEntity } from '../common.ts';
import type { RoleRecord, UserRecord } from '../records.ts';
import {
  adjustUsage,
  assertModifiable,
  entityCollection,
  entityRecord,
  entityRef,
  findPolicy,
  MESSAGES,
  parsePolicyArn,
  type PolicyView,
} from './shared.ts';

type BoundedKind = 'user' | 'role';

/** The policy to use as a boundary, or NoSuchEntity ("Policy arn does not exist or is not attachable."). */
async function boundaryPolicy(docs: Documents, accountId: string, arn: string): Promise<PolicyView> {
  parsePolicyArn(arn);
  const policy = await findPolicy(docs, accountId, arn);
  if (!policy || (policy.scope === 'AWS' && policy.policy.serviceLinkedRolePolicy)) throw noSuchEntity(MESSAGES.notAttachable(arn));
  return policy;
}

/** Counts one use of a policy as a boundary (+1) or releases it (-1); a policy that is gone is skipped. */
export async function countBoundaryUse(docs: Documents, accountId: string, arn: string, delta: 1 | -1): Promise<void> {
  const policy = await findPolicy(docs, accountId, arn);
  if (policy) await adjustUsage(docs, accountId, policy, 'permissionsBoundaryUsageCount', delta);
}

async function putBoundary(context: RequestContext, kind: BoundedKind, name: string, arn: string): Promise<void> {
  const accountId = context.principal.accountId;
  await context.store.transaction(async (tx) => {
    const { key, record } = await entityRecord<UserRecord | RoleRecord>(tx, accountId, kind, name);
    assertModifiable(entityRef(kind, record));
    const policy = await boundaryPolicy(tx, accountId, arn);
    if (record.permissionsBoundary === arn) return;
    if (record.permissionsBoundary) await countBoundaryUse(tx, accountId, record.permissionsBoundary, -1);
    await adjustUsage(tx, accountId, policy, 'permissionsBoundaryUsageCount', 1);
    await tx.put(entityCollection(kind), key, { ...record, permissionsBoundary: arn });
  });
}

/** Removing a boundary the entity does not have is not an error (AWS answers 200). */
async function deleteBoundary(context: RequestContext, kind: BoundedKind, name: string): Promise<void> {
  const accountId = context.principal.accountId;
  await context.store.transaction(async (tx) => {
    const { key, record } = await entityRecord<UserRecord | RoleRecord>(tx, accountId, kind, name);
    assertModifiable(entityRef(kind, record));
    if (!record.permissionsBoundary) return;
    await countBoundaryUse(tx, accountId, record.permissionsBoundary, -1);
    const { permissionsBoundary: _removed, ...rest } = record;
    await tx.put(entityCollection(kind), key, rest);
  });
}

export const boundaryHandlers: Handlers<Operations> = {
  PutUserPermissionsBoundary: (input, context) => putBoundary(context, 'user', input.UserName, input.PermissionsBoundary),
  PutRolePermissionsBoundary: (input, context) => putBoundary(context, 'role', input.RoleName, input.PermissionsBoundary),
  DeleteUserPermissionsBoundary: (input, context) => deleteBoundary(context, 'user', input.UserName),
  DeleteRolePermissionsBoundary: (input, context) => deleteBoundary(context, 'role', input.RoleName),
};
