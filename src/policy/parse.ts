// JSON form -> AST. Structural only: it rejects what cannot be evaluated and keeps
// everything else as written. AWS's validation messages are validate.ts's job.
import type {
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

export class PolicyParseError extends Error {
  override name = 'PolicyParseError';
}

const VERSIONS: readonly PolicyVersion[] = ['2008-10-17', '2012-10-17'];
const PRINCIPAL_FAMILIES: readonly PrincipalFamily[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Parses a policy document (JSON text or an already parsed object). */
export function parsePolicy(document: string | object, id = ''): Policy {
  const root = typeof document === 'string' ? parseJson(document) : (document as Json);
  if (!isObject(root)) throw new PolicyParseError('The policy document must be a JSON object.');
  const version = root.Version ?? '2008-10-17'; // AWS's default when Version is absent
  if (typeof version !== 'string' || !VERSIONS.includes(version as PolicyVersion)) {
    throw new PolicyParseError(`Unsupported policy Version: ${JSON.stringify(version)}.`);
  }
  const documentId = root.Id === undefined ? undefined : String(root.Id);
  const statementJson = root.Statement;
  if (statementJson === undefined) throw new PolicyParseError('The policy has no Statement element.');
  const list = Array.isArray(statementJson) ? statementJson : [statementJson];
  const statements = list.map((s, index) => parseStatement(s, index));
  return { id, version: version as PolicyVersion, documentId, statements };
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new PolicyParseError(`The policy is not valid JSON: ${(error as Error).message}`);
  }
}

function parseStatement(json: Json, index: number): Statement {
  if (!isObject(json)) throw new PolicyParseError(`Statement ${index} is not a JSON object.`);
  const effect = json.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new PolicyParseError(`Statement ${index}: Effect must be "Allow" or "Deny".`);
  }
  const action = pair(json, 'Action', 'NotAction', index, stringList);
  if (action === undefined) throw new PolicyParseError(`Statement ${index} has neither Action nor NotAction.`);
  return {
    index,
    sid: json.Sid === undefined ? undefined : String(json.Sid),
    effect: effect as Effect,
    action,
    resource: pair(json, 'Resource', 'NotResource', index, stringList),
    principal: pair(json, 'Principal', 'NotPrincipal', index, principalList),
    conditions: json.Condition === undefined ? [] : parseCondition(json.Condition, index),
  };
}

/** Reads an element that has a positive and a `Not` form; at most one may be present. */
function pair<T>(
  json: JsonObject,
  name: string,
  notName: string,
  index: number,
  read: (value: Json, where: string) => T[],
): ElementList<T> | undefined {
  const positive = json[name];
  const negative = json[notName];
  if (positive !== undefined && negative !== undefined) {
    throw new PolicyParseError(`Statement ${index} has both ${name} and ${notName}.`);
  }
  if (positive !== undefined) return { negated: false, values: read(positive, `Statement ${index} ${name}`) };
  if (negative !== undefined) return { negated: true, values: read(negative, `Statement ${index} ${notName}`) };
  return undefined;
}

function stringList(value: Json, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') throw new PolicyParseError(`${where} must hold strings.`);
    return item;
  });
}

function principalList(value: Json, where: string): PrincipalValue[] {
  if (value === '*') return [{ family: '*', value: '*' }];
  if (!isObject(value)) throw new PolicyParseError(`${where} must be "*" or an object.`);
  const principals: PrincipalValue[] = [];
  for (const [family, members] of Object.entries(value)) {
    if (!PRINCIPAL_FAMILIES.includes(family as PrincipalFamily)) {
      throw new PolicyParseError(`${where}: unknown principal type ${family}.`);
    }
    for (const member of stringList(members, `${where} ${family}`)) {
      principals.push({ family: family as PrincipalFamily, value: member });
    }
  }
  return principals;
}

function parseCondition(json: Json, index: number): ConditionClause[] {
  if (!isObject(json)) throw new PolicyParseError(`Statement ${index}: Condition must be an object.`);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(json)) {
    if (!isObject(block)) throw new PolicyParseError(`Statement ${index}: Condition ${operator} must be an object.`);
    const { baseOperator, qualifier, ifExists } = splitOperator(operator);
    for (const [key, raw] of Object.entries(block)) {
      clauses.push({ operator, baseOperator, qualifier, ifExists, key, values: conditionValues(raw, index, operator) });
    }
  }
  return clauses;
}

/** `ForAnyValue:StringLikeIfExists` -> StringLike, ForAnyValue, ifExists. */
export function splitOperator(operator: string): {
  baseOperator: string;
  qualifier: SetQualifier | undefined;
  ifExists: boolean;
} {
  let rest = operator;
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAllValues' && prefix !== 'ForAnyValue') {
      throw new PolicyParseError(`Unknown condition set qualifier ${prefix} in ${operator}.`);
    }
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists');
  return { baseOperator: ifExists ? rest.slice(0, -'IfExists'.length) : rest, qualifier, ifExists };
}

function conditionValues(raw: Json, index: number, operator: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((value) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new PolicyParseError(`Statement ${index}: ${operator} values must be strings, numbers or booleans.`);
  });
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
