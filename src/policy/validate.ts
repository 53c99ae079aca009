// Policy validation: does a document's text pass the checks AWS makes when it is
// stored (IAM CreatePolicy / Put*Policy / CreateRole / UpdateAssumeRolePolicy,
// Organizations CreatePolicy), and if not, which message does AWS answer with?
// Separate from evaluation (parse.ts/compile.ts): it works from the raw text, because
// AWS's answers depend on details the parsed form no longer has.
//
// Checks run in two passes, as AWS does: the grammar of the whole document (element
// names and JSON types: "Syntax errors in policy."), then each statement's meaning.
import type { PolicyKind } from './kinds.ts';
import { iamMessage, ORGANIZATIONS_MESSAGE, type Problem } from './validate/problems.ts';
import { KIND_RULES, type KindRules } from './validate/rules.ts';
import {
  actionVendor,
  checkAction,
  checkConditionKey,
  checkConditionOperator,
  checkPrincipal,
  checkResource,
  isAssumeRoleAction,
  principalFamily,
} from './validate/elements.ts';
import { checkPolicySize, policySize, type PolicySizeTarget } from './validate/size.ts';
import { rcpSupportedServicesSync } from './catalog.ts';

export { POLICY_SIZE_LIMITS, checkPolicySize, policySize } from './validate/size.ts';
export type { PolicySizeLimit, PolicySizeTarget, SizeCheck } from './validate/size.ts';
export type { Problem } from './validate/problems.ts';

export interface ValidateOptions {
  /** The partition resource and principal ARNs must name. Default `aws`. */
  partition?: string;
  /**
   * IAM refuses a principal ARN naming a user or role that does not exist (it stores
   * the principal's unique id). The IAM service passes a lookup; without one, any
   * well-formed user or role ARN is accepted.
   */
  principalExists?: (arn: string) => boolean;
  /** Also check the size quota of this target (after the document is found well formed). */
  sizeTarget?: PolicySizeTarget;
  /** The user, group or role an inline policy belongs to, for the size message. */
  entityName?: string;
}

export type ValidationErrorCode =
  | 'MalformedPolicyDocument' // IAM
  | 'MalformedPolicyDocumentException' // Organizations
  | 'LimitExceeded'
  | 'ConstraintViolationException';

export type PolicyValidation =
  | { ok: true }
  | { ok: false; code: ValidationErrorCode; status: number; message: string; problem?: Problem };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const DOCUMENT_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
/** Elements with a positive and a negated form; a statement may hold only one of each pair. */
const PAIRS: readonly [string, string][] = [
  ['Action', 'NotAction'],
  ['Resource', 'NotResource'],
  ['Principal', 'NotPrincipal'],
];

/** Validates a policy document of a kind; the failure carries AWS's error code and message. */
export function validatePolicy(text: string, kind: PolicyKind, options: ValidateOptions = {}): PolicyValidation {
  const rules = KIND_RULES[kind];
  const problem = findProblem(text, rules, options);
  if (problem) return failure(problem, rules);
  if (options.sizeTarget) {
    const size = checkPolicySize(policySize(text, options.sizeTarget), options.sizeTarget, options.entityName);
    if (!size.ok) return { ok: false, code: size.code, status: size.status, message: size.message };
  }
  return { ok: true };
}

function failure(problem: Problem, rules: KindRules): PolicyValidation {
  if (rules.dialect === 'organizations') {
    return { ok: false, code: 'MalformedPolicyDocumentException', status: 400, message: ORGANIZATIONS_MESSAGE, problem };
  }
  return { ok: false, code: 'MalformedPolicyDocument', status: 400, message: iamMessage(problem), problem };
}

function findProblem(text: string, rules: KindRules, options: ValidateOptions): Problem | undefined {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    return { code: rules.notJson };
  }
  const statements = documentStatements(root);
  if (!statements || !statements.every(isWellFormedStatement)) return { code: 'syntax' };
  const document = root as JsonObject;
  const version = checkVersion(document.Version, rules);
  if (version) return version;
  for (const statement of statements) {
    const problem = checkStatement(statement, rules, options);
    if (problem) return problem;
  }
  return checkSidsUnique(statements);
}

// ---- pass 1: grammar ----

/** The statements of a well-formed document, or undefined. */
function documentStatements(root: Json): JsonObject[] | undefined {
  if (!isObject(root)) return undefined;
  if (!Object.keys(root).every((key) => DOCUMENT_ELEMENTS.has(key))) return undefined;
  if (root.Version !== undefined && typeof root.Version !== 'string') return undefined;
  if (root.Id !== undefined && typeof root.Id !== 'string') return undefined;
  const list = Array.isArray(root.Statement) ? root.Statement : root.Statement === undefined ? [] : [root.Statement];
  if (list.length === 0 || !list.every(isObject)) return undefined;
  return list as JsonObject[];
}

function isWellFormedStatement(statement: JsonObject): boolean {
  if (!Object.keys(statement).every((key) => STATEMENT_ELEMENTS.has(key))) return false;
  if (PAIRS.some(([name, notName]) => name in statement && notName in statement)) return false;
  const { Sid, Effect, Condition } = statement;
  if (Sid !== undefined && typeof Sid !== 'string') return false;
  if (Effect !== undefined && typeof Effect !== 'string') return false;
  for (const name of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (statement[name] !== undefined && !isStringList(statement[name])) return false;
  }
  for (const name of ['Principal', 'NotPrincipal']) {
    if (statement[name] !== undefined && !isWellFormedPrincipal(statement[name])) return false;
  }
  return Condition === undefined || isWellFormedCondition(Condition);
}

function isWellFormedPrincipal(principal: Json): boolean {
  if (principal === '*') return true;
  if (!isObject(principal) || Object.keys(principal).length === 0) return false;
  return Object.values(principal).every((members) => isStringList(members) && listOf(members).length > 0);
}

/** `{ operator: { key: value | [values] } }` with string, number or boolean values. */
function isWellFormedCondition(condition: Json): boolean {
  if (!isObject(condition)) return false;
  return Object.values(condition).every(
    (block) =>
      isObject(block) &&
      Object.values(block).every((value) => listOf(value).length > 0 && listOf(value).every(isScalar)),
  );
}

// ---- pass 2: meaning ----

function checkVersion(version: Json | undefined, rules: KindRules): Problem | undefined {
  if (version === undefined) return rules.versionRequired ? { code: 'invalidVersion' } : undefined;
  return rules.versions.includes(version as string) ? undefined : { code: 'invalidVersion' };
}

function checkStatement(statement: JsonObject, rules: KindRules, options: ValidateOptions): Problem | undefined {
  const partition = options.partition ?? 'aws';
  return (
    checkEffect(statement.Effect, rules) ??
    checkPrincipalPresence(statement, rules) ??
    checkActionPresence(statement, rules) ??
    checkResourcePresence(statement, rules) ??
    checkSid(statement.Sid, rules) ??
    firstProblem(actionsOf(statement), (action) => checkStatementAction(action, rules)) ??
    firstProblem(resourcesOf(statement), (resource) => checkResource(resource, partition)) ??
    checkPrincipals(statement.Principal ?? statement.NotPrincipal, { ...options, partition }) ??
    checkCondition(statement.Condition)
  );
}

function checkEffect(effect: Json | undefined, rules: KindRules): Problem | undefined {
  if (effect === undefined) return { code: 'missingField', field: 'Effect' };
  if (effect !== 'Allow' && effect !== 'Deny') return { code: 'legacyParsing' };
  return rules.effects.includes(effect) ? undefined : { code: 'effectNotSupported' };
}

function checkPrincipalPresence(statement: JsonObject, rules: KindRules): Problem | undefined {
  const hasPrincipal = statement.Principal !== undefined;
  const hasNotPrincipal = statement.NotPrincipal !== undefined;
  if (rules.principal === 'forbidden') {
    return hasPrincipal || hasNotPrincipal ? { code: 'principalNotAllowed' } : undefined;
  }
  if (hasNotPrincipal && !rules.notPrincipal) return { code: 'prohibitedField', field: 'NotPrincipal' };
  if (!hasPrincipal && !hasNotPrincipal) return { code: 'missingField', field: 'Principal' };
  if (rules.principal === 'anyone' && statement.Principal !== '*') {
    return { code: 'invalidPrincipal', family: 'AWS', value: JSON.stringify(statement.Principal) };
  }
  return undefined;
}

function checkActionPresence(statement: JsonObject, rules: KindRules): Problem | undefined {
  if (statement.NotAction !== undefined && !rules.notAction) return { code: 'prohibitedField', field: 'NotAction' };
  return actionsOf(statement).length === 0 ? { code: 'noActions' } : undefined;
}

function checkResourcePresence(statement: JsonObject, rules: KindRules): Problem | undefined {
  if (rules.resource === 'forbidden') {
    if (statement.Resource !== undefined) return { code: 'prohibitedField', field: 'Resource' };
    if (statement.NotResource !== undefined) return { code: 'prohibitedField', field: 'NotResource' };
    return undefined;
  }
  return rules.resource === 'required' && resourcesOf(statement).length === 0 ? { code: 'noResources' } : undefined;
}

function checkSid(sid: Json | undefined, rules: KindRules): Problem | undefined {
  if (typeof sid !== 'string' || !rules.sidPattern) return undefined;
  return rules.sidPattern.test(sid) ? undefined : { code: 'sidNotAlphanumeric' };
}

function checkStatementAction(action: string, rules: KindRules): Problem | undefined {
  const problem = checkAction(action);
  if (problem) return problem;
  if (rules.actions === 'assumeRole' && !isAssumeRoleAction(action)) return { code: 'trustActions' };
  if (rules.actions === 'rcpServices') {
    const service = actionVendor(action);
    if (service !== '*' && !rcpSupportedServicesSync().has(service)) return { code: 'serviceNotSupported', service };
  }
  return undefined;
}

function checkPrincipals(principal: Json | undefined, options: ValidateOptions & { partition: string }): Problem | undefined {
  if (!isObject(principal)) return undefined; // absent, or "*"
  for (const [key, members] of Object.entries(principal)) {
    const family = principalFamily(key);
    for (const member of listOf(members) as string[]) {
      const problem = family
        ? checkPrincipal(family, member, options)
        : ({ code: 'invalidPrincipal', family: key.toUpperCase(), value: member } as const);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkCondition(condition: Json | undefined): Problem | undefined {
  if (!isObject(condition)) return undefined;
  for (const [operator, block] of Object.entries(condition)) {
    const problem = checkConditionOperator(operator) ?? firstProblem(Object.keys(block as JsonObject), checkConditionKey);
    if (problem) return problem;
  }
  return undefined;
}

/** Sids must differ within a policy; statements without one (or with "") do not count. */
function checkSidsUnique(statements: JsonObject[]): Problem | undefined {
  const seen = new Set<string>();
  for (const { Sid } of statements) {
    if (typeof Sid !== 'string' || Sid === '') continue;
    if (seen.has(Sid)) return { code: 'sidNotUnique' };
    seen.add(Sid);
  }
  return undefined;
}

// ---- helpers ----

function actionsOf(statement: JsonObject): string[] {
  return listOf(statement.Action ?? statement.NotAction) as string[];
}

function resourcesOf(statement: JsonObject): string[] {
  return listOf(statement.Resource ?? statement.NotResource) as string[];
}

function firstProblem<T>(items: readonly T[], check: (item: T) => Problem | undefined): Problem | undefined {
  for (const item of items) {
    const problem = check(item);
    if (problem) return problem;
  }
  return undefined;
}

function listOf(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isStringList(value: Json): boolean {
  return listOf(value).every((item) => typeof item === 'string');
}

function isScalar(value: Json): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
