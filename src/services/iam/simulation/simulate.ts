// SimulatePrincipalPolicy and SimulateCustomPolicy: run each action on each resource
// through Bulwark's policy engine (the same evaluation every request gets) and report
// the decision as IAM's simulator does: which statements matched (policy, type and
// position), which context keys were missing, and how the boundary and each policy
// type decided.
import {
  compilePolicy,
  evaluate,
  validatePolicy,
  type AuthorizationRequest,
  type CompiledPolicy,
  type ContextInput,
  type Decision,
  type PolicyKind,
  type PolicySet,
  type RequestPrincipal,
} from '../../../policy/index.ts';
import type {
  ContextEntry,
  EvaluationResult,
  ResourceSpecificResult,
  SimulateCustomPolicyRequest,
  SimulatePolicyResponse,
  Statement,
} from '../../../protocol/types/iam.ts';
import { decodeMarker, DEFAULT_MAX_ITEMS, encodeMarker, invalidInput } from '../common.ts';
import { statementSpans, type StatementSpan } from './positions.ts';
import type { SourcedPolicy, SourceType } from './sources.ts';

/** Everything one simulation evaluates, already gathered by the handler. */
export interface Simulation {
  accountId: string;
  principal: RequestPrincipal;
  identity: SourcedPolicy[];
  boundary?: SourcedPolicy;
  resourcePolicy?: string;
  /** The SCPs of the principal's account, when it is in an organization (IAM's OrganizationsDecisionDetail). */
  organization?: Pick<PolicySet, 'scps' | 'principalInManagementAccount' | 'serviceLinkedRole'>;
  request: Omit<SimulateCustomPolicyRequest, 'PolicyInputList' | 'PermissionsBoundaryPolicyInputList'>;
}

interface Source {
  sourceId: string;
  sourceType: SourceType;
  spans: StatementSpan[];
}

/** Compiles a policy for the simulation, registering where its statements come from. */
class PolicyTable {
  private readonly sources = new Map<string, Source>();

  compile(policy: SourcedPolicy, kind: PolicyKind): CompiledPolicy {
    const id = `simulation/${this.sources.size}`;
    let compiled: CompiledPolicy;
    try {
      compiled = compilePolicy(policy.document, id);
    } catch (error) {
      const validation = validatePolicy(policy.document, kind);
      throw invalidInput(validation.ok ? `${policy.sourceId}: ${(error as Error).message}` : validation.message);
    }
    this.sources.set(id, { sourceId: policy.sourceId, sourceType: policy.sourceType, spans: statementSpans(policy.document) });
    return compiled;
  }

  statement(policyId: string, index: number): Statement {
    const source = this.sources.get(policyId);
    if (!source) return { SourcePolicyId: policyId, SourcePolicyType: 'none' };
    return { SourcePolicyId: source.sourceId, SourcePolicyType: source.sourceType, ...(source.spans[index] ?? {}) };
  }
}

/** IAM's ContextEntries -> the engine's context; typed values keep their string form. */
export function contextFrom(entries: readonly ContextEntry[] | undefined): ContextInput {
  const context: Record<string, string[]> = {};
  for (const entry of entries ?? []) {
    if (!entry.ContextKeyName) continue;
    const values = entry.ContextKeyValues ?? [];
    const type = entry.ContextKeyType ?? 'string';
    for (const value of values) checkContextValue(entry.ContextKeyName, value, type);
    context[entry.ContextKeyName] = [...(context[entry.ContextKeyName] ?? []), ...values];
  }
  return context;
}

function checkContextValue(key: string, value: string, type: string): void {
  const base = type.replace(/List$/, '');
  const ok =
    base === 'numeric' ? value.trim() !== '' && Number.isFinite(Number(value))
    : base === 'boolean' ? /^(true|false)$/i.test(value)
    : base === 'date' ? !Number.isNaN(Date.parse(value)) || /^\d+$/.test(value)
    : true;
  if (!ok) throw invalidInput(`Invalid value ${value} for context key ${key} of type ${type}.`);
}

const DECISION = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' } as const;

/**
 * The statements that decided: the denying ones after an explicit deny (AWS lists only
 * those), the allowing ones after an allow, none after an implicit deny.
 */
function decidingStatements(decision: Decision, table: PolicyTable): Statement[] {
  if (decision.decision === 'ImplicitDeny') return [];
  const effect = decision.decision === 'Allow' ? 'Allow' : 'Deny';
  return decision.matchedStatements.filter((s) => s.effect === effect).map((s) => table.statement(s.policyId, s.index));
}

function decisionDetails(decision: Decision, resource: string): Record<string, EvaluationResult['EvalDecision']> | undefined {
  // AWS fills EvalDecisionDetails for cross-account simulations only; within one account
  // it is empty when a resource was named and absent for "*".
  if (decision.crossAccount) return { ...decision.details } as Record<string, EvaluationResult['EvalDecision']>;
  return resource === '*' ? undefined : {};
}

export function simulate(simulation: Simulation): SimulatePolicyResponse {
  const table = new PolicyTable();
  const identity = simulation.identity.map((policy) => table.compile(policy, 'identity'));
  const boundary = simulation.boundary && table.compile(simulation.boundary, 'boundary');
  const resourcePolicy =
    simulation.resourcePolicy === undefined
      ? undefined
      : table.compile({ sourceId: 'ResourcePolicy', sourceType: 'resource', document: simulation.resourcePolicy }, 'resource');
  const input = simulation.request;
  const context = contextFrom(input.ContextEntries);
  const namedResources = input.ResourceArns !== undefined && input.ResourceArns.length > 0;
  const resources = namedResources ? input.ResourceArns! : ['*'];
  const resourceAccount = ownerAccount(input.ResourceOwner) ?? simulation.accountId;

  const results: EvaluationResult[] = [];
  for (const action of input.ActionNames) {
    for (const resource of resources) {
      const request: AuthorizationRequest = { principal: simulation.principal, action, resource, resourceAccount, context };
      const decision = evaluate(request, {
        identity,
        ...(resourcePolicy ? { resource: resourcePolicy } : {}),
        ...(boundary ? { permissionsBoundary: boundary } : {}),
        ...simulation.organization,
      });
      const matched = decidingStatements(decision, table);
      const details = decisionDetails(decision, resource);
      const boundaryDetail =
        decision.allowedByPermissionsBoundary === undefined
          ? {}
          : { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: decision.allowedByPermissionsBoundary } };
      const organizationsDetail =
        decision.allowedByOrganizations === undefined
          ? {}
          : { OrganizationsDecisionDetail: { AllowedByOrganizations: decision.allowedByOrganizations } };
      const result: EvaluationResult = {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: DECISION[decision.decision],
        MatchedStatements: matched,
        // With named resources AWS reports missing keys per resource instead.
        MissingContextValues: namedResources ? [] : [...decision.missingContextKeys],
        ...organizationsDetail,
        ...boundaryDetail,
        ...(details ? { EvalDecisionDetails: details } : {}),
      };
      if (namedResources) {
        const specific: ResourceSpecificResult = {
          EvalResourceName: resource,
          EvalResourceDecision: DECISION[decision.decision],
          MatchedStatements: matched,
          MissingContextValues: [...decision.missingContextKeys],
          ...(details ? { EvalDecisionDetails: details } : {}),
          ...boundaryDetail,
        };
        result.ResourceSpecificResults = [specific];
      }
      results.push(result);
    }
  }
  return paginate(results, input);
}

/** ResourceOwner: an account id, or an ARN naming it (`arn:aws:iam::ACCOUNT:root`). */
function ownerAccount(owner: string | undefined): string | undefined {
  if (owner === undefined) return undefined;
  if (/^\d{12}$/.test(owner)) return owner;
  const account = owner.split(':')[4];
  if (!account || !/^\d{12}$/.test(account)) throw invalidInput(`Invalid ResourceOwner: ${owner}`);
  return account;
}

function paginate(results: EvaluationResult[], request: { Marker?: string; MaxItems?: number }): SimulatePolicyResponse {
  const marker = decodeMarker(request.Marker);
  const start = marker === undefined ? 0 : Number(marker);
  if (!Number.isInteger(start) || start < 0 || start > results.length) throw invalidInput('Invalid Marker.');
  const end = start + (request.MaxItems ?? DEFAULT_MAX_ITEMS);
  const truncated = end < results.length;
  return { EvaluationResults: results.slice(start, end), IsTruncated: truncated, ...(truncated ? { Marker: encodeMarker(String(end)) } : {}) };
}
