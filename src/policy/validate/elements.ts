// Checks of single element values: an action, a resource ARN, a principal, a condition
// operator. Each returns the first Problem it finds, or undefined.
import type { Problem } from './problems.ts';
import { ASSUME_ROLE_ACTIONS } from './rules.ts';
import { wildcardMatcher } from '../values/wildcard.ts';

const WILDCARD = /[*?]/;
const VENDOR = /^[A-Za-z0-9-]+$/;

/** `service:action`, or `*`. */
export function checkAction(action: string): Problem | undefined {
  if (action === '*') return undefined;
  const colons = action.split(':').length - 1;
  if (colons === 0) return { code: 'noNamespacePrefix' };
  if (colons > 1) return { code: 'tooManyColons' };
  const vendor = action.slice(0, action.indexOf(':'));
  if (WILDCARD.test(vendor)) return { code: 'vendorWildcard' };
  if (!VENDOR.test(vendor)) return { code: 'vendorInvalid', vendor };
  return undefined;
}

/** Whether an Action pattern names only what a role trust policy may grant. */
export function isAssumeRoleAction(action: string): boolean {
  const matches = wildcardMatcher(action, 'plain', true);
  return ASSUME_ROLE_ACTIONS.some(matches);
}

/** The service prefix of an Action (`*` for `*`), lowercase. */
export function actionVendor(action: string): string {
  return action === '*' ? '*' : action.slice(0, action.indexOf(':')).toLowerCase();
}

/** `*` or an ARN: `arn:partition:service:region:account:resource`, in our partition. */
export function checkResource(resource: string, partition: string): Problem | undefined {
  if (resource === '*') return undefined;
  const parts = resource.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return { code: 'resourceNotArn', resource };
  const [, arnPartition, service, region] = parts;
  if (!WILDCARD.test(arnPartition) && arnPartition !== partition) {
    return { code: 'partitionInvalid', partition: arnPartition, resource };
  }
  // IAM is global: its ARNs have an empty region field.
  if (service === 'iam' && region !== '') return { code: 'iamResourceRegion', resource };
  return undefined;
}

export type PrincipalFamily = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** The families a Principal object may name; IAM reads the keys case-insensitively. */
export function principalFamily(key: string): PrincipalFamily | undefined {
  const families: Record<string, PrincipalFamily> = {
    aws: 'AWS',
    service: 'Service',
    federated: 'Federated',
    canonicaluser: 'CanonicalUser',
  };
  return families[key.toLowerCase()];
}

export interface PrincipalCheckOptions {
  partition: string;
  /** Asked for user and role ARNs: IAM refuses principals that do not exist. */
  principalExists?: (arn: string) => boolean;
}

const NAME = String.raw`[\w+=,.@-]+`;
const ACCOUNT = String.raw`\d{12}`;
const IAM_ENTITY = new RegExp(String.raw`^iam::${ACCOUNT}:(user|role)/(?:${NAME}/)*${NAME}$`);
const IAM_ROOT = new RegExp(String.raw`^iam::${ACCOUNT}:root$`);
const STS_SESSION = new RegExp(String.raw`^sts::${ACCOUNT}:(assumed-role/${NAME}/${NAME}|federated-user/${NAME})$`);
const CLOUDFRONT_OAI = /^iam::cloudfront:user\/CloudFront Origin Access Identity [A-Z0-9]+$/;
/** Unique ids of users and roles: what a policy shows once the principal it named is deleted. */
const UNIQUE_ID = /^(AIDA|AROA)[A-Z0-9]{12,}$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com|aws\.internal)$/;
const IDENTITY_PROVIDER = new RegExp(String.raw`^iam::${ACCOUNT}:(saml-provider|oidc-provider)/.+$`);
const WEB_IDENTITY_PROVIDERS = ['cognito-identity.amazonaws.com', 'www.amazon.com', 'graph.facebook.com', 'accounts.google.com'];
const CANONICAL_USER = /^[0-9a-f]{64}$/;

/** One principal value of a family. */
export function checkPrincipal(
  family: PrincipalFamily,
  value: string,
  options: PrincipalCheckOptions,
): Problem | undefined {
  const invalid: Problem = { code: 'invalidPrincipal', family: family === 'AWS' ? 'AWS' : family.toUpperCase(), value };
  const arnBody = arnWithin(value, options.partition);
  switch (family) {
    case 'AWS': {
      if (value === '*' || /^\d{12}$/.test(value) || UNIQUE_ID.test(value)) return undefined;
      if (arnBody === undefined) return invalid;
      if (IAM_ROOT.test(arnBody) || STS_SESSION.test(arnBody) || CLOUDFRONT_OAI.test(arnBody)) return undefined;
      if (!IAM_ENTITY.test(arnBody)) return invalid;
      return options.principalExists && !options.principalExists(value) ? invalid : undefined;
    }
    case 'Service':
      return SERVICE.test(value) ? undefined : invalid;
    case 'Federated':
      if (WEB_IDENTITY_PROVIDERS.includes(value)) return undefined;
      return arnBody !== undefined && IDENTITY_PROVIDER.test(arnBody) ? undefined : invalid;
    case 'CanonicalUser':
      return CANONICAL_USER.test(value) ? undefined : invalid;
  }
}

/** The part of `arn:<partition>:...` after the partition, when the partition is ours. */
function arnWithin(value: string, partition: string): string | undefined {
  const prefix = `arn:${partition}:`;
  return value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}

/** Every condition operator, without set qualifier or IfExists. */
const CONDITION_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

/** `[ForAllValues:|ForAnyValue:]Operator[IfExists]`; Null takes no IfExists. */
export function checkConditionOperator(operator: string): Problem | undefined {
  let base = operator.replace(/^(ForAllValues|ForAnyValue):/, '');
  if (base.endsWith('IfExists')) {
    base = base.slice(0, -'IfExists'.length);
    if (base === 'Null') return { code: 'conditionOperator', operator };
  }
  return CONDITION_OPERATORS.has(base) ? undefined : { code: 'conditionOperator', operator };
}

/** Condition keys are namespaced: `aws:SourceIp`, `s3:prefix`, `accounts.google.com:aud`. */
export function checkConditionKey(key: string): Problem | undefined {
  return key.includes(':') ? undefined : { code: 'noNamespacePrefix' };
}
