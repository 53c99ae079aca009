// Key policies: AWS's default key policy, validation of a caller's policy, and the
// policy lockout safety check (a new policy must still let the caller change it).
import type { Principal } from '../../auth/principal.ts';
import { compilePolicy, evaluate, validatePolicy } from '../../policy/index.ts';
import { AwsError } from '../../protocol/errors.ts';
import { callerPolicies } from '../principal-policies.ts';
import type { RequestContext } from '../service.ts';

/** The default key policy: the account's root gets kms:*, which delegates access to IAM policies. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    }],
  }, null, 2);
}

/** KMS's key policy quota is 32 KB. */
const MAX_KEY_POLICY_BYTES = 32768;

export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message);
}

/** Checks a caller-supplied key policy: well formed, and (unless bypassed) not locking the caller out. */
export async function checkKeyPolicy(context: RequestContext, policy: string, bypassLockoutCheck: boolean | undefined): Promise<void> {
  if (Buffer.byteLength(policy, 'utf8') > MAX_KEY_POLICY_BYTES) {
    throw new AwsError('LimitExceededException', `Policy size exceeds the maximum of ${MAX_KEY_POLICY_BYTES} bytes.`);
  }
  const validation = validatePolicy(policy, 'resource');
  if (!validation.ok) throw malformedPolicy(validation.message);
  if (!bypassLockoutCheck && !(await allowsCallerToPutPolicy(context.store, context.principal, policy))) {
    throw malformedPolicy('The new key policy will not allow you to update the key policy in the future.');
  }
}

// The safety check asks the key policy alone: identity policies are taken as allowing
// everything, so a statement for the account root (delegation to IAM) passes, as in AWS.
const IDENTITY_ALLOWS_ALL = compilePolicy(
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
  'kms-lockout-check',
);

async function allowsCallerToPutPolicy(store: RequestContext['store'], principal: Principal, policy: string): Promise<boolean> {
  const caller = await callerPolicies(store, principal);
  const decision = evaluate(
    { principal: caller.principal, action: 'kms:PutKeyPolicy', resource: '*', context: {} },
    { identity: [IDENTITY_ALLOWS_ALL], resource: compilePolicy(policy, 'new-key-policy'), resourcePolicyRequired: true },
  );
  return decision.decision === 'Allow';
}
