// The authorize step: every operation's access declaration (what action on which
// resource) is decided by the policy engine with the caller's policies and AWS's
// global condition keys, before the handler runs. Nothing bypasses it; --iam-mode
// soft only turns a denial into a logged "would deny".
import type { AuthResult } from '../auth/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { CallAuthorization } from '../events/call-event.ts';
import type { Logger } from '../lib/log.ts';
import { compilePolicy, evaluate, explainDenial, type AuthorizationRequest, type ContextValue, type PolicySet } from '../policy/index.ts';
import { arnAccount } from '../policy/values/arn.ts';
import { AwsError } from '../protocol/errors.ts';
import type { AccessRequirement } from '../services/authorization.ts';
import { callerPolicies, organizationControls, type CallerPolicies, type OrganizationControls } from '../services/principal-policies.ts';
import { resourceConditionKeys, resourceControls } from '../services/resource-controls.ts';
import type { Store } from '../store/store.ts';

export type IamMode = 'enforce' | 'soft' | 'off';

/** What the record of a call keeps about its authorization. */
export type AuthorizationRecord = CallAuthorization;

export interface RequestFacts {
  auth: AuthResult;
  region: string;
  now: Date;
  sourceIp: string | undefined;
  userAgent: string | undefined;
  secureTransport: boolean;
  /** Query-family services answer AccessDenied, JSON ones AccessDeniedException. */
  flavor: 'query' | 'json';
}

export class Authorizer {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly mode: IamMode;
  // Callers' compiled policies and accounts' organization controls (for their
  // resources), kept until IAM or Organizations changes anything (generation bump).
  readonly #callers = new Map<string, Cached<CallerPolicies>>();
  readonly #accounts = new Map<string, Cached<OrganizationControls | undefined>>();
  #generation = 0;

  constructor(store: Store, logger: Logger, mode: IamMode) {
    this.#store = store;
    this.#logger = logger;
    this.mode = mode;
  }

  /** IAM or Organizations state changed: every cached policy set may be stale. */
  invalidate(): void {
    this.#generation++;
    this.#callers.clear();
    this.#accounts.clear();
  }

  /**
   * Decides each requirement, adding each decision to `records` (kept even when the
   * call is denied); throws AccessDenied on the first denial (unless soft).
   */
  async authorize(requirements: readonly AccessRequirement[], facts: RequestFacts, records: AuthorizationRecord[]): Promise<void> {
    if (this.mode === 'off' || requirements.length === 0) return;
    const caller = await this.#callerPolicies(facts.auth);
    const globalContext = globalConditionKeys(facts, caller);
    for (const requirement of requirements) {
      const resourceAccount = requirement.resourceAccount || accountOwning(requirement.resource) || facts.auth.principal.accountId;
      // The organization of the resource's account: its RCPs and aws:ResourceOrg* keys.
      const owner = requirement.resource === '*' ? undefined : await this.#organizationControls(resourceAccount);
      const request: AuthorizationRequest = {
        principal: caller.principal,
        action: requirement.action,
        resource: requirement.resource,
        resourceAccount,
        context: { ...globalContext, ...resourceConditionKeys(resourceAccount, owner), ...requirement.context },
      };
      const { resourcePolicy } = requirement;
      const policies: PolicySet = {
        ...caller.policies,
        ...(resourcePolicy
          ? { resource: compilePolicy(resourcePolicy.document, resourcePolicy.id), resourcePolicyRequired: requirement.resourcePolicyRequired ?? false }
          : {}),
        ...resourceControls(requirement, owner),
      };
      const decision = evaluate(request, policies);
      const allowed = decision.decision === 'Allow';
      records.push({ action: requirement.action, resource: requirement.resource, decision, enforced: this.mode === 'enforce' });
      if (allowed) continue;
      const message = explainDenial(decision, request);
      if (this.mode === 'soft') {
        this.#logger.warn('would deny', { action: requirement.action, resource: requirement.resource, reason: message });
        continue;
      }
      throw (
        requirement.onDenied?.() ??
        new AwsError(facts.flavor === 'query' ? 'AccessDenied' : 'AccessDeniedException', message, {
          status: 403,
          senderFault: true,
        })
      );
    }
  }

  #organizationControls(accountId: string): Promise<OrganizationControls | undefined> {
    return this.#cached(this.#accounts, accountId, () => organizationControls(this.#store, accountId));
  }

  #callerPolicies(auth: AuthResult): Promise<CallerPolicies> {
    const { principal } = auth;
    // Sessions with their own session policies differ per credential, not per ARN.
    const key = hasSessionPolicies(principal) ? `${principal.arn}\n${auth.accessKeyId}` : principal.arn;
    return this.#cached(this.#callers, key, () => callerPolicies(this.#store, principal, (accountId) => this.#organizationControls(accountId)));
  }

  /** The cached value of this generation, or a fresh one (kept unless a change came meanwhile). */
  async #cached<T>(cache: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const cached = cache.get(key);
    if (cached && cached.generation === this.#generation) return cached.value;
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation) cache.set(key, { generation, value });
    return value;
  }
}

interface Cached<T> {
  generation: number;
  value: T;
}

/** The account in a resource's ARN; none for "*" and for AWS's own resources (arn:aws:iam::aws:policy/...). */
function accountOwning(resource: string): string | undefined {
  const account = arnAccount(resource);
  return /^\d{12}$/.test(account) ? account : undefined;
}

function hasSessionPolicies(principal: Principal): boolean {
  return 'sessionPolicies' in principal && (principal.sessionPolicies?.length ?? 0) > 0;
}

const PRINCIPAL_TYPE: Record<Principal['type'], string> = {
  Root: 'Account',
  IAMUser: 'User',
  AssumedRole: 'AssumedRole',
  FederatedUser: 'FederatedUser',
  AWSService: 'AWSService',
  Anonymous: 'Anonymous',
};

/** AWS's global condition keys for this request (those that are present for it). */
function globalConditionKeys(facts: RequestFacts, caller: CallerPolicies): Record<string, ContextValue> {
  const { principal } = facts.auth;
  const context: Record<string, ContextValue> = {
    'aws:PrincipalArn': principal.type === 'AssumedRole' ? principal.roleArn : principal.arn,
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalType': PRINCIPAL_TYPE[principal.type],
    'aws:userid': principal.userId,
    'aws:CurrentTime': facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(facts.now.getTime() / 1000)),
    'aws:RequestedRegion': facts.region,
    'aws:SecureTransport': facts.secureTransport ? 'true' : 'false',
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
  };
  if (principal.type === 'IAMUser') context['aws:username'] = principal.userName;
  if (facts.sourceIp) context['aws:SourceIp'] = facts.sourceIp;
  if (facts.userAgent) context['aws:UserAgent'] = facts.userAgent;
  for (const [key, value] of Object.entries(caller.tags)) context[`aws:PrincipalTag/${key}`] = value;
  if (caller.organization) {
    context['aws:PrincipalOrgID'] = caller.organization.orgId;
    context['aws:PrincipalOrgPaths'] = caller.organization.orgPaths;
  }

  // Temporary credentials carry MFA and issue-time facts; long-term keys carry none.
  const credential = facts.auth.credential;
  if (credential?.sessionToken !== undefined) {
    const mfa = credential.mfaAuthenticated ?? (principal.type === 'AssumedRole' && principal.mfaAuthenticated === true);
    context['aws:MultiFactorAuthPresent'] = mfa ? 'true' : 'false';
    const issuedAt =
      principal.type === 'AssumedRole' || principal.type === 'FederatedUser' || principal.type === 'Root'
        ? principal.issuedAt
        : principal.type === 'IAMUser'
          ? principal.sessionIssuedAt
          : undefined;
    if (issuedAt) {
      context['aws:TokenIssueTime'] = issuedAt;
      if (mfa) context['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((facts.now.getTime() - Date.parse(issuedAt)) / 1000)));
    }
  }
  if (principal.type === 'AssumedRole' && principal.sourceIdentity) context['aws:SourceIdentity'] = principal.sourceIdentity;
  return context;
}
