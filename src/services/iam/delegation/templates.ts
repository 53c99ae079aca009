// The permission policy a delegation request carries: the partner's policy template
// with the request's parameters filled in.
//
// On AWS a template is "pre-registered policy content" a partner sets up with AWS
// during onboarding; no API creates one. Bulwark's stand-in: the template is a managed
// policy the requestor can read (a customer managed policy in its own account, or an
// AWS managed policy), and a parameter named N fills each `{{N}}` in its string values.
// A string holding a `stringList` parameter becomes one string per value (an array).
import { loadManagedPolicies } from '../../../policy/managed-policies.ts';
import { validatePolicy } from '../../../policy/validate.ts';
import type { DelegationPermission, PolicyParameter } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import { invalidInput } from '../common.ts';
import { findPolicy, parsePolicyArn } from '../policies/shared.ts';

export interface ResolvedPermissions {
  permissionPolicy: string;
  /** Permissions boundaries the policy requires on roles it lets the partner create. */
  rolePermissionRestrictionArns: string[];
}

const PLACEHOLDER = /\{\{([^{}]+)\}\}/g;

export async function resolvePermissions(
  docs: Documents,
  requestorAccountId: string,
  permissions: DelegationPermission,
): Promise<ResolvedPermissions> {
  const templateArn = permissions.PolicyTemplateArn;
  if (templateArn === undefined) throw invalidInput('Permissions must name a PolicyTemplateArn.');
  const template = await templateDocument(docs, requestorAccountId, templateArn);
  const parameters = parameterValues(permissions.Parameters ?? []);
  const used = new Set<string>();
  const filled = fill(JSON.parse(template) as unknown, parameters, used);
  for (const name of parameters.keys()) {
    if (!used.has(name)) throw invalidInput(`Policy template ${templateArn} has no parameter ${name}.`);
  }
  const permissionPolicy = JSON.stringify(filled);
  const validation = validatePolicy(permissionPolicy, 'identity');
  if (!validation.ok) throw invalidInput(`The policy template filled with these parameters is not a valid policy: ${validation.message}`);
  return { permissionPolicy, rolePermissionRestrictionArns: requiredBoundaries(filled) };
}

async function templateDocument(docs: Documents, requestorAccountId: string, arn: string): Promise<string> {
  const notFound = () => invalidInput(`Policy template ${arn} does not exist.`);
  let owner: string;
  try {
    owner = parsePolicyArn(arn).owner;
  } catch {
    throw notFound();
  }
  // A partner's templates are its own (or AWS's); another account's policies are not.
  if (owner !== 'aws' && owner !== requestorAccountId) throw notFound();
  const view = await findPolicy(docs, requestorAccountId, arn);
  if (!view) throw notFound();
  if (view.scope === 'Local') {
    const version = view.record.versions.find((candidate) => candidate.versionId === view.record.defaultVersionId);
    if (version) return version.document;
    throw notFound();
  }
  const version = (await loadManagedPolicies()).getVersion(arn);
  if (!version) throw notFound();
  return version.document;
}

type Values = { type: 'string'; value: string } | { type: 'stringList'; values: string[] };

function parameterValues(parameters: readonly PolicyParameter[]): Map<string, Values> {
  const values = new Map<string, Values>();
  for (const parameter of parameters) {
    const name = parameter.Name;
    if (name === undefined) throw invalidInput('Each policy parameter must have a Name.');
    if (values.has(name)) throw invalidInput(`Policy parameter ${name} is given more than once.`);
    const given = parameter.Values ?? [];
    if (given.length === 0) throw invalidInput(`Policy parameter ${name} has no values.`);
    if ((parameter.Type ?? 'string') === 'string') {
      if (given.length !== 1) throw invalidInput(`Policy parameter ${name} of type string takes exactly one value.`);
      values.set(name, { type: 'string', value: given[0]! });
    } else {
      values.set(name, { type: 'stringList', values: [...given] });
    }
  }
  return values;
}

/** The template with its placeholders filled; a placeholder with no parameter is an error. */
function fill(node: unknown, parameters: Map<string, Values>, used: Set<string>): unknown {
  if (typeof node === 'string') return fillString(node, parameters, used);
  if (Array.isArray(node)) {
    return node.flatMap((element) => {
      const filled = fill(element, parameters, used);
      // A string a stringList filled becomes several elements.
      return Array.isArray(filled) && typeof element === 'string' ? filled : [filled];
    });
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value, parameters, used)]));
  }
  return node;
}

/** One string, or several when a stringList parameter fills it (one per value). */
function fillString(text: string, parameters: Map<string, Values>, used: Set<string>): string | string[] {
  let results = [''];
  let expanded = false;
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const literal = text.slice(last, match.index);
    const values = lookup(match[1]!, parameters, used);
    const choices = values.type === 'stringList' ? values.values : [values.value];
    expanded ||= values.type === 'stringList';
    results = results.flatMap((prefix) => choices.map((choice) => prefix + literal + choice));
    last = match.index + match[0].length;
  }
  results = results.map((prefix) => prefix + text.slice(last));
  return expanded ? results : results[0]!;
}

function lookup(name: string, parameters: Map<string, Values>, used: Set<string>): Values {
  const values = parameters.get(name);
  if (!values) throw invalidInput(`Policy template parameter ${name} has no value.`);
  used.add(name);
  return values;
}

/** The iam:PermissionsBoundary values the policy's iam:CreateRole statements require. */
function requiredBoundaries(policy: unknown): string[] {
  const statements = (policy as { Statement?: unknown }).Statement;
  const boundaries = new Set<string>();
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    const { Action, Condition } = (statement ?? {}) as { Action?: unknown; Condition?: Record<string, Record<string, unknown>> };
    const actions = (Array.isArray(Action) ? Action : [Action]).filter((action): action is string => typeof action === 'string');
    if (!actions.some((action) => action.toLowerCase() === 'iam:createrole')) continue;
    for (const operator of Object.values(Condition ?? {})) {
      for (const [key, value] of Object.entries(operator ?? {})) {
        if (key.toLowerCase() !== 'iam:permissionsboundary') continue;
        for (const arn of Array.isArray(value) ? value : [value]) if (typeof arn === 'string') boundaries.add(arn);
      }
    }
  }
  return [...boundaries];
}
