// What each STS operation needs to be allowed. GetCallerIdentity and GetSessionToken
// need no permission at all, as on AWS (an explicit deny cannot stop them); the web
// identity and SAML operations are called without credentials, and the role's trust
// policy decides them.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
import type { ContextValue } from '../../policy/index.ts';
import { requestTagContext, type AccessDeclaration, type AccessRequirement } from '../authorization.ts';
import { targetRootArn } from './organization-sessions.ts';
import { findRole } from './trust.ts';

type Input = Record<string, unknown>;

const NONE: AccessDeclaration = () => [];

function assumeRoleContext(input: Input): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = { ...requestTagContext(input) };
  if (typeof input.RoleSessionName === 'string') context['sts:RoleSessionName'] = input.RoleSessionName;
  if (typeof input.ExternalId === 'string') context['sts:ExternalId'] = input.ExternalId;
  if (typeof input.SourceIdentity === 'string') context['sts:SourceIdentity'] = input.SourceIdentity;
  if (Array.isArray(input.TransitiveTagKeys)) context['sts:TransitiveTagKeys'] = input.TransitiveTagKeys as string[];
  return context;
}

export const stsAccess: Record<string, AccessDeclaration> = {
  GetCallerIdentity: NONE,
  GetSessionToken: NONE,
  AssumeRoleWithWebIdentity: NONE,
  AssumeRoleWithSAML: NONE,
  // The role's trust policy is the resource policy: within one account, a trust policy
  // naming the caller is enough on its own, as on AWS.
  AssumeRole: async (input, { store }) => {
    const roleArn = input.RoleArn as string;
    const found = await findRole(store, roleArn);
    const shared: Omit<AccessRequirement, 'action'> = {
      resource: roleArn,
      context: assumeRoleContext(input),
      ...(found ? { resourceAccount: found.role.accountId, resourcePolicy: { id: `${roleArn}#trust`, document: found.role.assumeRolePolicyDocument } } : {}),
    };
    const requirements: AccessRequirement[] = [{ action: 'sts:AssumeRole', ...shared }];
    if (Array.isArray(input.Tags) && input.Tags.length > 0) requirements.push({ action: 'sts:TagSession', ...shared });
    if (typeof input.SourceIdentity === 'string') requirements.push({ action: 'sts:SetSourceIdentity', ...shared });
    return requirements;
  },
  GetFederationToken: (input, { principal }) => [
    {
      action: 'sts:GetFederationToken',
      resource: `arn:aws:sts::${principal.accountId}:federated-user/${input.Name as string}`,
      context: requestTagContext(input),
    },
  ],
  GetAccessKeyInfo: () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
  DecodeAuthorizationMessage: () => [{ action: 'sts:DecodeAuthorizationMessage', resource: '*' }],
  // The member account's root is reached through the organization, not a resource
  // policy: the caller's own policies decide, as for a resource of its account.
  AssumeRoot: (input, { principal }) => [
    { action: 'sts:AssumeRoot', resource: targetRootArn(input.TargetPrincipal as string), resourceAccount: principal.accountId },
  ],
  GetDelegatedAccessToken: () => [{ action: 'sts:GetDelegatedAccessToken', resource: '*' }],
  GetWebIdentityToken: () => [{ action: 'sts:GetWebIdentityToken', resource: '*' }],
};
