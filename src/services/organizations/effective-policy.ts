// Effective management policies: DescribeEffectivePolicy, and the problems met while
// merging them (ListEffectivePolicyValidationErrors, ListAccountsWithInvalidEffectivePolicy).
// The merge itself is policy-inheritance.ts.
import type { RequestContext } from '../service.ts';
import { requireAccount } from './accounts.ts';
import { mayReadOrganization } from './delegation.ts';
import { policyLevels } from './enforcement.ts';
import { accessDenied, effectivePolicyNotFound, invalidInput, targetNotFound } from './errors.ts';
import { effectivePolicy, type EffectivePolicyResult, type InheritedPolicy, type Json } from './policy-inheritance.ts';
import type { OrganizationRecord } from './records.ts';
import { accountShape, callerOrganization, managedOrganization, page, pathOf } from './shared.ts';

interface PageInput {
  NextToken?: string;
  MaxResults?: number;
}

/** The account's effective policy of a type; EffectivePolicyNotFoundException when the type is off or nothing applies. */
export function accountEffectivePolicy(org: OrganizationRecord, accountId: string, type: string): EffectivePolicyResult {
  if (!org.enabledPolicyTypes.includes(type)) throw effectivePolicyNotFound();
  const levels = policyLevels(org, accountId, type).map((level) =>
    level.map(({ id, document }): InheritedPolicy => ({ id, content: JSON.parse(document) as Json })),
  );
  if (levels.every((policies) => policies.length === 0)) throw effectivePolicyNotFound();
  return effectivePolicy(levels);
}

function hasProblems(org: OrganizationRecord, accountId: string, type: string): boolean {
  try {
    return accountEffectivePolicy(org, accountId, type).problems.length > 0;
  } catch {
    return false; // no effective policy: nothing invalid
  }
}

/**
 * Any member may ask about its own account; naming another account takes the
 * management account, a delegated administrator or the delegation policy.
 */
function requireTargetAccount(org: OrganizationRecord, context: RequestContext, targetId: string): string {
  if (/^(r|ou)-/.test(targetId)) throw invalidInput('TARGET_NOT_SUPPORTED', "You can't perform the specified operation on that target entity.");
  if (targetId !== context.principal.accountId && !mayReadOrganization(org, context.principal.accountId)) throw accessDenied();
  if (!(targetId in org.accounts)) throw targetNotFound();
  return targetId;
}

export const effectivePolicyHandlers = {
  async DescribeEffectivePolicy(input: { PolicyType: string; TargetId?: string }, context: RequestContext) {
    const org = await callerOrganization(context.store, context);
    const accountId = requireTargetAccount(org, context, input.TargetId ?? context.principal.accountId);
    const { policy } = accountEffectivePolicy(org, accountId, input.PolicyType);
    return { EffectivePolicy: { PolicyContent: JSON.stringify(policy), TargetId: accountId, PolicyType: input.PolicyType } };
  },

  async ListEffectivePolicyValidationErrors(input: { AccountId: string; PolicyType: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    requireAccount(org, input.AccountId);
    const { problems } = accountEffectivePolicy(org, input.AccountId, input.PolicyType);
    const { items, NextToken } = page(problems, input);
    return {
      AccountId: input.AccountId,
      PolicyType: input.PolicyType,
      Path: pathOf(org, input.AccountId),
      EvaluationTimestamp: context.now,
      EffectivePolicyValidationErrors: items.map((problem) => ({
        ErrorCode: problem.code,
        ErrorMessage: problem.message,
        PathToError: problem.path,
        ContributingPolicies: [problem.policyId],
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  },

  async ListAccountsWithInvalidEffectivePolicy(input: { PolicyType: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    if (!org.enabledPolicyTypes.includes(input.PolicyType)) throw effectivePolicyNotFound();
    const invalid = Object.values(org.accounts).filter((account) => hasProblems(org, account.id, input.PolicyType));
    const { items, NextToken } = page(invalid, input);
    return {
      Accounts: items.map((account) => accountShape(org, account, context.now)),
      PolicyType: input.PolicyType,
      ...(NextToken ? { NextToken } : {}),
    };
  },
};
