// A role session, however it was asked for (AssumeRole, ...WithWebIdentity,
// ...WithSAML): its principal, its credentials, and the role's RoleLastUsed.
import type { AssumedRolePrincipal } from '../../auth/principal.ts';
import type { AssumedRoleUser, Credentials } from '../../protocol/types/sts.ts';
import type { RequestContext } from '../service.ts';
import { COLLECTIONS, type RoleRecord } from '../iam/records.ts';
import { issueCredentials, isoSeconds } from './credentials.ts';
import type { SessionTags } from './session-rules.ts';

export interface RoleSessionSpec {
  role: RoleRecord;
  roleKey: string;
  sessionName: string;
  durationSeconds: number;
  sourceIdentity?: string;
  tags: SessionTags;
  sessionPolicies: string[];
  mfaAuthenticated: boolean;
  /** Roles assumed before this one (role chaining), oldest first. */
  roleChain?: string[];
  /** The identity provider for web identity and SAML sessions. */
  federatedProvider?: string;
}

export function assumedRoleArn(role: RoleRecord, sessionName: string): string {
  return `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`;
}

export function rolePrincipal(spec: RoleSessionSpec, now: Date): AssumedRolePrincipal {
  const { role, sessionName } = spec;
  const principal: AssumedRolePrincipal = {
    type: 'AssumedRole',
    accountId: role.accountId,
    arn: assumedRoleArn(role, sessionName),
    userId: `${role.roleId}:${sessionName}`,
    roleName: role.roleName,
    roleId: role.roleId,
    roleArn: role.arn,
    rolePath: role.path,
    sessionName,
    issuedAt: isoSeconds(now),
    mfaAuthenticated: spec.mfaAuthenticated,
  };
  if (spec.sourceIdentity !== undefined) principal.sourceIdentity = spec.sourceIdentity;
  if (Object.keys(spec.tags.tags).length > 0) principal.sessionTags = spec.tags.tags;
  if (spec.tags.transitiveKeys.length > 0) principal.transitiveTagKeys = spec.tags.transitiveKeys;
  if (spec.sessionPolicies.length > 0) principal.sessionPolicies = spec.sessionPolicies;
  if (spec.roleChain && spec.roleChain.length > 0) principal.roleChain = spec.roleChain;
  if (spec.federatedProvider !== undefined) principal.federatedProvider = spec.federatedProvider;
  return principal;
}

export async function startRoleSession(
  context: RequestContext,
  spec: RoleSessionSpec,
): Promise<{ Credentials: Credentials; AssumedRoleUser: AssumedRoleUser; principal: AssumedRolePrincipal }> {
  const principal = rolePrincipal(spec, context.now);
  const credentials = await issueCredentials(context.store, {
    principal,
    now: context.now,
    durationSeconds: spec.durationSeconds,
    mfaAuthenticated: spec.mfaAuthenticated,
  });
  await recordRoleLastUsed(context, spec.roleKey);
  return { Credentials: credentials, AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn }, principal };
}

/** IAM's RoleLastUsed: when and in which region the role was last assumed. */
async function recordRoleLastUsed(context: RequestContext, roleKey: string): Promise<void> {
  await context.store.transaction(async (tx) => {
    const role = await tx.get<RoleRecord>(COLLECTIONS.roles, roleKey);
    if (!role) return; // deleted meanwhile: nothing to record
    await tx.put(COLLECTIONS.roles, roleKey, { ...role, lastUsed: { date: context.now.toISOString(), region: context.region } });
  });
}
