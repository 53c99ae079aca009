// sts:AssumeRole: a session of a role, for a caller its trust policy allows.
import type { Principal } from '../../auth/principal.ts';
import type { ContextValue } from '../../policy/index.ts';
import type { AssumeRoleRequest, AssumeRoleResponse } from '../../protocol/types/sts.ts';
import type { RequestContext } from '../service.ts';
import { accessDenied, MESSAGES, notAuthorized } from './errors.ts';
import { callerCredential } from './credentials.ts';
import { checkMfa } from './mfa.ts';
import { startRoleSession } from './role-session.ts';
import {
  checkPackedSize,
  NO_SESSION_TAGS,
  roleSessionSeconds,
  sessionPolicyDocuments,
  sessionTags,
  type SessionTags,
} from './session-rules.ts';
import { callerFacts, deniedTrustAction, findRole, freshMfaContext, requestTagFacts } from './trust.ts';

const ASSUME_ROLE = 'sts:AssumeRole';

/** What a role session passes on when it assumes another role: its transitive tags. */
function inheritedTags(caller: Principal): SessionTags {
  if (caller.type !== 'AssumedRole' || !caller.transitiveTagKeys?.length) return NO_SESSION_TAGS;
  const tags: Record<string, string> = {};
  for (const key of caller.transitiveTagKeys) if (caller.sessionTags?.[key] !== undefined) tags[key] = caller.sessionTags[key];
  return { tags, transitiveKeys: [...caller.transitiveTagKeys] };
}

/** SourceIdentity is set once; a chained session keeps its caller's. */
function sourceIdentityOf(caller: Principal, requested: string | undefined): string | undefined {
  if (requested?.toLowerCase().startsWith('aws:')) throw accessDenied('SourceIdentity may not begin with "aws:".');
  const inherited = caller.type === 'AssumedRole' ? caller.sourceIdentity : undefined;
  if (inherited === undefined) return requested;
  if (requested !== undefined && requested !== inherited) throw accessDenied(MESSAGES.sourceIdentityChange);
  return inherited;
}

export async function assumeRole(input: AssumeRoleRequest, context: RequestContext): Promise<AssumeRoleResponse> {
  const caller = context.principal;
  const credential = await callerCredential(context.store, context.accessKeyId);
  // Root keys Bulwark issued are refused as on AWS; an unknown key (permissive mode's
  // stand-in for "any credentials") is let through as its account's root.
  if (caller.type === 'Root' && credential) throw accessDenied(MESSAGES.rootCannotAssume);
  if (caller.type === 'FederatedUser' || caller.type === 'Anonymous') throw notAuthorized(caller.arn, ASSUME_ROLE, input.RoleArn);

  const found = await findRole(context.store, input.RoleArn);
  if (!found) throw notAuthorized(caller.arn, ASSUME_ROLE, input.RoleArn);
  const { role } = found;
  const chained = caller.type === 'AssumedRole';

  const durationSeconds = roleSessionSeconds(input.DurationSeconds, role, chained);
  const mfaNow = await checkMfa(context.store, caller, input, context.now);
  const tags = sessionTags(input.Tags, input.TransitiveTagKeys, inheritedTags(caller));
  const sourceIdentity = sourceIdentityOf(caller, input.SourceIdentity);
  const sessionPolicies = await sessionPolicyDocuments(context.store, role.accountId, input);
  const policyArns = (input.PolicyArns ?? []).flatMap((descriptor) => (descriptor.arn ? [descriptor.arn] : []));
  const packedPolicySize = checkPackedSize(input.Policy, policyArns, tags.tags);

  const facts = await callerFacts(context, credential);
  const trustContext: Record<string, ContextValue> = {
    ...facts.context,
    ...(mfaNow ? freshMfaContext() : {}),
    ...requestTagFacts(tags.tags, input.TransitiveTagKeys),
    'sts:RoleSessionName': input.RoleSessionName,
  };
  if (input.ExternalId !== undefined) trustContext['sts:ExternalId'] = input.ExternalId;
  if (sourceIdentity !== undefined) trustContext['sts:SourceIdentity'] = sourceIdentity;
  const actions = [ASSUME_ROLE];
  if (Object.keys(tags.tags).length > 0) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  const denied = deniedTrustAction({ role, principal: facts.principal, actions, context: trustContext });
  if (denied) throw notAuthorized(caller.arn, denied, role.arn);

  const callerMfa = credential?.mfaAuthenticated === true;
  const session = await startRoleSession(context, {
    role,
    roleKey: found.key,
    sessionName: input.RoleSessionName,
    durationSeconds,
    sourceIdentity,
    tags,
    sessionPolicies,
    mfaAuthenticated: mfaNow || callerMfa,
    roleChain: chained ? [...(caller.roleChain ?? []), caller.roleArn] : undefined,
  });
  return {
    Credentials: session.Credentials,
    AssumedRoleUser: session.AssumedRoleUser,
    ...(packedPolicySize !== undefined ? { PackedPolicySize: packedPolicySize } : {}),
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  };
}
