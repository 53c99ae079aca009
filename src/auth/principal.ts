// Who is calling: every identity type Bulwark knows, with the forms
// sts:GetCallerIdentity returns (account, ARN, user id). Data only.

interface PrincipalBase {
  accountId: string;
  arn: string;
  /** GetCallerIdentity's UserId: the account id for root, AIDA... for users, AROA...:session for roles. */
  userId: string;
}

export interface RootPrincipal extends PrincipalBase {
  type: 'Root';
  /** A root session from sts:AssumeRoot: the task policy that scopes it, and when it was issued. */
  sessionPolicies?: string[];
  issuedAt?: string;
}

export interface IamUserPrincipal extends PrincipalBase {
  type: 'IAMUser';
  userName: string;
  path: string;
  /** Session credentials from sts:GetSessionToken: when they were issued (aws:TokenIssueTime, aws:MultiFactorAuthAge). */
  sessionIssuedAt?: string;
}

export interface AssumedRolePrincipal extends PrincipalBase {
  type: 'AssumedRole';
  roleName: string;
  roleId: string;
  roleArn: string;
  rolePath: string;
  sessionName: string;
  issuedAt: string;
  sourceIdentity?: string;
  sessionTags?: Record<string, string>;
  mfaAuthenticated?: boolean;
  /** Session policies passed when the session was made (inline and managed documents): they cap it. */
  sessionPolicies?: string[];
  /** Session tag keys passed on to sessions this one assumes (role chaining). */
  transitiveTagKeys?: string[];
  /** The roles assumed before this one, oldest first, when the session came from role chaining. */
  roleChain?: string[];
  /** How the session was made: AssumeRole (default), AssumeRoleWithWebIdentity or AssumeRoleWithSAML. */
  federatedProvider?: string;
}

export interface FederatedUserPrincipal extends PrincipalBase {
  type: 'FederatedUser';
  federatedUserName: string;
  /** The IAM user whose credentials called GetFederationToken. */
  callerArn: string;
  issuedAt: string;
  /** The session policies of GetFederationToken: the federated user's permissions are their intersection with the caller's. */
  sessionPolicies?: string[];
  /** Session tags passed to GetFederationToken (aws:PrincipalTag/<key>). */
  sessionTags?: Record<string, string>;
}

export interface AwsServicePrincipal extends PrincipalBase {
  type: 'AWSService';
  /** e.g. 'cloudtrail.amazonaws.com'. */
  service: string;
}

export interface AnonymousPrincipal extends PrincipalBase {
  type: 'Anonymous';
}

export type Principal =
  | RootPrincipal
  | IamUserPrincipal
  | AssumedRolePrincipal
  | FederatedUserPrincipal
  | AwsServicePrincipal
  | AnonymousPrincipal;

export function rootPrincipal(accountId: string): RootPrincipal {
  return { type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
}

export function anonymousPrincipal(accountId: string): AnonymousPrincipal {
  return { type: 'Anonymous', accountId, arn: '*', userId: 'anonymous' };
}
