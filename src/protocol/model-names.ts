// The botocore model names of every service Bulwark speaks (vendored under models/).
export const MODEL_NAMES = [
  'accessanalyzer',
  'acm',
  'cloudtrail',
  'cloudwatch',
  'cognito-identity',
  'cognito-idp',
  'config',
  'ec2',
  'guardduty',
  'iam',
  'inspector2',
  'kms',
  'logs',
  'organizations',
  'secretsmanager',
  'securityhub',
  'shield',
  'ssm',
  'sts',
  'support',
  'trustedadvisor',
  'wafv2',
] as const;

export type ModelName = (typeof MODEL_NAMES)[number];
