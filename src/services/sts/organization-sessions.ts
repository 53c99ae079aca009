// Sessions that need AWS Organizations: AssumeRoot (privileged root tasks on member
// accounts, for the management account or a delegated administrator with root
// sessions enabled) and GetDelegatedAccessToken (trading in a token issued for
// delegated access). Bulwark has no Organizations service yet: every account is
// outside any organization, so AssumeRoot is denied and no trade-in token is valid.
import { AwsError } from '../../protocol/errors.ts';
import type { AssumeRootRequest, AssumeRootResponse, GetDelegatedAccessTokenResponse } from '../../protocol/types/sts.ts';
import type { RequestContext } from '../service.ts';
import { accessDenied } from './errors.ts';

/** The AWS managed policies AssumeRoot accepts as TaskPolicyArn. */
export const ROOT_TASK_POLICIES = [
  'IAMAuditRootUserCredentials',
  'IAMCreateRootUserPassword',
  'IAMDeleteRootUserCredentials',
  'S3UnlockBucketPolicy',
  'SQSUnlockQueuePolicy',
].map((name) => `arn:aws:iam::aws:policy/root-task/${name}`);

function targetRootArn(target: string): string {
  return /^\d{12}$/.test(target) ? `arn:aws:iam::${target}:root` : target;
}

export function assumeRoot(input: AssumeRootRequest, { principal }: RequestContext): AssumeRootResponse {
  const resource = targetRootArn(input.TargetPrincipal);
  if (principal.type === 'Root') throw accessDenied(`User: ${principal.arn} is not authorized to perform: sts:AssumeRoot on resource: ${resource}`);
  if (!input.TaskPolicyArn.arn || !ROOT_TASK_POLICIES.includes(input.TaskPolicyArn.arn)) {
    throw accessDenied(`The TaskPolicyArn ${input.TaskPolicyArn.arn ?? ''} is not a root task policy.`);
  }
  throw accessDenied(
    `User: ${principal.arn} is not authorized to perform: sts:AssumeRoot on resource: ${resource} because account ${principal.accountId} is not the management account or a delegated administrator for centralized root access`,
  );
}

export function getDelegatedAccessToken(): GetDelegatedAccessTokenResponse {
  throw new AwsError('ExpiredTradeInTokenException', 'The trade-in token is expired or is not valid.');
}
