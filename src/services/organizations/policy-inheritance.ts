// How management policies (tag, backup, AI services opt-out, chatbot, declarative, ...)
// merge from the root through the OUs down to an account into its effective policy,
// with AWS's inheritance operators ("Understanding management policy inheritance",
// Organizations User Guide). Pure functions: no store, no request.
//
//  - @@assign overwrites the inherited value (scalar or list); @@append adds to an
//    inherited list, @@remove takes values out of it (lists only).
//  - @@operators_allowed_for_child_policies (["@@all"], ["@@none"] or a list of
//    value-setting operators) limits what policies attached further down may do with
//    that setting and everything below it. A child cannot widen what a parent allowed;
//    policies at the same level that both restrict are intersected.
//  - Policies attached to the same node are applied in the order they were attached;
//    where two of them @@assign the same setting, the first attached wins.
//  - An operator a parent does not allow is ignored (and reported as a problem).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type ValueOperator = '@@assign' | '@@append' | '@@remove';
const VALUE_OPERATORS: readonly ValueOperator[] = ['@@assign', '@@append', '@@remove'];
const CHILD_CONTROL = '@@operators_allowed_for_child_policies';

/** A policy attached at one level of the tree, its content parsed. */
export interface InheritedPolicy {
  id: string;
  content: Json;
}

export type InheritanceProblemCode =
  | 'OPERATOR_NOT_ALLOWED' // a parent's child control operator forbids it here
  | 'UNKNOWN_OPERATOR' // an @@ key that is no inheritance operator
  | 'LIST_OPERATOR_ON_SINGLE_VALUE' // @@append / @@remove on a setting that is not a list
  | 'INVALID_OPERATOR_VALUE' // e.g. @@append of something other than a list
  | 'INVALID_SETTING'; // a setting that is not an object of operators and settings

export interface InheritanceProblem {
  code: InheritanceProblemCode;
  /** The setting's path in the document, e.g. tags/costcenter/tag_value. */
  path: string;
  policyId: string;
  message: string;
}

export interface EffectivePolicyResult {
  /** The merged document without operators, as DescribeEffectivePolicy shows it. */
  policy: JsonObject;
  problems: InheritanceProblem[];
}

/** One setting of the effective policy being built. */
interface Setting {
  value?: Json;
  children: Map<string, Setting>;
  /** Operators that policies of later levels may use here and below; undefined: all. */
  allowed?: ReadonlySet<ValueOperator>;
}

/** What applying one level needs to remember until the level is done. */
interface LevelState {
  policyId: string;
  /** Settings assigned at this level: a later @@assign at the same level does not overwrite. */
  assigned: Set<Setting>;
  /** Child control operators met at this level; they bind the levels below. */
  restrictions: [Setting, ReadonlySet<ValueOperator>][];
  problems: InheritanceProblem[];
}

const ALL_OPERATORS: ReadonlySet<ValueOperator> = new Set(VALUE_OPERATORS);

/**
 * The effective policy of an account from the policies attached at each level: the
 * root first, then each OU on the way down, then the account itself.
 */
export function effectivePolicy(levels: readonly (readonly InheritedPolicy[])[]): EffectivePolicyResult {
  const root: Setting = { children: new Map() };
  const problems: InheritanceProblem[] = [];
  for (const policies of levels) {
    const assigned = new Set<Setting>();
    const restrictions: LevelState['restrictions'] = [];
    for (const policy of policies) {
      const state: LevelState = { policyId: policy.id, assigned, restrictions, problems };
      if (!isObject(policy.content)) {
        problems.push(problem(state, 'INVALID_SETTING', '', 'A management policy must be a JSON object.'));
        continue;
      }
      applySettings(root, policy.content, ALL_OPERATORS, [], state);
    }
    for (const [setting, operators] of restrictions) setting.allowed = intersect(setting.allowed ?? ALL_OPERATORS, operators);
  }
  return { policy: (render(root) as JsonObject | undefined) ?? {}, problems };
}

/**
 * What is wrong with one management policy on its own: unknown operators, list operators
 * given a single value, settings that are not objects. AWS refuses such a policy.
 */
export function syntaxProblems(content: Json): InheritanceProblem[] {
  return effectivePolicy([[{ id: '', content }]]).problems;
}

function applySettings(
  setting: Setting,
  node: JsonObject,
  inherited: ReadonlySet<ValueOperator>,
  path: readonly string[],
  state: LevelState,
): void {
  const allowed = setting.allowed ? intersect(inherited, setting.allowed) : inherited;
  for (const [key, value] of Object.entries(node)) {
    if (key === CHILD_CONTROL) {
      const operators = childControl(value);
      if (operators) state.restrictions.push([setting, operators]);
      else state.problems.push(problem(state, 'INVALID_OPERATOR_VALUE', pathText(path), `${CHILD_CONTROL} takes a list of operators.`));
    } else if (isValueOperator(key)) {
      applyOperator(setting, key, value, allowed, pathText(path), state);
    } else if (key.startsWith('@@')) {
      state.problems.push(problem(state, 'UNKNOWN_OPERATOR', pathText(path), `${key} is not an inheritance operator.`));
    } else if (!isObject(value)) {
      state.problems.push(problem(state, 'INVALID_SETTING', pathText([...path, key]), 'A setting must be an object of operators and settings.'));
    } else {
      let child = setting.children.get(key);
      if (!child) setting.children.set(key, (child = { children: new Map() }));
      applySettings(child, value, allowed, [...path, key], state);
    }
  }
}

function applyOperator(
  setting: Setting,
  operator: ValueOperator,
  value: Json,
  allowed: ReadonlySet<ValueOperator>,
  path: string,
  state: LevelState,
): void {
  if (!allowed.has(operator)) {
    state.problems.push(problem(state, 'OPERATOR_NOT_ALLOWED', path, `A parent policy does not allow ${operator} here.`));
    return;
  }
  if (operator === '@@assign') {
    if (state.assigned.has(setting)) return; // the policy attached first at this level wins
    setting.value = structuredClone(value);
    state.assigned.add(setting);
    return;
  }
  if (!Array.isArray(value)) {
    state.problems.push(problem(state, 'INVALID_OPERATOR_VALUE', path, `${operator} takes a list of values.`));
    return;
  }
  if (setting.value !== undefined && !Array.isArray(setting.value)) {
    state.problems.push(problem(state, 'LIST_OPERATOR_ON_SINGLE_VALUE', path, `${operator} applies only to settings with a list of values.`));
    return;
  }
  const current = setting.value ?? [];
  if (operator === '@@append') {
    setting.value = [...current, ...value.filter((item) => !includesValue(current, item))];
  } else {
    const remaining = current.filter((item) => !includesValue(value, item));
    if (remaining.length > 0) setting.value = remaining;
    else delete setting.value;
  }
}

/** The document without operators; settings left without a value are omitted. */
function render(setting: Setting): Json | undefined {
  const children: JsonObject = {};
  for (const [key, child] of setting.children) {
    const rendered = render(child);
    if (rendered !== undefined) children[key] = rendered;
  }
  if (Object.keys(children).length > 0) return children;
  return setting.value;
}

/** The operators a child control value allows, or undefined when it is malformed. */
function childControl(value: Json): ReadonlySet<ValueOperator> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (value.length === 1 && value[0] === '@@all') return ALL_OPERATORS;
  if (value.length === 1 && value[0] === '@@none') return new Set();
  if (!value.every((item) => typeof item === 'string' && isValueOperator(item))) return undefined;
  return new Set(value as ValueOperator[]);
}

function intersect(a: ReadonlySet<ValueOperator>, b: ReadonlySet<ValueOperator>): ReadonlySet<ValueOperator> {
  return new Set([...a].filter((operator) => b.has(operator)));
}

function isValueOperator(key: string): key is ValueOperator {
  return (VALUE_OPERATORS as readonly string[]).includes(key);
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function includesValue(list: readonly Json[], value: Json): boolean {
  const text = JSON.stringify(value);
  return list.some((item) => JSON.stringify(item) === text);
}

function pathText(path: readonly string[]): string {
  return path.join('/');
}

function problem(state: LevelState, code: InheritanceProblemCode, path: string, message: string): InheritanceProblem {
  return { code, path, policyId: state.policyId, message };
}
