// What can be wrong with a policy document, and the words AWS uses to say so.
// The checks report a Problem; the kind's dialect turns it into AWS's message.
// IAM has one message per problem; Organizations answers every malformed SCP or RCP
// with the same sentence.
//
// Sources for each message are in test/policy/fixtures/validation/*.json (`source`,
// and `verified: false` where no public record of the exact wording was found and the
// closest documented form is used).

export type Problem =
  | { code: 'invalidJson' }
  | { code: 'syntax' }
  | { code: 'legacyParsing' }
  | { code: 'invalidVersion' }
  | { code: 'principalNotAllowed' }
  | { code: 'prohibitedField'; field: string }
  | { code: 'missingField'; field: string }
  | { code: 'noActions' }
  | { code: 'noResources' }
  | { code: 'sidNotAlphanumeric' }
  | { code: 'sidNotUnique' }
  | { code: 'tooManyColons' }
  | { code: 'noNamespacePrefix' }
  | { code: 'vendorWildcard' }
  | { code: 'vendorInvalid'; vendor: string }
  | { code: 'resourceNotArn'; resource: string }
  | { code: 'partitionInvalid'; partition: string; resource: string }
  | { code: 'iamResourceRegion'; resource: string }
  | { code: 'invalidPrincipal'; family: string; value: string }
  | { code: 'trustActions' }
  | { code: 'conditionOperator'; operator: string }
  | { code: 'effectNotSupported' }
  | { code: 'serviceNotSupported'; service: string };

type Messages = { [C in Problem['code']]: (problem: Extract<Problem, { code: C }>) => string };

/** IAM's MalformedPolicyDocument messages (CreatePolicy, Put*Policy, CreateRole, ...). */
export const IAM_MESSAGES: Messages = {
  invalidJson: () => 'This policy contains invalid Json',
  syntax: () => 'Syntax errors in policy.',
  legacyParsing: () => 'The policy failed legacy parsing',
  invalidVersion: () => 'The policy must contain a valid version string',
  principalNotAllowed: () => 'Policy document should not specify a principal.',
  prohibitedField: (p) => `Has prohibited field ${p.field}`,
  missingField: (p) => `Missing required field ${p.field}`,
  noActions: () => 'Policy statement must contain actions.',
  noResources: () => 'Policy statement must contain resources.',
  sidNotAlphanumeric: () =>
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  sidNotUnique: () => 'Statement IDs (SID) in a single policy must be unique.',
  tooManyColons: () => 'Actions/Condition can contain only one colon.',
  noNamespacePrefix: () => 'Actions/Conditions must be prefixed by a valid namespace prefix.',
  vendorWildcard: () => 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.',
  vendorInvalid: (p) => `Vendor ${p.vendor} is not valid`,
  resourceNotArn: (p) => `Resource ${p.resource} must be in ARN format or "*".`,
  partitionInvalid: (p) => `Partition "${p.partition}" is not valid for resource "${p.resource}".`,
  iamResourceRegion: (p) => `IAM resource ${p.resource} cannot contain region information.`,
  invalidPrincipal: (p) => `Invalid principal in policy: "${p.family}":"${p.value}"`,
  trustActions: () => 'AssumeRole policy may only specify STS AssumeRole actions.',
  conditionOperator: (p) => `Invalid Condition type : ${p.operator}`,
  // Only reachable for RCPs, which Organizations validates; kept for completeness.
  effectNotSupported: () => 'The policy failed legacy parsing',
  serviceNotSupported: (p) => `Vendor ${p.service} is not valid`,
};

/** Organizations' MalformedPolicyDocumentException message, whatever the fault. */
export const ORGANIZATIONS_MESSAGE =
  'The provided policy document does not meet the requirements of the specified policy type.';

export function iamMessage(problem: Problem): string {
  const format = IAM_MESSAGES[problem.code] as (p: Problem) => string;
  return format(problem);
}
