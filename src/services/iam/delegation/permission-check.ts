// GetDelegationRequest's DelegationPermissionCheck: does the caller hold every
// permission the request asks to delegate? AWS calls the answer approximate; Bulwark
// asks the policy engine about each action and resource the permission policy allows,
// and answers UNSURE where a wildcard, NotAction/NotResource or a condition leaves
// more than one request to consider.
import type { Principal } from '../../../auth/principal.ts';
import { evaluate } from '../../../policy/index.ts';
import type { permissionCheckResultType } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import { callerPolicies } from '../../principal-policies.ts';

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

const hasWildcard = (text: string) => /[*?]/.test(text);

export async function checkDelegatedPermissions(
  docs: Documents,
  principal: Principal,
  permissionPolicy: string,
  now: Date,
): Promise<permissionCheckResultType> {
  // The root user holds every permission of its account.
  if (principal.type === 'Root') return 'ALLOWED';
  const caller = await callerPolicies(docs, principal);
  const policy = JSON.parse(permissionPolicy) as { Statement?: Statement | Statement[] };
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement ?? {}];
  let unsure = false;
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotAction !== undefined || statement.NotResource !== undefined || statement.Condition !== undefined) unsure = true;
    for (const action of strings(statement.Action)) {
      for (const resource of strings(statement.Resource)) {
        const decision = evaluate(
          {
            principal: caller.principal,
            action,
            resource,
            // The delegated permissions act in the caller's (the owner's) account.
            resourceAccount: principal.accountId,
            context: { 'aws:CurrentTime': now.toISOString(), 'aws:PrincipalAccount': principal.accountId },
          },
          caller.policies,
        );
        if (decision.decision === 'Allow') continue;
        // A wildcard request the caller's policies do not match word for word says nothing definite.
        if (hasWildcard(action) || hasWildcard(resource)) unsure = true;
        else return 'DENIED';
      }
    }
  }
  return unsure ? 'UNSURE' : 'ALLOWED';
}
