// IAM roles: CreateRole, GetRole, UpdateRole, UpdateRoleDescription,
// UpdateAssumeRolePolicy, DeleteRole, ListRoles and role tags. Service-linked roles
// (service-linked-roles.ts) are roles too, but only their service may change them.
import { validatePolicy } from '../../../policy/validate.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { iamArn, ID_PREFIX } from '../common.ts';
import { COLLECTIONS, entityKey, type RoleRecord } from '../records.ts';
import { preloadBoundaryCatalog, releaseBoundary, useAsBoundary } from './boundary.ts';
import { assertRoleDeletable } from './dependents.ts';
import { roleShape, roleWithLastUsed } from './shapes.ts';
import { accountOf, accountPrefix, checkQuota, duplicate, issueUniqueId, listPage, load, underPath } from './shared.ts';
import { checkRequestTags, mergeTags, removeTags, tagPage } from './tags.ts';

const ROLES = COLLECTIONS.roles;

/** AWS's default role session length, in seconds. */
export const DEFAULT_MAX_SESSION_DURATION = 3600;

export const roleHandlers: Handlers<Operations> = {
  async CreateRole(input, context) {
    const accountId = accountOf(context);
    checkRequestTags(input.Tags ?? []);
    await checkTrustPolicy(context.store, accountId, input.AssumeRolePolicyDocument);
    await preloadBoundaryCatalog(input.PermissionsBoundary);
    const role = await createRoleRecord(context, {
      roleName: input.RoleName,
      path: input.Path ?? '/',
      assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      permissionsBoundary: input.PermissionsBoundary,
      tags: (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value })),
    });
    return { Role: roleShape(role, 'full') };
  },

  async GetRole(input, context) {
    return { Role: roleWithLastUsed(await load(context.store, 'role', accountOf(context), input.RoleName)) };
  },

  async UpdateRole(input, context) {
    await updateRole(context, input.RoleName, (role) => {
      if (input.MaxSessionDuration !== undefined) assertModifiable(role);
      return {
        ...role,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.MaxSessionDuration !== undefined ? { maxSessionDuration: input.MaxSessionDuration } : {}),
      };
    });
    return {};
  },

  /** AWS lets a service-linked role's description change, not the rest of it. */
  async UpdateRoleDescription(input, context) {
    const role = await updateRole(context, input.RoleName, (role) => ({ ...role, description: input.Description }));
    return { Role: roleWithLastUsed(role) };
  },

  async UpdateAssumeRolePolicy(input, context) {
    const accountId = accountOf(context);
    assertModifiable(await load(context.store, 'role', accountId, input.RoleName));
    await checkTrustPolicy(context.store, accountId, input.PolicyDocument);
    await updateRole(context, input.RoleName, (role) => ({ ...role, assumeRolePolicyDocument: input.PolicyDocument }));
  },

  async DeleteRole(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const role = await load(tx, 'role', accountId, input.RoleName);
      assertModifiable(role);
      await assertRoleDeletable(tx, accountId, role.roleName);
      await removeRoleRecord(tx, role);
    });
  },

  async ListRoles(input, context) {
    const page = await listPage<RoleRecord>(
      context.store,
      ROLES,
      accountPrefix(accountOf(context)),
      input,
      underPath(input.PathPrefix),
    );
    return { Roles: page.items.map((role) => roleShape(role, 'listed')), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  async TagRole(input, context) {
    await updateRole(context, input.RoleName, (role) => ({ ...role, tags: mergeTags(role.tags, input.Tags, 'Role') }));
  },

  async UntagRole(input, context) {
    await updateRole(context, input.RoleName, (role) => ({ ...role, tags: removeTags(role.tags, input.TagKeys) }));
  },

  async ListRoleTags(input, context) {
    const role = await load(context.store, 'role', accountOf(context), input.RoleName);
    return tagPage(role.tags, input);
  },
};

export interface NewRole {
  roleName: string;
  path: string;
  assumeRolePolicyDocument: string;
  description: string | undefined;
  maxSessionDuration: number;
  permissionsBoundary?: string | undefined;
  tags: RoleRecord['tags'];
  serviceLinkedTo?: string;
}

/**
 * Stores a new role: unique name (case-insensitively), RolesPerAccount quota, a
 * registered AROA id, and a counted permissions boundary. `onDuplicate` lets
 * CreateServiceLinkedRole answer with its own message.
 */
export async function createRoleRecord(
  context: RequestContext,
  role: NewRole,
  onDuplicate: (name: string) => AwsError = (name) => duplicate('role', name),
): Promise<RoleRecord> {
  const accountId = accountOf(context);
  return context.store.transaction(async (tx) => {
    const key = entityKey(accountId, role.roleName);
    if (await tx.get(ROLES, key)) throw onDuplicate(role.roleName);
    await checkQuota(tx, ROLES, accountPrefix(accountId), 'RolesPerAccount');
    if (role.permissionsBoundary) await useAsBoundary(tx, accountId, role.permissionsBoundary);
    const record: RoleRecord = {
      accountId,
      roleName: role.roleName,
      roleId: await issueUniqueId(tx, ID_PREFIX.role, { accountId, kind: 'role', name: role.roleName }),
      path: role.path,
      arn: iamArn(accountId, 'role', role.path, role.roleName),
      createDate: context.now.toISOString(),
      tags: role.tags,
      assumeRolePolicyDocument: role.assumeRolePolicyDocument,
      maxSessionDuration: role.maxSessionDuration,
      ...(role.description !== undefined ? { description: role.description } : {}),
      ...(role.permissionsBoundary ? { permissionsBoundary: role.permissionsBoundary } : {}),
      ...(role.serviceLinkedTo ? { serviceLinkedTo: role.serviceLinkedTo } : {}),
    };
    await tx.put(ROLES, key, record);
    return record;
  });
}

/** Deletes the role record, its unique id and its boundary use (the caller checked conflicts). */
export async function removeRoleRecord(docs: Documents, role: RoleRecord): Promise<void> {
  await docs.delete(ROLES, entityKey(role.accountId, role.roleName));
  await docs.delete(COLLECTIONS.uniqueIds, role.roleId);
  if (role.permissionsBoundary) await releaseBoundary(docs, role.accountId, role.permissionsBoundary);
}

async function updateRole(context: RequestContext, roleName: string, change: (role: RoleRecord) => RoleRecord): Promise<RoleRecord> {
  const accountId = accountOf(context);
  return context.store.transaction(async (tx) => {
    const updated = change(await load(tx, 'role', accountId, roleName));
    await tx.put(ROLES, entityKey(accountId, updated.roleName), updated);
    return updated;
  });
}

/** Service-linked roles belong to their service: AWS answers UnmodifiableEntity (400). */
function assertModifiable(role: RoleRecord): void {
  if (role.serviceLinkedTo) {
    throw new AwsError(
      'UnmodifiableEntityException',
      `Cannot perform the operation on the protected role '${role.roleName}' - this role is only modifiable by AWS`,
    );
  }
}

/** A user or role ARN in the caller's own account, as a trust policy names it. */
const OWN_ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role)\/(?:[^/]*\/)*([^/]+)$/;

/**
 * Validates a trust policy as AWS does (MalformedPolicyDocument, or LimitExceeded past
 * ACLSizePerRole). IAM refuses a principal naming a user or role that does not exist;
 * Bulwark checks that for the caller's own account and accepts other accounts' ARNs.
 */
async function checkTrustPolicy(docs: Documents, accountId: string, document: string): Promise<void> {
  const existing = await existingOwnPrincipals(docs, accountId, document);
  const result = validatePolicy(document, 'trust', {
    sizeTarget: 'trust',
    principalExists: (arn) => {
      const match = OWN_ENTITY_ARN.exec(arn);
      return !match || match[1] !== accountId || existing.has(arn);
    },
  });
  if (!result.ok) throw new AwsError(result.code, result.message, { status: result.status });
}

/** The user and role ARNs of the caller's account that the document names and that exist. */
async function existingOwnPrincipals(docs: Documents, accountId: string, document: string): Promise<Set<string>> {
  const existing = new Set<string>();
  for (const arn of new Set(awsPrincipalStrings(document))) {
    const match = OWN_ENTITY_ARN.exec(arn);
    if (!match || match[1] !== accountId) continue;
    const collection = match[2] === 'user' ? COLLECTIONS.users : COLLECTIONS.roles;
    const record = await docs.get<{ arn: string }>(collection, entityKey(accountId, match[3]!));
    if (record?.arn === arn) existing.add(arn);
  }
  return existing;
}

/** Every string under Principal.AWS / NotPrincipal.AWS; nothing when the text is not JSON. */
function awsPrincipalStrings(document: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return [];
  }
  const statements = (parsed as { Statement?: unknown })?.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  const found: string[] = [];
  for (const statement of list) {
    for (const element of ['Principal', 'NotPrincipal']) {
      const aws = (statement as Record<string, { AWS?: unknown } | undefined> | null)?.[element]?.AWS;
      for (const value of Array.isArray(aws) ? aws : [aws]) if (typeof value === 'string') found.push(value);
    }
  }
  return found;
}
