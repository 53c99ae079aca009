// A Decision in the shape of IAM's SimulatePrincipalPolicy / SimulateCustomPolicy
// EvaluationResult, for the IAM service to serialize.
import type { Decision } from './authorize.ts';
import type { MatchedStatement } from './compile.ts';
import type { AuthorizationRequest } from './request.ts';

/** IAM's PolicySourceType enum. */
export type PolicySourceType = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none';

export interface SimulatorEvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  MatchedStatements: { SourcePolicyId: string; SourcePolicyType: PolicySourceType }[];
  MissingContextValues: string[];
  OrganizationsDecisionDetail?: { AllowedByOrganizations: boolean };
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  EvalDecisionDetails: Record<string, 'allowed' | 'explicitDeny' | 'implicitDeny'>;
}

const EVAL_DECISION = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' } as const;

export function toSimulatorResult(
  decision: Decision,
  request: AuthorizationRequest,
  /** Which IAM source type a matched statement's policy is (user inline, group, managed, ...). */
  sourceType: (statement: MatchedStatement) => PolicySourceType = (s) => (s.policyType === 'resource' ? 'resource' : 'none'),
): SimulatorEvaluationResult {
  const result: SimulatorEvaluationResult = {
    EvalActionName: request.action,
    EvalResourceName: request.resource || '*',
    EvalDecision: EVAL_DECISION[decision.decision],
    MatchedStatements: decision.matchedStatements.map((s) => ({ SourcePolicyId: s.policyId, SourcePolicyType: sourceType(s) })),
    MissingContextValues: [...decision.missingContextKeys],
    EvalDecisionDetails: { ...decision.details },
  };
  if (decision.allowedByOrganizations !== undefined) {
    result.OrganizationsDecisionDetail = { AllowedByOrganizations: decision.allowedByOrganizations };
  }
  if (decision.allowedByPermissionsBoundary !== undefined) {
    result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: decision.allowedByPermissionsBoundary };
  }
  return result;
}
