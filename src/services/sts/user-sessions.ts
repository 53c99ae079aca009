// Sessions of an IAM user (or root) made from its long-term keys: GetSessionToken (the
// same user, optionally MFA-authenticated) and GetFederationToken (a federated user
// whose permissions are the user's, capped by the session policies).
import type { FederatedUserPrincipal, IamUserPrincipal, Principal, RootPrincipal } from '../../auth/principal.ts';
import type {
  GetFederationTokenRequest,
  GetFederationTokenResponse,
  GetSessionTokenRequest,
  GetSessionTokenResponse,
} from '../../protocol/types/sts.ts';
import type { RequestContext } from '../service.ts';
import { callerCredential, isSessionCredential, issueCredentials, isoSeconds } from './credentials.ts';
import { accessDenied, MESSAGES } from './errors.ts';
import { checkMfa } from './mfa.ts';
import { checkPackedSize, NO_SESSION_TAGS, sessionPolicyDocuments, sessionTags, userSessionSeconds } from './session-rules.ts';

type LongTermCaller = IamUserPrincipal | RootPrincipal;

/** The caller, if it signed with a long-term key of an IAM user or root; else AccessDenied with `message`. */
async function longTermCaller(context: RequestContext, message: string): Promise<LongTermCaller> {
  const caller: Principal = context.principal;
  if (caller.type !== 'IAMUser' && caller.type !== 'Root') throw accessDenied(message);
  if (isSessionCredential(await callerCredential(context.store, context.accessKeyId))) throw accessDenied(message);
  return caller;
}

export async function getSessionToken(input: GetSessionTokenRequest, context: RequestContext): Promise<GetSessionTokenResponse> {
  const caller = await longTermCaller(context, MESSAGES.sessionTokenWithSession);
  const durationSeconds = userSessionSeconds(input.DurationSeconds, caller.type === 'Root');
  const mfaAuthenticated = await checkMfa(context.store, caller, input, context.now);
  // The session acts as the very same user; only its credentials differ.
  const principal: LongTermCaller =
    caller.type === 'IAMUser' ? { ...caller, sessionIssuedAt: isoSeconds(context.now) } : { ...caller };
  const Credentials = await issueCredentials(context.store, { principal, now: context.now, durationSeconds, mfaAuthenticated });
  return { Credentials };
}

export function federatedUserArn(accountId: string, name: string): string {
  return `arn:aws:sts::${accountId}:federated-user/${name}`;
}

export async function getFederationToken(
  input: GetFederationTokenRequest,
  context: RequestContext,
): Promise<GetFederationTokenResponse> {
  const caller = await longTermCaller(context, MESSAGES.federationTokenWithSession);
  const { accountId } = caller;
  const durationSeconds = userSessionSeconds(input.DurationSeconds, caller.type === 'Root');
  const tags = sessionTags(input.Tags, undefined, NO_SESSION_TAGS);
  const sessionPolicies = await sessionPolicyDocuments(context.store, accountId, input);
  const policyArns = (input.PolicyArns ?? []).flatMap((descriptor) => (descriptor.arn ? [descriptor.arn] : []));
  const packedPolicySize = checkPackedSize(input.Policy, policyArns, tags.tags);

  const principal: FederatedUserPrincipal = {
    type: 'FederatedUser',
    accountId,
    arn: federatedUserArn(accountId, input.Name),
    userId: `${accountId}:${input.Name}`,
    federatedUserName: input.Name,
    callerArn: caller.arn,
    issuedAt: isoSeconds(context.now),
  };
  // Without a session policy a federated user may do nothing (principal-policies.ts).
  if (sessionPolicies.length > 0) principal.sessionPolicies = sessionPolicies;
  if (Object.keys(tags.tags).length > 0) principal.sessionTags = tags.tags;
  const Credentials = await issueCredentials(context.store, { principal, now: context.now, durationSeconds, mfaAuthenticated: false });
  return {
    Credentials,
    FederatedUser: { Arn: principal.arn, FederatedUserId: principal.userId },
    ...(packedPolicySize !== undefined ? { PackedPolicySize: packedPolicySize } : {}),
  };
}
