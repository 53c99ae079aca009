// A role's trust policy decides who may assume it. It is evaluated with the policy
// engine as the role's resource policy, which must allow the caller on its own; the
// caller's identity-based permission for sts:AssumeRole is the enforcement layer's.
import type { Principal } from '../../auth/principal.ts';
import { compilePolicy, evaluate, type ContextValue, type RequestPrincipal } from '../../policy/index.ts';
import type { Documents } from '../../store/store.ts';
import { parseArn } from '../../policy/values/arn.ts';
import { callerPolicies, type OrganizationControls } from '../principal-policies.ts';
import { resourceConditionKeys, resourceControls } from '../resource-controls.ts';
import type { RequestContext } from '../service.ts';
import { COLLECTIONS, entityKey, type RoleRecord } from '../iam/records.ts';
import type { StoredCredential } from '../credentials.ts';
import { isoSeconds, isSessionCredential } from './credentials.ts';

/** The role an ARN names, if it exists (the path must match as well). */
export async function findRole(docs: Documents, roleArn: string): Promise<{ key: string; role: RoleRecord } | undefined> {
  const arn = parseArn(roleArn);
  if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/') || !/^\d{12}$/.test(arn.account)) return undefined;
  const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  const key = entityKey(arn.account, name);
  const role = await docs.get<RoleRecord>(COLLECTIONS.roles, key);
  if (!role || role.arn.toLowerCase() !== roleArn.toLowerCase()) return undefined;
  return { key, role };
}

export interface TrustQuestion {
  role: RoleRecord;
  principal: RequestPrincipal;
  /** sts:AssumeRole (or ...WithWebIdentity / ...WithSAML), plus sts:TagSession and sts:SetSourceIdentity when used. */
  actions: readonly string[];
  context: Record<string, ContextValue>;
  /**
   * The organization of the role's account, for the calls the authorizer does not see
   * (web identity, SAML): its RCPs bind who may assume the role.
   */
  owner?: OrganizationControls;
}

/** The first action the trust policy (or an RCP) does not allow, or undefined when they allow them all. */
export function deniedTrustAction(question: TrustQuestion): string | undefined {
  const trust = compilePolicy(question.role.assumeRolePolicyDocument, `${question.role.arn}#trust`);
  const { role, owner } = question;
  const context = { ...resourceConditionKeys(role.accountId, owner), ...question.context };
  for (const action of question.actions) {
    const decision = evaluate(
      { principal: question.principal, action, resource: role.arn, resourceAccount: role.accountId, context },
      { resource: trust, resourcePolicyRequired: true, ...resourceControls({ action, resource: role.arn }, owner) },
    );
    // The trust policy must allow, every RCP level too, and nothing may deny; when the
    // trust policy grants the caller's whole account, the caller's own policies must
    // also allow, which the enforcement layer checks before this handler runs.
    const rcp = decision.details.rcp;
    if (decision.decision === 'ExplicitDeny' || decision.details.resource !== 'allowed' || (rcp !== undefined && rcp !== 'allowed')) return action;
  }
  return undefined;
}

const PRINCIPAL_TYPE: Record<Principal['type'], string> = {
  Root: 'Account',
  IAMUser: 'User',
  AssumedRole: 'AssumedRole',
  FederatedUser: 'FederatedUser',
  AWSService: 'AWSService',
  Anonymous: 'Anonymous',
};

export interface CallerFacts {
  /** The caller as the policy engine names it. */
  principal: RequestPrincipal;
  /** Global condition keys describing the caller and the request. */
  context: Record<string, ContextValue>;
  /** aws:PrincipalTag values (role and session tags for sessions). */
  tags: Record<string, string>;
}

/**
 * What a trust policy may test about a signed caller: aws:PrincipalArn, aws:userid,
 * aws:PrincipalTag/*, MFA and token facts, the source IP and the time.
 */
export async function callerFacts(context: RequestContext, credential: StoredCredential | undefined): Promise<CallerFacts> {
  const { principal, now } = context;
  const policies = await callerPolicies(context.store, principal);
  const facts: Record<string, ContextValue> = {
    'aws:PrincipalArn': principal.type === 'AssumedRole' ? principal.roleArn : principal.arn,
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalType': PRINCIPAL_TYPE[principal.type],
    'aws:userid': principal.userId,
    'aws:CurrentTime': isoSeconds(now),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:RequestedRegion': context.region,
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
  };
  if (principal.type === 'IAMUser') facts['aws:username'] = principal.userName;
  if (context.sourceIp) facts['aws:SourceIp'] = context.sourceIp;
  for (const [key, value] of Object.entries(policies.tags)) facts[`aws:PrincipalTag/${key}`] = value;
  if (principal.type === 'AssumedRole' && principal.sourceIdentity) facts['aws:SourceIdentity'] = principal.sourceIdentity;
  if (isSessionCredential(credential)) {
    const mfa = credential?.mfaAuthenticated === true;
    facts['aws:MultiFactorAuthPresent'] = mfa ? 'true' : 'false';
    const issuedAt = sessionIssuedAt(principal);
    if (issuedAt) {
      facts['aws:TokenIssueTime'] = issuedAt;
      if (mfa) facts['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((now.getTime() - Date.parse(issuedAt)) / 1000)));
    }
  }
  return { principal: policies.principal, context: facts, tags: policies.tags };
}

function sessionIssuedAt(principal: Principal): string | undefined {
  switch (principal.type) {
    case 'AssumedRole':
    case 'FederatedUser':
      return principal.issuedAt;
    case 'IAMUser':
      return principal.sessionIssuedAt;
    default:
      return undefined;
  }
}

/** A successful MFA check in this very request: present, and zero seconds old. */
export function freshMfaContext(): Record<string, ContextValue> {
  return { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '0' };
}

/** aws:RequestTag/<key>, aws:TagKeys and sts:TransitiveTagKeys for the requested session tags. */
export function requestTagFacts(tags: Record<string, string>, transitiveKeys: readonly string[] | undefined): Record<string, ContextValue> {
  const facts: Record<string, ContextValue> = {};
  const keys = Object.keys(tags);
  for (const key of keys) facts[`aws:RequestTag/${key}`] = tags[key]!;
  if (keys.length > 0) facts['aws:TagKeys'] = keys;
  if (transitiveKeys && transitiveKeys.length > 0) facts['sts:TransitiveTagKeys'] = [...transitiveKeys];
  return facts;
}
