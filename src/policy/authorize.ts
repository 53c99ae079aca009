// Combines the policy types into one decision, following AWS's policy evaluation logic:
// explicit deny anywhere wins; then resource control policies, service control policies,
// the resource-based policy, identity-based policies, the permissions boundary and the
// session policy, with the same-account and cross-account rules.
import type { CompiledPolicy, MatchedStatement, PolicyType } from './compile.ts';
import { ALLOWS, DENIES, EvaluationState, evaluatePolicies } from './evaluate.ts';
import { ACCOUNT_MATCH, DIRECT_MATCH, ROLE_MATCH } from './principal.ts';
import { prepareRequest, type AuthorizationRequest, type PreparedRequest } from './request.ts';

export type EvalDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** Per policy type, as IAM's EvalDecisionDetails reports it. */
export type TypeDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** What decided: a policy type, or `root` (the root user's default access). */
export type DecidingPolicy = PolicyType | 'root';

export interface PolicySet {
  /** The principal's inline, managed and group policies. */
  identity?: readonly CompiledPolicy[];
  /** The resource's policy (bucket policy, key policy, role trust policy, ...). */
  resource?: CompiledPolicy | readonly CompiledPolicy[];
  permissionsBoundary?: CompiledPolicy;
  /** Session policies passed to AssumeRole / GetFederationToken (inline and managed), or AssumeRoot's task policy. */
  session?: readonly CompiledPolicy[];
  /** SCPs of the principal's account, one list per level: root, OUs, account. Every level must allow. */
  scps?: readonly (readonly CompiledPolicy[])[];
  /** RCPs of the resource's account, one list per level. Every level must allow. */
  rcps?: readonly (readonly CompiledPolicy[])[];
  /** The resource policy must allow even within the account (KMS key policies, role trust policies). */
  resourcePolicyRequired?: boolean;
  /** SCPs do not apply to principals in the organization's management account. */
  principalInManagementAccount?: boolean;
  /** RCPs do not apply to resources in the organization's management account. */
  resourceInManagementAccount?: boolean;
  /** Neither SCPs nor RCPs apply to service-linked roles. */
  serviceLinkedRole?: boolean;
}

export interface Decision {
  decision: EvalDecision;
  /** The policy type whose deny (explicit or implicit) decided, or what granted access. */
  decidedBy: DecidingPolicy;
  matchedStatements: MatchedStatement[];
  missingContextKeys: string[];
  details: Partial<Record<PolicyType, TypeDecision>>;
  /** Undefined when no SCP or RCP applied (IAM's OrganizationsDecisionDetail). */
  allowedByOrganizations: boolean | undefined;
  /** Undefined when the principal has no boundary (IAM's PermissionsBoundaryDecisionDetail). */
  allowedByPermissionsBoundary: boolean | undefined;
  crossAccount: boolean;
}

const DENY_ORDER: readonly PolicyType[] = ['rcp', 'scp', 'resource', 'identity', 'boundary', 'session'];

export function evaluate(request: AuthorizationRequest, policies: PolicySet): Decision {
  const req = prepareRequest(request);
  const principal = req.principal;
  const hasIdentitySide = principal.type !== 'service' && principal.type !== 'anonymous' && principal.type !== 'federated';
  const isRoot = principal.type === 'root';
  const usesIdentityPolicies = hasIdentitySide && !isRoot; // root has none, nor a boundary
  const boundary = usesIdentityPolicies ? policies.permissionsBoundary : undefined;
  // A root session (sts:AssumeRoot) is capped by its task policy, as any session by its policy.
  const sessions = hasIdentitySide && policies.session && policies.session.length > 0 ? policies.session : undefined;
  const state = new EvaluationState(boundary !== undefined);
  const details: Partial<Record<PolicyType, TypeDecision>> = {};

  const rcps = policies.rcps;
  const rcpApplies =
    rcps !== undefined && rcps.length > 0 && principal.type !== 'service' && !policies.resourceInManagementAccount && !policies.serviceLinkedRole;
  const rcp = rcpApplies ? evaluateLevels(rcps, 'rcp', req, state) : 0;
  const scps = policies.scps;
  const scpApplies =
    scps !== undefined && scps.length > 0 && hasIdentitySide && !policies.principalInManagementAccount && !policies.serviceLinkedRole;
  const scp = scpApplies ? evaluateLevels(scps, 'scp', req, state) : 0;
  const resource = policies.resource === undefined ? -1 : evaluateAll(asList(policies.resource), 'resource', req, state);
  const identity = usesIdentityPolicies ? evaluateAll(policies.identity ?? [], 'identity', req, state) : -1;
  const bound = boundary ? evaluatePolicies(singletonList(boundary), 'boundary', req, state) : -1;
  const session = sessions ? evaluateAll(sessions, 'session', req, state) : -1;

  const bits: Record<PolicyType, number> = { rcp: rcpApplies ? rcp : -1, scp: scpApplies ? scp : -1, resource, identity, boundary: bound, session };
  for (const type of DENY_ORDER) if (bits[type] >= 0) details[type] = typeDecision(bits[type]);

  const crossAccount = req.principalAccount !== '' && req.principalAccount !== req.resourceAccount;
  const finish = (decision: EvalDecision, decidedBy: DecidingPolicy): Decision => ({
    decision,
    decidedBy,
    matchedStatements: state.matched,
    missingContextKeys: state.missing ?? [],
    details,
    allowedByOrganizations: rcpApplies || scpApplies ? (!rcpApplies || rcp === ALLOWS) && (!scpApplies || scp === ALLOWS) : undefined,
    allowedByPermissionsBoundary: boundary ? bound === ALLOWS : undefined,
    crossAccount,
  });

  for (const type of DENY_ORDER) if (bits[type] > 0 && (bits[type] & DENIES) !== 0) return finish('ExplicitDeny', type);
  if (rcpApplies && rcp !== ALLOWS) return finish('ImplicitDeny', 'rcp');
  if (scpApplies && scp !== ALLOWS) return finish('ImplicitDeny', 'scp');

  const resourceAllows = resource === ALLOWS;
  const boundaryCaps = bound >= 0 && bound !== ALLOWS;
  const sessionCaps = session >= 0 && session !== ALLOWS;
  if (!hasIdentitySide) return finish(resourceAllows ? 'Allow' : 'ImplicitDeny', 'resource');
  if (isRoot) {
    // Root needs no identity policy, but another account's resource, or a resource whose
    // policy must allow (a KMS key), still has to grant it.
    if ((crossAccount || policies.resourcePolicyRequired) && !resourceAllows) return finish('ImplicitDeny', 'resource');
    if (sessionCaps) return finish('ImplicitDeny', 'session');
    return finish('Allow', crossAccount || policies.resourcePolicyRequired ? 'resource' : 'root');
  }

  if (!crossAccount) {
    const grant = resourceAllows ? state.resourceAllowMatch : 0;
    // A grant naming the caller itself (user ARN, session ARN, "*") stands on its own.
    if (grant === DIRECT_MATCH) return finish('Allow', 'resource');
    // A grant naming the session's role is added before the session is made: the
    // boundary and session policy still cap it, but no identity policy is needed.
    if (grant === ROLE_MATCH) {
      if (boundaryCaps) return finish('ImplicitDeny', 'boundary');
      if (sessionCaps) return finish('ImplicitDeny', 'session');
      return finish('Allow', 'resource');
    }
    if (policies.resourcePolicyRequired && grant !== ACCOUNT_MATCH) return finish('ImplicitDeny', 'resource');
    // No grant, or a grant to the account, which delegates to identity-based policies.
  }
  if (identity !== ALLOWS) return finish('ImplicitDeny', 'identity');
  if (boundaryCaps) return finish('ImplicitDeny', 'boundary');
  if (sessionCaps) return finish('ImplicitDeny', 'session');
  if (crossAccount && !resourceAllows) return finish('ImplicitDeny', 'resource');
  return finish('Allow', 'identity');
}

function typeDecision(bits: number): TypeDecision {
  if (bits & DENIES) return 'explicitDeny';
  return bits & ALLOWS ? 'allowed' : 'implicitDeny';
}

function asList(resource: CompiledPolicy | readonly CompiledPolicy[]): readonly CompiledPolicy[] {
  return Array.isArray(resource) ? resource : singletonList(resource as CompiledPolicy);
}

const evaluateAll = evaluatePolicies;

const singletons = new WeakMap<CompiledPolicy, readonly CompiledPolicy[]>();

/** A one-policy list that stays the same object, so its candidates stay cached. */
function singletonList(policy: CompiledPolicy): readonly CompiledPolicy[] {
  let list = singletons.get(policy);
  if (!list) singletons.set(policy, (list = [policy]));
  return list;
}

/** ALLOWS when every level allows; DENIES when any statement denies. */
function evaluateLevels(
  levels: readonly (readonly CompiledPolicy[])[],
  type: PolicyType,
  req: PreparedRequest,
  state: EvaluationState,
): number {
  let allEach = true;
  let denies = 0;
  for (const level of levels) {
    const bits = evaluateAll(level, type, req, state);
    if ((bits & ALLOWS) === 0) allEach = false;
    denies |= bits & DENIES;
  }
  return denies | (allEach ? ALLOWS : 0);
}
