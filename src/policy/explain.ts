// AWS's access-denied wording: "User: ARN is not authorized to perform: ACTION on
// resource: RESOURCE because no identity-based policy allows the ACTION action", or
// "... with an explicit deny in a service control policy[: POLICY-ARN]".
import type { Decision } from './authorize.ts';
import type { PolicyType } from './compile.ts';
import type { AuthorizationRequest } from './request.ts';

/** How AWS names each policy type in a denial message. */
export const POLICY_TYPE_LABELS: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
};

export interface ExplainOptions {
  /**
   * Name the denying policy's ARN after an explicit deny, as AWS does for requests within
   * one account or organization (only when the policy's id is an ARN).
   */
  includePolicyArn?: boolean;
}

/** The reason clause alone: "because no ... allows the X action" / "with an explicit deny in a ...". */
export function denialReason(decision: Decision, action: string, options: ExplainOptions = {}): string {
  if (decision.decision === 'Allow' || decision.decidedBy === 'root') return '';
  const type = decision.decidedBy;
  const label = POLICY_TYPE_LABELS[type];
  if (decision.decision === 'ImplicitDeny') return `because no ${label} allows the ${action} action`;
  const clause = `with an explicit deny in ${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}`;
  if (!options.includePolicyArn || decision.crossAccount) return clause;
  const denying = decision.matchedStatements.find((s) => s.policyType === type && s.effect === 'Deny');
  return denying && denying.policyId.startsWith('arn:') ? `${clause}: ${denying.policyId}` : clause;
}

/** The whole message AWS puts in an AccessDenied error; '' for an allowed request. */
export function explainDenial(decision: Decision, request: AuthorizationRequest, options: ExplainOptions = {}): string {
  if (decision.decision === 'Allow') return '';
  const onResource = request.resource && request.resource !== '*' ? ` on resource: ${request.resource}` : '';
  const reason = denialReason(decision, request.action, options);
  return `User: ${request.principal.arn} is not authorized to perform: ${request.action}${onResource}${reason ? ' ' + reason : ''}`;
}
