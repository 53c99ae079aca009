// The request being authorized, and its prepared form (lowercased action, context
// map, the principal's identities) computed once per request object.
import { contextMap, type ContextInput, type ContextMap } from './context.ts';
import { arnAccount, parseArn } from './values/arn.ts';

export type PrincipalType =
  | 'root' // the account root user
  | 'user' // an IAM user
  | 'assumed-role' // a role session (arn:aws:sts::ACCT:assumed-role/ROLE/SESSION)
  | 'federated-user' // a GetFederationToken session (arn:aws:sts::ACCT:federated-user/NAME)
  | 'service' // an AWS service principal (cloudtrail.amazonaws.com); arn holds its name
  | 'federated' // a web-identity or SAML caller; arn holds the provider
  | 'canonical-user' // an S3 canonical user id; arn holds the id
  | 'anonymous'; // an unauthenticated caller

export interface RequestPrincipal {
  type: PrincipalType;
  /** The caller's ARN (session ARN for role sessions); for service / federated callers, their name. */
  arn: string;
  /** Defaults to the account in the ARN. */
  accountId?: string;
  /** For role sessions: the role's ARN (with path). Derived from the session ARN when absent. */
  roleArn?: string;
}

export interface AuthorizationRequest {
  principal: RequestPrincipal;
  /** `service:Action`, e.g. `s3:GetObject`. */
  action: string;
  /** The resource ARN, or `*` for actions without a resource. */
  resource: string;
  /** The account that owns the resource. Defaults to the ARN's account, then the principal's. */
  resourceAccount?: string;
  context?: ContextInput | ContextMap;
}

/** Principal identities, as the canonical keys principal.ts compiles policy values to. */
export interface PrincipalIdentities {
  /** Keys that name this very caller (its ARN, service name, ...). */
  direct: string[];
  /** For role sessions: the key of the role. */
  role: string | undefined;
  /** The caller's account key, when it has one. */
  account: string | undefined;
}

export interface PreparedRequest {
  source: AuthorizationRequest;
  principal: RequestPrincipal;
  identities: PrincipalIdentities;
  principalAccount: string;
  action: string;
  actionLower: string;
  resource: string;
  resourceAccount: string;
  context: ContextMap;
}

const prepared = new WeakMap<AuthorizationRequest, PreparedRequest>();

/** The prepared form of a request; cached per request object (treat requests as immutable). */
export function prepareRequest(request: AuthorizationRequest): PreparedRequest {
  let ready = prepared.get(request);
  if (!ready) {
    ready = build(request);
    prepared.set(request, ready);
  }
  return ready;
}

function build(request: AuthorizationRequest): PreparedRequest {
  const principal = request.principal;
  const principalAccount = principal.accountId ?? arnAccount(principal.arn);
  const resource = request.resource || '*';
  return {
    source: request,
    principal,
    identities: identitiesOf(principal, principalAccount),
    principalAccount,
    action: request.action,
    actionLower: request.action.toLowerCase(),
    resource,
    resourceAccount: request.resourceAccount || arnAccount(resource) || principalAccount,
    context: contextMap(request.context),
  };
}

export function accountKey(account: string): string {
  return 'acct:' + account;
}

export function arnKey(arn: string): string {
  return 'arn:' + arn;
}

/** Roles are keyed by partition, account and name: a session ARN carries no path. */
export function roleKey(partition: string, account: string, name: string): string {
  return `role:${partition}:${account}:${name}`;
}

export function serviceKey(name: string): string {
  return 'svc:' + name.toLowerCase();
}

function identitiesOf(principal: RequestPrincipal, account: string): PrincipalIdentities {
  const accountId = account ? accountKey(account) : undefined;
  switch (principal.type) {
    case 'root':
      return { direct: [accountKey(account), arnKey(principal.arn)], role: undefined, account: accountId };
    case 'assumed-role':
      return { direct: [arnKey(principal.arn)], role: sessionRoleKey(principal), account: accountId };
    case 'user':
    case 'federated-user':
      return { direct: [arnKey(principal.arn)], role: undefined, account: accountId };
    case 'service':
      return { direct: [serviceKey(principal.arn)], role: undefined, account: undefined };
    case 'federated':
      return { direct: ['fed:' + principal.arn], role: undefined, account: undefined };
    case 'canonical-user':
      return { direct: ['cu:' + principal.arn], role: undefined, account: accountId };
    case 'anonymous':
      return { direct: [], role: undefined, account: undefined };
  }
}

function sessionRoleKey(principal: RequestPrincipal): string | undefined {
  if (principal.roleArn) {
    const role = parseArn(principal.roleArn);
    if (role) return roleKey(role.partition, role.account, role.resource.slice(role.resource.lastIndexOf('/') + 1));
  }
  const session = parseArn(principal.arn); // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
  if (!session || !session.resource.startsWith('assumed-role/')) return undefined;
  const [, name] = session.resource.split('/');
  return roleKey(session.partition, session.account, name);
}
