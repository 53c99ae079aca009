// One condition clause (operator + key + values) compiled, and its evaluation with
// AWS's rules for absent keys, IfExists, Null and the ForAllValues / ForAnyValue qualifiers.
import type { ConditionClause } from '../ast.ts';
import type { ContextMap } from '../context.ts';
import { parseTemplate, resolveTemplate, type TemplatePart } from '../variables.ts';
import type { PatternPart } from '../values/wildcard.ts';
import type { ValueCompiler, ValueTest } from './operator.ts';
import { operatorSpec } from './operators.ts';

export class ConditionCompileError extends Error {
  override name = 'ConditionCompileError';
}

/** Receives the keys a condition looked for and did not find. */
export interface MissingKeySink {
  noteMissing(key: string): void;
}

interface TemplateValue {
  parts: TemplatePart[];
  compile: ValueCompiler;
  cache: Map<string, ValueTest | undefined>;
}

export interface CompiledClause {
  operator: string;
  key: string;
  lookupKey: string;
  negated: boolean;
  ifExists: boolean;
  qualifier: ConditionClause['qualifier'];
  /** Null operator: what it answers for an absent key and for a present one. */
  isNull: boolean;
  nullWhenAbsent: boolean;
  nullWhenPresent: boolean;
  /** Policy values without variables, compiled once. */
  tests: ValueTest[];
  /** Policy values with variables, compiled per resolved value (cached). */
  templates: TemplateValue[] | undefined;
}

export function compileClause(clause: ConditionClause, substituteVariables: boolean): CompiledClause {
  const base = {
    operator: clause.operator,
    key: clause.key,
    lookupKey: clause.key.toLowerCase(),
    ifExists: clause.ifExists,
    qualifier: clause.qualifier,
  };
  if (clause.baseOperator === 'Null') {
    if (clause.ifExists) throw new ConditionCompileError('The Null operator has no IfExists form.');
    const wants = clause.values.map((v) => v.toLowerCase());
    return {
      ...base,
      negated: false,
      isNull: true,
      nullWhenAbsent: wants.includes('true'),
      nullWhenPresent: wants.includes('false'),
      tests: [],
      templates: undefined,
    };
  }
  const spec = operatorSpec(clause.baseOperator);
  if (!spec) throw new ConditionCompileError(`Unknown condition operator ${clause.operator}.`);
  const tests: ValueTest[] = [];
  const templates: TemplateValue[] = [];
  for (const value of clause.values) {
    const parts = substituteVariables && spec.supportsVariables ? parseTemplate(value) : undefined;
    if (parts) {
      templates.push({ parts, compile: spec.compile, cache: new Map() });
      continue;
    }
    const test = spec.compile([{ text: value, literal: false }]);
    if (test) tests.push(test); // a value of the wrong type matches nothing
  }
  return {
    ...base,
    negated: spec.negated,
    isNull: false,
    nullWhenAbsent: false,
    nullWhenPresent: false,
    tests,
    templates: templates.length > 0 ? templates : undefined,
  };
}

export function clauseMatches(clause: CompiledClause, context: ContextMap, sink: MissingKeySink): boolean {
  const values = context.get(clause.lookupKey);
  const absent = values === undefined || values.length === 0;
  if (clause.isNull) return absent ? clause.nullWhenAbsent : clause.nullWhenPresent;
  if (absent) {
    if (values === undefined) sink.noteMissing(clause.key);
    if (clause.qualifier === 'ForAllValues') return true; // vacuously: no value fails
    if (clause.qualifier === 'ForAnyValue') return false;
    return clause.ifExists || clause.negated;
  }
  const tests = clause.templates ? withTemplates(clause, context, sink) : clause.tests;
  const negated = clause.negated;
  if (clause.qualifier === 'ForAllValues') {
    for (const value of values) if (anyTest(tests, value) === negated) return false;
    return true;
  }
  if (clause.qualifier === 'ForAnyValue') {
    for (const value of values) if (anyTest(tests, value) !== negated) return true;
    return false;
  }
  // No qualifier: a positive operator matches when any request value matches any policy
  // value; a negated one when none does.
  for (const value of values) if (anyTest(tests, value)) return !negated;
  return negated;
}

function anyTest(tests: readonly ValueTest[], value: string): boolean {
  for (let i = 0; i < tests.length; i++) if (tests[i](value)) return true;
  return false;
}

const TEMPLATE_CACHE_LIMIT = 256;

function withTemplates(clause: CompiledClause, context: ContextMap, sink: MissingKeySink): ValueTest[] {
  const tests = clause.tests.slice();
  for (const template of clause.templates!) {
    const resolved = resolveTemplate(template.parts, context, (key) => sink.noteMissing(key));
    if (!resolved) continue; // an unresolvable variable: this value matches nothing
    const cacheKey = cacheKeyOf(resolved);
    let test = template.cache.get(cacheKey);
    if (test === undefined && !template.cache.has(cacheKey)) {
      test = template.compile(resolved);
      if (template.cache.size >= TEMPLATE_CACHE_LIMIT) template.cache.clear();
      template.cache.set(cacheKey, test);
    }
    if (test) tests.push(test);
  }
  return tests;
}

function cacheKeyOf(parts: readonly PatternPart[]): string {
  let key = '';
  for (const part of parts) key += (part.literal ? '\u0001' : '\u0002') + part.text;
  return key;
}
