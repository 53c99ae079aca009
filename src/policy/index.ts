// Bulwark's IAM policy engine: parse -> compile -> evaluate -> authorize -> explain.
// A pure library: no I/O.

export type {
  ConditionClause,
  Effect,
  ElementList,
  Policy,
  PolicyVersion,
  PrincipalFamily,
  PrincipalValue,
  SetQualifier,
  Statement,
} from './ast.ts';
export { POLICY_KINDS, type PolicyKind } from './kinds.ts';
export { parsePolicy, PolicyParseError } from './parse.ts';
export {
  compileAst,
  compilePolicy,
  PolicyCompileError,
  type CompiledPolicy,
  type MatchedStatement,
  type PolicyType,
} from './compile.ts';
export { CONDITION_OPERATORS } from './conditions/operators.ts';
export { contextMap, type ContextInput, type ContextMap, type ContextValue } from './context.ts';
export {
  prepareRequest,
  type AuthorizationRequest,
  type PrincipalType,
  type RequestPrincipal,
} from './request.ts';
export {
  evaluate,
  type DecidingPolicy,
  type Decision,
  type EvalDecision,
  type PolicySet,
  type TypeDecision,
} from './authorize.ts';
export { denialReason, explainDenial, POLICY_TYPE_LABELS, type ExplainOptions } from './explain.ts';
export { toSimulatorResult, type SimulatorEvaluationResult } from './simulator.ts';

// Validation is separate from evaluation: it works on the document text and gives
// AWS's MalformedPolicyDocument messages.
export {
  checkPolicySize,
  policySize,
  POLICY_SIZE_LIMITS,
  validatePolicy,
  type PolicySizeTarget,
  type PolicyValidation,
  type ValidateOptions,
} from './validate.ts';
