// Evaluates one compiled policy against a prepared request: which statements apply,
// and whether the policy allows and / or denies.
import { clauseMatches, type MissingKeySink } from './conditions/clause.ts';
import { matchedStatementRef, type CompiledPolicy, type CompiledStatement, type MatchedStatement, type PolicyType } from './compile.ts';
import { DIRECT_MATCH, matchPrincipal, NO_MATCH, notPrincipalApplies, type PrincipalMatch } from './principal.ts';
import type { PreparedRequest } from './request.ts';

export const ALLOWS = 1;
export const DENIES = 2;

/** What one evaluation collects as it goes (one per decision). */
export class EvaluationState implements MissingKeySink {
  readonly matched: MatchedStatement[] = [];
  missing: string[] | undefined;
  /** The strongest principal match among the resource policy's applicable Allow statements. */
  resourceAllowMatch: PrincipalMatch = NO_MATCH;
  readonly hasPermissionsBoundary: boolean;

  constructor(hasPermissionsBoundary: boolean) {
    this.hasPermissionsBoundary = hasPermissionsBoundary;
  }

  noteMissing(key: string): void {
    const missing = (this.missing ??= []);
    if (!missing.includes(key)) missing.push(key);
  }
}

/** A statement that may apply to an action, with the policy it belongs to. */
export interface Candidate {
  policy: CompiledPolicy;
  statement: CompiledStatement;
}

const candidatesByList = new WeakMap<readonly CompiledPolicy[], Map<string, readonly Candidate[]>>();

/**
 * The statements of a list of policies that cover the action. Cached per list object,
 * so a caller that keeps a principal's policy list gets one look-up per decision.
 */
export function listCandidates(policies: readonly CompiledPolicy[], actionLower: string): readonly Candidate[] {
  let byAction = candidatesByList.get(policies);
  if (!byAction) candidatesByList.set(policies, (byAction = new Map()));
  let found = byAction.get(actionLower);
  if (!found) {
    const list: Candidate[] = [];
    for (const policy of policies) for (const statement of policy.candidates(actionLower)) list.push({ policy, statement });
    if (byAction.size >= 1024) byAction.clear();
    byAction.set(actionLower, (found = list));
  }
  return found;
}

/** Returns ALLOWS | DENIES bits for the statements of the policies that apply. */
export function evaluatePolicies(
  policies: readonly CompiledPolicy[],
  type: PolicyType,
  request: PreparedRequest,
  state: EvaluationState,
): number {
  const candidates = listCandidates(policies, request.actionLower);
  let result = 0;
  for (let i = 0; i < candidates.length; i++) {
    const { policy, statement } = candidates[i];
    const match = statementMatch(statement, request, state);
    if (match === NO_MATCH) continue;
    state.matched.push(matchedStatementRef(statement, policy.id, type));
    if (statement.isDeny) result |= DENIES;
    else {
      result |= ALLOWS;
      if (type === 'resource' && match > state.resourceAllowMatch) state.resourceAllowMatch = match;
    }
  }
  return result;
}

/** NO_MATCH, or how the statement's principal matched (DIRECT_MATCH when it names none). */
function statementMatch(statement: CompiledStatement, request: PreparedRequest, state: EvaluationState): PrincipalMatch {
  const resource = statement.resource;
  if (resource !== undefined && resourceMatches(resource, request, state) === resource.negated) return NO_MATCH;
  let match: PrincipalMatch = DIRECT_MATCH;
  const principal = statement.principal;
  if (principal !== undefined) {
    if (principal.negated) {
      if (!notPrincipalApplies(principal, request.identities, state.hasPermissionsBoundary)) return NO_MATCH;
    } else {
      match = matchPrincipal(principal, request.identities);
      if (match === NO_MATCH) return NO_MATCH;
    }
  }
  const conditions = statement.conditions;
  for (let i = 0; i < conditions.length; i++) {
    if (!clauseMatches(conditions[i], request.context, state)) return NO_MATCH;
  }
  return match;
}

function resourceMatches(
  resource: NonNullable<CompiledStatement['resource']>,
  request: PreparedRequest,
  state: EvaluationState,
): boolean {
  const tests = resource.tests;
  for (let i = 0; i < tests.length; i++) if (tests[i](request.resource, request.context, state)) return true;
  return false;
}
