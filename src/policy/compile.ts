// AST -> compiled form built for fast evaluation: precompiled action, resource and
// principal matchers, compiled conditions, and per policy a cache from a (lowercased)
// action to the statements whose Action / NotAction covers it.
import type { Effect, Policy, Statement } from './ast.ts';
import { compileClause, ConditionCompileError, type CompiledClause, type MissingKeySink } from './conditions/clause.ts';
import type { ContextMap } from './context.ts';
import { parsePolicy } from './parse.ts';
import { compilePrincipal, type CompiledPrincipal } from './principal.ts';
import { parseTemplate, resolveTemplate, type TemplatePart } from './variables.ts';
import { partsRegex, wildcardMatcher, type StringMatcher } from './values/wildcard.ts';

export class PolicyCompileError extends Error {
  override name = 'PolicyCompileError';
}

/** The roles a policy plays in an evaluation; reported with each matched statement. */
export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session' | 'scp' | 'rcp';

/** A statement that matched the request, as SimulatePrincipalPolicy reports it. */
export interface MatchedStatement {
  readonly policyId: string;
  readonly policyType: PolicyType;
  readonly sid: string | undefined;
  readonly index: number;
  readonly effect: Effect;
}

export type ResourceTest = (resource: string, context: ContextMap, sink: MissingKeySink) => boolean;

export interface CompiledStatement {
  readonly statement: Statement;
  readonly isDeny: boolean;
  readonly matchesAction: StringMatcher;
  /** undefined: the statement has no Resource / NotResource (trust policies): any resource. */
  readonly resource: { negated: boolean; tests: ResourceTest[] } | undefined;
  readonly principal: CompiledPrincipal | undefined;
  readonly conditions: CompiledClause[];
  /** One reusable MatchedStatement per policy type, so a match allocates nothing. */
  readonly refs: Partial<Record<PolicyType, MatchedStatement>>;
}

export interface CompiledPolicy {
  readonly id: string;
  readonly policy: Policy;
  readonly statements: readonly CompiledStatement[];
  /** The statements whose Action / NotAction covers the lowercased action. */
  candidates(actionLower: string): readonly CompiledStatement[];
}

export function matchedStatementRef(statement: CompiledStatement, policyId: string, type: PolicyType): MatchedStatement {
  return (statement.refs[type] ??= Object.freeze({
    policyId,
    policyType: type,
    sid: statement.statement.sid,
    index: statement.statement.index,
    effect: statement.statement.effect,
  }));
}

const CACHE_LIMIT = 10_000;
const compiledByText = new Map<string, CompiledPolicy>();
const compiledByAst = new WeakMap<Policy, CompiledPolicy>();

/**
 * Compiles a policy: JSON text, a parsed JSON object, or an AST from parsePolicy.
 * Results are cached by id and document text, so compiling the same attachment again
 * is a look-up.
 */
export function compilePolicy(source: Policy | string | object, id = ''): CompiledPolicy {
  if (isPolicyAst(source)) {
    let compiled = compiledByAst.get(source);
    if (!compiled) compiledByAst.set(source, (compiled = compileAst(source)));
    return compiled;
  }
  const text = typeof source === 'string' ? source : JSON.stringify(source);
  const key = id + '\u0000' + text;
  let compiled = compiledByText.get(key);
  if (!compiled) {
    compiled = compileAst(parsePolicy(text, id));
    if (compiledByText.size >= CACHE_LIMIT) compiledByText.delete(compiledByText.keys().next().value!);
    compiledByText.set(key, compiled);
  }
  return compiled;
}

function isPolicyAst(source: unknown): source is Policy {
  return typeof source === 'object' && source !== null && 'statements' in source && 'version' in source;
}

/** Compiles without the cache (what the compile benchmark measures). */
export function compileAst(policy: Policy): CompiledPolicy {
  const variables = policy.version === '2012-10-17';
  const statements = policy.statements.map((s) => compileStatement(s, variables));
  const cache = new Map<string, readonly CompiledStatement[]>();
  return {
    id: policy.id,
    policy,
    statements,
    candidates(actionLower) {
      let found = cache.get(actionLower);
      if (found === undefined) {
        found = statements.filter((s) => s.matchesAction(actionLower));
        if (cache.size >= 1024) cache.clear();
        cache.set(actionLower, found);
      }
      return found;
    },
  };
}

function compileStatement(statement: Statement, variables: boolean): CompiledStatement {
  try {
    return {
      statement,
      isDeny: statement.effect === 'Deny',
      matchesAction: compileActions(statement.action!.values, statement.action!.negated),
      resource: statement.resource && {
        negated: statement.resource.negated,
        tests: statement.resource.values.map((r) => compileResource(r, variables)),
      },
      principal: statement.principal && compilePrincipal(statement.principal),
      conditions: statement.conditions.map((c) => compileClause(c, variables)),
      refs: {},
    };
  } catch (error) {
    if (error instanceof ConditionCompileError) throw new PolicyCompileError(`Statement ${statement.index}: ${error.message}`);
    throw error;
  }
}

/** Actions are case-insensitive and never hold variables. */
function compileActions(patterns: readonly string[], negated: boolean): StringMatcher {
  const exact = new Set<string>();
  const wildcards: StringMatcher[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower.includes('*') || lower.includes('?')) wildcards.push(wildcardMatcher(lower, 'plain'));
    else exact.add(lower);
  }
  const matches = (action: string) => exact.has(action) || wildcards.some((m) => m(action));
  return negated ? (action) => !matches(action) : matches;
}

/** Resources are case-sensitive and ARN-aware; variables are substituted under 2012-10-17. */
function compileResource(pattern: string, variables: boolean): ResourceTest {
  const shape = pattern.startsWith('arn:') ? 'arn' : 'plain';
  const template = variables ? parseTemplate(pattern) : undefined;
  if (!template) return wildcardMatcher(pattern, shape); // the extra arguments are ignored
  return templateResourceTest(template, shape);
}

function templateResourceTest(template: TemplatePart[], shape: 'arn' | 'plain'): ResourceTest {
  const cache = new Map<string, RegExp>();
  return (resource, context, sink) => {
    const parts = resolveTemplate(template, context, (key) => sink.noteMissing(key));
    if (!parts) return false; // an unresolvable variable: this value matches nothing
    const key = parts.map((p) => (p.literal ? '\u0001' : '\u0002') + p.text).join('');
    let regex = cache.get(key);
    if (!regex) {
      regex = partsRegex(parts, shape);
      if (cache.size >= 256) cache.clear();
      cache.set(key, regex);
    }
    return regex.test(resource);
  };
}
