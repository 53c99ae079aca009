// Sessions that need AWS Organizations: AssumeRoot (privileged root tasks on member
// accounts, for the management account or IAM's delegated administrator, once the
// organization has centralized root access with root sessions enabled) and
// GetDelegatedAccessToken (trading in a token issued for delegated access, which
// Bulwark does not issue: no trade-in token is valid).
import { rootPrincipal, type RootPrincipal } from '../../auth/principal.ts';
import { loadManagedPolicies } from '../../policy/managed-policies.ts';
import { AwsError } from '../../protocol/errors.ts';
import type { AssumeRootRequest, AssumeRootResponse, GetDelegatedAccessTokenResponse } from '../../protocol/types/sts.ts';
import { hasTrustedAccess } from '../organizations/service-access.ts';
import { organizationOf } from '../organizations/shared.ts';
import { administersRootAccess, enabledFeatures, IAM_SERVICE_PRINCIPAL } from '../iam/root-access.ts';
import type { RequestContext } from '../service.ts';
import { issueCredentials, isoSeconds } from './credentials.ts';
import { accessDenied } from './errors.ts';

/** The AWS managed policies AssumeRoot accepts as TaskPolicyArn. */
export const ROOT_TASK_POLICIES = [
  'IAMAuditRootUserCredentials',
  'IAMCreateRootUserPassword',
  'IAMDeleteRootUserCredentials',
  'S3UnlockBucketPolicy',
  'SQSUnlockQueuePolicy',
].map((name) => `arn:aws:iam::aws:policy/root-task/${name}`);

/** A root session lasts at most 15 minutes, and that long by default. */
const ROOT_SESSION_SECONDS = 900;

/** TargetPrincipal: an account id, or the account's root ARN. */
function targetAccount(target: string): string | undefined {
  return /^\d{12}$/.test(target) ? target : /^arn:aws:iam::(\d{12}):root$/.exec(target)?.[1];
}

/** The root user TargetPrincipal names, as the resource of sts:AssumeRoot. */
export function targetRootArn(target: string): string {
  const accountId = targetAccount(target);
  return accountId ? `arn:aws:iam::${accountId}:root` : target;
}

/** Why the caller may not open a root session on the target, or undefined when it may. */
async function refusal(context: RequestContext, accountId: string | undefined): Promise<string | undefined> {
  const caller = context.principal.accountId;
  const org = await organizationOf(context.store, caller);
  if (!org || !administersRootAccess(org, caller)) {
    return `account ${caller} is not the management account or a delegated administrator for centralized root access`;
  }
  if (!hasTrustedAccess(org, IAM_SERVICE_PRINCIPAL) || !(await enabledFeatures(context.store, org)).includes('RootSessions')) {
    return `root sessions are not enabled for organization ${org.id}`;
  }
  if (accountId === undefined || !(accountId in org.accounts) || accountId === org.managementAccountId) {
    return 'the target is not a member account of the organization';
  }
  return undefined;
}

export async function assumeRoot(input: AssumeRootRequest, context: RequestContext): Promise<AssumeRootResponse> {
  const { principal } = context;
  const accountId = targetAccount(input.TargetPrincipal);
  const resource = targetRootArn(input.TargetPrincipal);
  const denied = (reason?: string) =>
    accessDenied(`User: ${principal.arn} is not authorized to perform: sts:AssumeRoot on resource: ${resource}${reason ? ` because ${reason}` : ''}`);
  // Root users cannot open root sessions.
  if (principal.type === 'Root') throw denied();
  const taskPolicyArn = input.TaskPolicyArn.arn;
  if (!taskPolicyArn || !ROOT_TASK_POLICIES.includes(taskPolicyArn)) {
    throw accessDenied(`The TaskPolicyArn ${taskPolicyArn ?? ''} is not a root task policy.`);
  }
  const reason = await refusal(context, accountId);
  if (reason) throw denied(reason);

  const taskPolicy = (await loadManagedPolicies()).getVersion(taskPolicyArn);
  if (!taskPolicy) throw new AwsError('InternalFailure', `The root task policy ${taskPolicyArn} is missing from Bulwark's catalog.`, { status: 500 });
  const session: RootPrincipal = { ...rootPrincipal(accountId!), sessionPolicies: [taskPolicy.document], issuedAt: isoSeconds(context.now) };
  const credentials = await issueCredentials(context.store, {
    principal: session,
    now: context.now,
    durationSeconds: input.DurationSeconds ?? ROOT_SESSION_SECONDS,
    mfaAuthenticated: false,
  });
  return { Credentials: credentials };
}

export function getDelegatedAccessToken(): GetDelegatedAccessTokenResponse {
  throw new AwsError('ExpiredTradeInTokenException', 'The trade-in token is expired or is not valid.');
}
