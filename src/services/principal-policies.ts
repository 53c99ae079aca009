// The policies that apply to a caller, compiled for the policy engine: an IAM user's
// (its own and its groups'), a role session's (the role's, capped by the session's
// policies), a federated user's (the calling user's, capped by the session's), each
// with its permissions boundary, and the principal's tags for aws:PrincipalTag/<key>.
import type { Principal } from '../auth/principal.ts';
import { compilePolicy, type CompiledPolicy, type PolicySet, type RequestPrincipal } from '../policy/index.ts';
import type { Documents } from '../store/store.ts';
import { policiesForPrincipal, type PrincipalPolicies } from './iam/policies.ts';
import { COLLECTIONS, entityKey, type Tag } from './iam/records.ts';
import { organizationPolicies, type LevelPolicy, type OrganizationPolicies } from './organizations/enforcement.ts';

export interface CallerPolicies {
  /** The caller as the policy engine names it. */
  principal: RequestPrincipal;
  policies: PolicySet;
  /** aws:PrincipalTag/<key> values. */
  tags: Record<string, string>;
  /** aws:PrincipalOrgID and aws:PrincipalOrgPaths, when the caller's account is in an organization. */
  organization?: { orgId: string; orgPaths: string[] };
}

/** What an organization imposes on one of its accounts (OrganizationPolicies), compiled for the policy engine. */
export type OrganizationControls = Omit<OrganizationPolicies, 'scps' | 'rcps'> & {
  scps?: CompiledPolicy[][];
  rcps?: CompiledPolicy[][];
};

function compileLevels(levels: LevelPolicy[][] | undefined): CompiledPolicy[][] | undefined {
  return levels?.map((level) => level.map((policy) => compilePolicy(policy.document, policy.id)));
}

/** The SCPs and RCPs that apply to an account; undefined when it is in no organization. */
export async function organizationControls(store: Documents, accountId: string): Promise<OrganizationControls | undefined> {
  const organization = await organizationPolicies(store, accountId);
  if (!organization) return undefined;
  const scps = compileLevels(organization.scps);
  const rcps = compileLevels(organization.rcps);
  return {
    ...(scps ? { scps } : {}),
    ...(rcps ? { rcps } : {}),
    managementAccount: organization.managementAccount,
    orgId: organization.orgId,
    orgPaths: organization.orgPaths,
  };
}

/**
 * Everything that governs the caller: its identity-side policies and, when its account
 * is in an organization, the SCPs from the root down to the account (every level must
 * allow; the management account and service-linked roles are exempt).
 */
export async function callerPolicies(
  store: Documents,
  principal: Principal,
  // The server passes its per-account cache, which also serves the RCPs of resources' accounts.
  controlsOf: (accountId: string) => Promise<OrganizationControls | undefined> = (accountId) => organizationControls(store, accountId),
): Promise<CallerPolicies> {
  const [caller, organization] = await Promise.all([identitySide(store, principal), controlsOf(principal.accountId)]);
  // Neither SCPs nor RCPs restrict service-linked roles, wherever their account is.
  const serviceLinkedRole = principal.type === 'AssumedRole' && principal.rolePath.startsWith('/aws-service-role/');
  const policies: PolicySet = { ...caller.policies, ...(serviceLinkedRole ? { serviceLinkedRole } : {}) };
  if (!organization) return { ...caller, policies };
  return {
    ...caller,
    policies: {
      ...policies,
      ...(organization.scps ? { scps: organization.scps } : {}),
      principalInManagementAccount: organization.managementAccount,
    },
    organization: { orgId: organization.orgId, orgPaths: organization.orgPaths },
  };
}

function compileAll(principalPolicies: PrincipalPolicies): Pick<PolicySet, 'identity' | 'permissionsBoundary'> {
  return {
    identity: principalPolicies.identity.map((policy) => compilePolicy(policy.document, policy.id)),
    ...(principalPolicies.boundary
      ? { permissionsBoundary: compilePolicy(principalPolicies.boundary.document, principalPolicies.boundary.arn) }
      : {}),
  };
}

function sessionPolicies(documents: readonly string[] | undefined): CompiledPolicy[] | undefined {
  if (!documents || documents.length === 0) return undefined;
  return documents.map((document, index) => compilePolicy(document, `session-policy-${index + 1}`));
}

/** A session policy that allows nothing (an action no service has). */
const NO_PERMISSIONS = compilePolicy(
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bulwark:NoPermissions","Resource":"*"}]}',
  'no-session-policy',
);

const ALLOW_ALL = compilePolicy(
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
  'root-caller',
);

async function entityTags(store: Documents, collection: string, accountId: string, name: string): Promise<Record<string, string>> {
  const record = await store.get<{ tags?: Tag[] }>(collection, entityKey(accountId, name));
  return Object.fromEntries((record?.tags ?? []).map((tag) => [tag.Key, tag.Value]));
}

async function identitySide(store: Documents, principal: Principal): Promise<CallerPolicies> {
  const { accountId } = principal;
  switch (principal.type) {
    case 'Root': {
      // A root session (AssumeRoot) keeps root's access within what its task policy leaves.
      const task = sessionPolicies(principal.sessionPolicies);
      return { principal: { type: 'root', arn: principal.arn, accountId }, policies: task ? { session: [ALLOW_ALL, ...task] } : {}, tags: {} };
    }
    case 'IAMUser': {
      const [policies, tags] = await Promise.all([
        policiesForPrincipal(store, accountId, 'user', principal.userName),
        entityTags(store, COLLECTIONS.users, accountId, principal.userName),
      ]);
      return { principal: { type: 'user', arn: principal.arn, accountId }, policies: compileAll(policies), tags };
    }
    case 'AssumedRole': {
      const [policies, roleTags] = await Promise.all([
        policiesForPrincipal(store, accountId, 'role', principal.roleName),
        entityTags(store, COLLECTIONS.roles, accountId, principal.roleName),
      ]);
      const session = sessionPolicies(principal.sessionPolicies);
      return {
        principal: { type: 'assumed-role', arn: principal.arn, accountId, roleArn: principal.roleArn },
        policies: { ...compileAll(policies), ...(session ? { session } : {}) },
        // Session tags win over the role's tags with the same key.
        tags: { ...roleTags, ...(principal.sessionTags ?? {}) },
      };
    }
    case 'FederatedUser': {
      // Without a session policy a federated user has no permissions at all.
      const session = sessionPolicies(principal.sessionPolicies) ?? [NO_PERMISSIONS];
      const federated = { type: 'federated-user' as const, arn: principal.arn, accountId };
      // Root may call GetFederationToken: its federated users are capped only by the session policy.
      if (principal.callerArn.endsWith(':root')) {
        return { principal: federated, policies: { identity: [ALLOW_ALL], session }, tags: principal.sessionTags ?? {} };
      }
      const callerName = principal.callerArn.slice(principal.callerArn.lastIndexOf('/') + 1);
      const [policies, userTags] = await Promise.all([
        policiesForPrincipal(store, accountId, 'user', callerName),
        entityTags(store, COLLECTIONS.users, accountId, callerName),
      ]);
      return {
        principal: federated,
        policies: { ...compileAll(policies), session },
        tags: { ...userTags, ...(principal.sessionTags ?? {}) },
      };
    }
    case 'AWSService':
      return { principal: { type: 'service', arn: principal.service, accountId }, policies: {}, tags: {} };
    case 'Anonymous':
      return { principal: { type: 'anonymous', arn: '*', accountId }, policies: {}, tags: {} };
  }
}
