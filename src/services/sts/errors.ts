// STS's errors with AWS's wording, in one table so the handlers read as rules.
import { AwsError } from '../../protocol/errors.ts';

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, { status: 403, senderFault: true });
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, { status: 400, senderFault: true });
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message, { status: 400, senderFault: true });
}

/** The denial of a role's trust policy (and of a role that does not exist: AWS does not tell them apart). */
export function notAuthorized(callerArn: string, action: string, resource: string): AwsError {
  return accessDenied(`User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`);
}

export const MESSAGES = {
  rootCannotAssume: 'Roles may not be assumed by root accounts.',
  durationExceedsRoleMax: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  durationExceedsChainLimit: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  sessionTokenWithSession: 'Cannot call GetSessionToken with session credentials',
  federationTokenWithSession: 'Cannot call GetFederationToken with session credentials',
  mfaInvalidCode: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
  mfaUnknownDevice:
    'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
  mfaIncomplete: 'MultiFactorAuthentication failed, both SerialNumber and TokenCode are required.',
  packedPolicy: (percent: number) => `Packed policy consumes ${percent}% of allotted space, please use smaller policy for your session.`,
  packedTags: (percent: number) => `Packed size of session tags consumes ${percent}% of allotted space.`,
  tooManyPolicyArns: (count: number) =>
    `1 validation error detected: Value '${count}' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10`,
  policyArnNotFound: (arn: string) => `Policy ${arn} does not exist or is not attachable.`,
  duplicateTagKeys: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  transitiveKeyNotTagged: 'The specified transitive tag key must be included in the requested tags.',
  transitiveTagOverride: (key: string) => `One or more of the specified session tags (${key}) conflict with transitive tags from the calling session.`,
  sourceIdentityChange: 'SourceIdentity cannot be changed once set: the calling session already has one.',
  reservedTagKey: 'Tag keys may not begin with "aws:".',
} as const;
