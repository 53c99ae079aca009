// What each operation needs to be allowed: the IAM action(s), the resource ARN(s) built
// from its input, and the condition keys the service adds. Every implemented operation
// declares this (a test checks it), so no operation can skip authorization; the server
// evaluates the declarations with the policy engine before the handler runs.
import type { ContextValue } from '../policy/index.ts';
import type { AwsError } from '../protocol/errors.ts';
import type { ModelName } from '../protocol/model-names.ts';
import type { RequestContext } from './service.ts';

export interface AccessRequirement {
  /** e.g. 'iam:CreateUser'. */
  action: string;
  /** The resource's ARN, or '*' for actions that take none. */
  resource: string;
  /** The account owning the resource; defaults to the caller's. */
  resourceAccount?: string;
  /** Condition keys the service adds (iam:PolicyARN, sts:ExternalId, aws:ResourceTag/k, ...). */
  context?: Record<string, ContextValue>;
  /** The resource's own policy (a role's trust policy, a key policy), evaluated with the caller's. */
  resourcePolicy?: { id: string; document: string };
  /**
   * The resource policy must allow even within the account (KMS key policies): IAM
   * policies count only where it delegates to the account.
   */
  resourcePolicyRequired?: boolean;
  /** The resource is AWS managed (an AWS managed KMS key): resource control policies do not apply to it. */
  awsManaged?: boolean;
  /**
   * The error a denial answers instead of AccessDenied: for a permission the service
   * needs for a dependency (Organizations' AccessDeniedForDependencyException).
   */
  onDenied?: () => AwsError;
}

export type AccessDeclaration = (
  input: Record<string, unknown>,
  context: RequestContext,
) => AccessRequirement[] | Promise<AccessRequirement[]>;

/** The IAM service prefix of each service's actions (as in the Service Authorization Reference). */
export const ACTION_PREFIX: Record<ModelName, string> = {
  accessanalyzer: 'access-analyzer',
  acm: 'acm',
  cloudtrail: 'cloudtrail',
  cloudwatch: 'cloudwatch',
  'cognito-identity': 'cognito-identity',
  'cognito-idp': 'cognito-idp',
  config: 'config',
  ec2: 'ec2',
  guardduty: 'guardduty',
  iam: 'iam',
  inspector2: 'inspector2',
  kms: 'kms',
  logs: 'logs',
  organizations: 'organizations',
  secretsmanager: 'secretsmanager',
  securityhub: 'securityhub',
  shield: 'shield',
  ssm: 'ssm',
  sts: 'sts',
  support: 'support',
  trustedadvisor: 'trustedadvisor',
  wafv2: 'wafv2',
};

/** An operation whose action is `<prefix>:<Operation>` on no particular resource. */
export function onAnyResource(model: ModelName, operation: string): AccessDeclaration {
  const action = `${ACTION_PREFIX[model]}:${operation}`;
  return () => [{ action, resource: '*' }];
}

/**
 * aws:RequestTag/<key> and aws:TagKeys from an operation's input, whichever form its
 * model uses: a list of {Key, Value} (IAM, STS, KMS's TagKey/TagValue), a map, or a
 * list of keys being removed.
 */
export function requestTagContext(input: Record<string, unknown>): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  const keys: string[] = [];
  const tags = input.Tags;
  if (Array.isArray(tags)) {
    for (const tag of tags as Record<string, unknown>[]) {
      const key = (tag.Key ?? tag.TagKey) as string | undefined;
      const value = (tag.Value ?? tag.TagValue ?? '') as string;
      if (typeof key !== 'string') continue;
      context[`aws:RequestTag/${key}`] = value;
      keys.push(key);
    }
  } else if (tags && typeof tags === 'object') {
    for (const [key, value] of Object.entries(tags as Record<string, string>)) {
      context[`aws:RequestTag/${key}`] = value;
      keys.push(key);
    }
  }
  if (Array.isArray(input.TagKeys)) keys.push(...(input.TagKeys as string[]));
  if (keys.length > 0) context['aws:TagKeys'] = keys;
  return context;
}
