// Input validation from the model, with AWS's messages. After a codec has parsed a
// request into typed values (see codec.ts), the server checks them against the
// operation's input shape; any violation makes the request fail with the protocol's
// validation error code (ValidationError for query/ec2, ValidationException for
// json/rest-json) and a message such as
//   1 validation error detected: Value 'a b' at 'userName' failed to satisfy
//   constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+
//
// What AWS sends, as observed in real responses (STS, IAM, KMS, Cognito, Lambda,
// DynamoDB, Kinesis, ACM, EventBridge):
// - Paths use lowerCamelCase member names joined with '.'; a list element is
//   `tags.1.member` (1-based), a map value `requestItems.<key>.member`.
// - One violation per failed constraint: "Value '<v>' at '<path>' failed to satisfy
//   constraint: <constraint>"; "Value null at" for a missing required member;
//   "Value at" (no value) for sensitive members and for structured values.
// - Within a member the pattern violation comes before the length one (STS AssumeRole).
// - Constraints on the elements of a list of scalars are reported once, at the list:
//   "Member must satisfy constraint: [<every constraint of the element shape>]";
//   for map keys and scalar map values: "Map keys must satisfy constraint: [...]",
//   "Map value must satisfy constraint: [...]" (keys first). The bracket lists the
//   constraints in the order max length, min length, max value, min value, pattern, enum.
// - Values are rendered as Java's toString does: lists `[a, b]`, maps `{k=v, k2=v2}`,
//   doubles `1.0`, blobs `java.nio.HeapByteBuffer[pos=0 lim=4097 cap=4097]`.
// - String lengths count code points (an emoji counts 1), blob lengths bytes.
// - Violations are joined with '; ' and at most 10 are reported:
//   "2 validation errors detected: <first>; <second>".
// Not confirmed from AWS (our own wording, used rarely): the union rule ("Member must
// have exactly one member set") and type mismatches ("Member must be a string"),
// which codecs normally reject earlier with their own protocol error.
import { randomUUID } from 'node:crypto';
import { AwsError } from './errors.ts';
import { shapeOf } from './model.ts';
import type { ListShape, MapShape, OperationModel, ServiceModel, Shape, StringShape, StructureShape } from './model.ts';
import { compileJavaPattern } from './java-regex.ts';
import type { Input } from './codec.ts';

export type ViolationKind = 'required' | 'type' | 'length' | 'range' | 'pattern' | 'enum' | 'union' | 'elements';

export interface Violation {
  /** Where, as AWS names it: 'userName', 'tags.1.member.key', 'encryptionContext'. */
  path: string;
  /** AWS's constraint text, e.g. 'Member must not be null'. */
  constraint: string;
  kind: ViolationKind;
  /**
   * The offending value as it appears in the message: a string is quoted
   * ("Value 'a b' at"), null means absent ("Value null at"), undefined means AWS does
   * not echo it ("Value at": sensitive or structured values).
   */
  value?: string | null;
}

/** AWS reports at most this many violations in one message. */
export const MAX_REPORTED_VIOLATIONS = 10;

/** Every violation (up to MAX_REPORTED_VIOLATIONS) of `input` against the named structure shape. */
export function validateInput(model: ServiceModel, shapeName: string, input: unknown): Violation[] {
  const out: Violation[] = [];
  const check = planFor(model, shapeName);
  if (check) check.run(input ?? {}, undefined, '', out);
  return out.slice(0, MAX_REPORTED_VIOLATIONS);
}

/** validateInput for an operation's input shape (an operation without input accepts anything). */
export function validateOperationInput(model: ServiceModel, operation: OperationModel, input: unknown): Violation[] {
  return operation.input ? validateInput(model, operation.input.shape, input) : [];
}

/** AWS's message for a non-empty list of violations. */
export function validationMessage(violations: readonly Violation[]): string {
  const reported = violations.slice(0, MAX_REPORTED_VIOLATIONS);
  const count = reported.length === 1 ? '1 validation error detected' : `${reported.length} validation errors detected`;
  return `${count}: ${reported.map(describeViolation).join('; ')}`;
}

/** One violation as AWS phrases it. */
export function describeViolation(violation: Violation): string {
  const value = violation.value === undefined ? 'Value' : violation.value === null ? 'Value null' : `Value '${violation.value}'`;
  return `${value} at '${violation.path}' failed to satisfy constraint: ${violation.constraint}`;
}

/** The error to throw for violations; `code` is the protocol's (codec.validationErrorCode). */
export function validationFailure(code: string, violations: readonly Violation[]): AwsError {
  return new AwsError(code, validationMessage(violations), { status: 400, senderFault: true });
}

/**
 * Fills absent `idempotencyToken` members of the input structure with a fresh UUID,
 * as AWS SDKs do for callers that leave them out. Returns a copy when it fills any.
 */
export function fillIdempotencyTokens(model: ServiceModel, shapeName: string, input: Input): Input {
  const names = tokenMembers(model, shapeName);
  if (names.length === 0 || names.every((name) => input[name] != null)) return input;
  const filled: Input = { ...input };
  for (const name of names) if (filled[name] == null) filled[name] = randomUUID();
  return filled;
}

const tokenCache = new WeakMap<ServiceModel, Map<string, string[]>>();

function tokenMembers(model: ServiceModel, shapeName: string): string[] {
  let perModel = tokenCache.get(model);
  if (!perModel) tokenCache.set(model, (perModel = new Map()));
  let names = perModel.get(shapeName);
  if (!names) {
    const shape = shapeOf(model, shapeName);
    names = shape.type === 'structure'
      ? Object.entries(shape.members).filter(([, ref]) => ref.idempotencyToken).map(([name]) => name)
      : [];
    perModel.set(shapeName, names);
  }
  return names;
}

// --- constraint texts ----------------------------------------------------------------------

const NOT_NULL = 'Member must not be null';
const lengthAtMost = (n: number) => `Member must have length less than or equal to ${n}`;
const lengthAtLeast = (n: number) => `Member must have length greater than or equal to ${n}`;
const valueAtMost = (n: string) => `Member must have value less than or equal to ${n}`;
const valueAtLeast = (n: string) => `Member must have value greater than or equal to ${n}`;
const patternText = (p: string) => `Member must satisfy regular expression pattern: ${p}`;
const enumText = (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`;
const bracketed = (texts: readonly string[]) => `[${texts.join(', ')}]`;
const UNION_TEXT = 'Member must have exactly one member set';

// --- paths -----------------------------------------------------------------------------------

/** A location, built only as deep as the validation walks; joined into text only on failure. */
type Path = { readonly parent: Path; readonly segment: string } | undefined;

function pathText(parent: Path, segment: string): string {
  let text = segment;
  for (let p = parent; p; p = p.parent) if (p.segment) text = text ? `${p.segment}.${text}` : p.segment;
  return text;
}

/** AWS names members in lowerCamelCase: 'UserName' -> 'userName', 'SAMLOptions' -> 'sAMLOptions'. */
function pathName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

// --- validation plans --------------------------------------------------------------------------

/** A compiled check for values of one shape. `run` reports into `out`. */
interface Check {
  run(value: unknown, parent: Path, segment: string, out: Violation[]): void;
}

/** The constraints of a scalar shape, usable per member or aggregated over list elements. */
interface ScalarRule {
  /** The failed constraints of a present value, in AWS's per-member order. */
  failures(value: unknown): { kind: ViolationKind; text: string }[];
  /** Every constraint, in the order AWS lists them in brackets. */
  readonly all: readonly string[];
  render(value: unknown): string | undefined;
}

const plans = new WeakMap<ServiceModel, Map<string, Check | null>>();

/** The check for a shape, compiled on first use and cached per model; null when nothing can fail. */
function planFor(model: ServiceModel, shapeName: string): Check | null {
  let perModel = plans.get(model);
  if (!perModel) plans.set(model, (perModel = new Map()));
  if (perModel.has(shapeName)) return perModel.get(shapeName)!;
  const shape = shapeOf(model, shapeName);
  if (shape.type === 'structure') {
    // Structures may be recursive: register a forwarding check before compiling members.
    const forward: { target: Check | null } & Check = {
      target: null,
      run(value, parent, segment, out) {
        forward.target?.run(value, parent, segment, out);
      },
    };
    perModel.set(shapeName, forward);
    forward.target = structureCheck(model, shape);
    return forward;
  }
  const check = shape.type === 'list' ? listCheck(model, shape)
    : shape.type === 'map' ? mapCheck(model, shape)
      : scalarCheck(scalarRule(shape));
  perModel.set(shapeName, check);
  return check;
}

function isScalar(shape: Shape): boolean {
  return shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && !(value instanceof Date) && !(value instanceof Uint8Array);
}

function structureCheck(model: ServiceModel, shape: StructureShape): Check | null {
  if ((shape as { document?: boolean }).document) return null; // any JSON value
  const required = new Set(shape.required ?? []);
  const members = Object.entries(shape.members).map(([name, ref]) => ({
    name,
    path: pathName(name),
    required: required.has(name),
    check: planFor(model, ref.shape),
  }));
  const union = shape.union === true;
  return {
    run(value, parent, segment, out) {
      const here: Path = segment ? { parent, segment } : parent;
      if (!isRecord(value)) {
        out.push({ path: pathText(parent, segment), constraint: 'Member must be a structure', kind: 'type' });
        return;
      }
      let present = 0;
      for (const member of members) {
        const memberValue = value[member.name];
        if (memberValue === undefined || memberValue === null) {
          if (member.required) out.push({ path: pathText(here, member.path), constraint: NOT_NULL, kind: 'required', value: null });
        } else {
          present++;
          member.check?.run(memberValue, here, member.path, out);
        }
        if (out.length >= MAX_REPORTED_VIOLATIONS) return;
      }
      if (union && present !== 1) out.push({ path: pathText(parent, segment), constraint: UNION_TEXT, kind: 'union' });
    },
  };
}

/** A scalar member: each failed constraint is its own violation. */
function scalarCheck(rule: ScalarRule | null): Check | null {
  if (!rule) return null;
  return {
    run(value, parent, segment, out) {
      const failures = rule.failures(value);
      if (failures.length === 0) return;
      const path = pathText(parent, segment);
      const rendered = rule.render(value);
      for (const failure of failures) out.push({ path, constraint: failure.text, kind: failure.kind, value: rendered });
    },
  };
}

function listCheck(model: ServiceModel, shape: ListShape): Check | null {
  const elementShape = shapeOf(model, shape.member.shape);
  const size = sizeRule(shape);
  // Scalar elements are checked together and reported once, at the list.
  const elementRule = isScalar(elementShape) ? constrained(scalarRule(elementShape)) : null;
  const elementCheck = isScalar(elementShape) ? null : planFor(model, shape.member.shape);
  if (!size && !elementRule && !elementCheck) return null;
  const render = (list: unknown[]) => renderList(shape, elementShape, list);
  return {
    run(value, parent, segment, out) {
      if (!Array.isArray(value)) {
        out.push({ path: pathText(parent, segment), constraint: 'Member must be a list', kind: 'type' });
        return;
      }
      size?.(value.length, parent, segment, out, () => render(value));
      if (elementRule && value.some((element) => element != null && elementRule.failures(element).length > 0)) {
        out.push({
          path: pathText(parent, segment),
          constraint: `Member must satisfy constraint: ${bracketed(elementRule.all)}`,
          kind: 'elements',
          value: render(value),
        });
      }
      if (elementCheck) {
        const here: Path = { parent, segment };
        for (let i = 0; i < value.length && out.length < MAX_REPORTED_VIOLATIONS; i++) {
          if (value[i] != null) elementCheck.run(value[i], here, `${i + 1}.member`, out);
        }
      }
    },
  };
}

function mapCheck(model: ServiceModel, shape: MapShape): Check | null {
  const keyShape = shapeOf(model, shape.key.shape);
  const valueShape = shapeOf(model, shape.value.shape);
  const size = sizeRule(shape);
  const keyRule = constrained(scalarRule(keyShape));
  const valueRule = isScalar(valueShape) ? constrained(scalarRule(valueShape)) : null;
  const valueCheck = isScalar(valueShape) ? null : planFor(model, shape.value.shape);
  if (!size && !keyRule && !valueRule && !valueCheck) return null;
  const render = (map: Record<string, unknown>) => renderMap(shape, keyShape, valueShape, map);
  return {
    run(value, parent, segment, out) {
      if (!isRecord(value)) {
        out.push({ path: pathText(parent, segment), constraint: 'Member must be a map', kind: 'type' });
        return;
      }
      const keys = Object.keys(value);
      size?.(keys.length, parent, segment, out, () => render(value));
      if (keyRule && keys.some((key) => keyRule.failures(key).length > 0)) {
        out.push({
          path: pathText(parent, segment),
          constraint: `Map keys must satisfy constraint: ${bracketed(keyRule.all)}`,
          kind: 'elements',
          value: render(value),
        });
      }
      if (valueRule && keys.some((key) => value[key] != null && valueRule.failures(value[key]).length > 0)) {
        out.push({
          path: pathText(parent, segment),
          constraint: `Map value must satisfy constraint: ${bracketed(valueRule.all)}`,
          kind: 'elements',
          value: render(value),
        });
      }
      if (valueCheck) {
        const here: Path = { parent, segment };
        for (const key of keys) {
          if (out.length >= MAX_REPORTED_VIOLATIONS) break;
          if (value[key] != null) valueCheck.run(value[key], here, `${key}.member`, out);
        }
      }
    },
  };
}

type SizeRule = (size: number, parent: Path, segment: string, out: Violation[], render: () => string | undefined) => void;

/** min/max on a list or map: its number of entries, reported as a "length". */
function sizeRule(shape: ListShape | MapShape): SizeRule | null {
  const { min, max } = shape;
  if (min === undefined && max === undefined) return null;
  return (size, parent, segment, out, render) => {
    if (max !== undefined && size > max) {
      out.push({ path: pathText(parent, segment), constraint: lengthAtMost(max), kind: 'length', value: render() });
    } else if (min !== undefined && size < min) {
      out.push({ path: pathText(parent, segment), constraint: lengthAtLeast(min), kind: 'length', value: render() });
    }
  };
}

// --- scalar rules ---------------------------------------------------------------------------------

type Failure = { kind: ViolationKind; text: string };

/** Elements, keys and map values are only checked against real constraints, not their type. */
function constrained(rule: ScalarRule | null): ScalarRule | null {
  return rule && rule.all.length > 0 ? rule : null;
}

function scalarRule(shape: Shape): ScalarRule | null {
  switch (shape.type) {
    case 'string': return stringRule(shape);
    case 'blob': return blobRule(shape);
    case 'integer': case 'long': case 'biginteger':
    case 'float': case 'double': case 'bigdecimal':
      return numberRule(shape);
    case 'boolean': return typeOnlyRule(shape, (v) => typeof v === 'boolean', 'Member must be a boolean');
    case 'timestamp':
      return typeOnlyRule(shape, (v) => v instanceof Date && !Number.isNaN(v.getTime()), 'Member must be a timestamp');
    default: return null;
  }
}

function stringRule(shape: StringShape): ScalarRule {
  const { min, max, pattern } = shape;
  const values = shape.enum;
  const regex = pattern === undefined ? undefined : tryCompile(pattern);
  if (min === undefined && max === undefined && regex === undefined && !values) {
    return typeOnlyRule(shape, (v) => typeof v === 'string', 'Member must be a string');
  }
  const allowed = values ? new Set(values) : undefined;
  const all = [
    ...(max !== undefined ? [lengthAtMost(max)] : []),
    ...(min !== undefined ? [lengthAtLeast(min)] : []),
    ...(regex ? [patternText(pattern!)] : []),
    ...(values ? [enumText(values)] : []),
  ];
  return {
    all,
    failures(value) {
      if (typeof value !== 'string') return [{ kind: 'type', text: 'Member must be a string' }];
      const failed: Failure[] = [];
      if (regex && !regex.test(value)) failed.push({ kind: 'pattern', text: patternText(pattern!) });
      if (max !== undefined && value.length > max && codePointLength(value) > max) {
        failed.push({ kind: 'length', text: lengthAtMost(max) });
      }
      if (min !== undefined && value.length < 2 * min && codePointLength(value) < min) {
        failed.push({ kind: 'length', text: lengthAtLeast(min) });
      }
      if (allowed && !allowed.has(value)) failed.push({ kind: 'enum', text: enumText(values!) });
      return failed;
    },
    render: (value) => (shape.sensitive ? undefined : renderScalar(shape, value)),
  };
}

/** A pattern that cannot be translated is not enforced rather than failing every request. */
function tryCompile(pattern: string): RegExp | undefined {
  try {
    return compileJavaPattern(pattern);
  } catch {
    return undefined;
  }
}

/** Length in code points, as AWS counts string lengths. */
function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function blobRule(shape: Shape): ScalarRule {
  const { min, max } = shape;
  const all = [...(max !== undefined ? [lengthAtMost(max)] : []), ...(min !== undefined ? [lengthAtLeast(min)] : [])];
  return {
    all,
    failures(value) {
      const length = value instanceof Uint8Array ? value.byteLength : typeof value === 'string' ? Buffer.byteLength(value) : undefined;
      if (length === undefined) return [{ kind: 'type', text: 'Member must be a blob' }];
      if (max !== undefined && length > max) return [{ kind: 'length', text: lengthAtMost(max) }];
      if (min !== undefined && length < min) return [{ kind: 'length', text: lengthAtLeast(min) }];
      return [];
    },
    render: (value) => (shape.sensitive ? undefined : renderScalar(shape, value)),
  };
}

const INTEGRAL = new Set(['integer', 'long', 'biginteger']);

function numberRule(shape: Shape): ScalarRule {
  const { min, max } = shape;
  const integral = INTEGRAL.has(shape.type);
  const bound = (n: number) => (integral ? String(n) : javaDouble(n));
  const all = [...(max !== undefined ? [valueAtMost(bound(max))] : []), ...(min !== undefined ? [valueAtLeast(bound(min))] : [])];
  const typeText = integral ? 'Member must be an integer' : 'Member must be a number';
  return {
    all,
    failures(value) {
      if (typeof value !== 'number' || Number.isNaN(value) || (integral && !Number.isInteger(value))) {
        return [{ kind: 'type', text: typeText }];
      }
      if (max !== undefined && value > max) return [{ kind: 'range', text: valueAtMost(bound(max)) }];
      if (min !== undefined && value < min) return [{ kind: 'range', text: valueAtLeast(bound(min)) }];
      return [];
    },
    render: (value) => (shape.sensitive ? undefined : renderScalar(shape, value)),
  };
}

function typeOnlyRule(shape: Shape, accepts: (value: unknown) => boolean, text: string): ScalarRule {
  return {
    all: [],
    failures: (value) => (accepts(value) ? [] : [{ kind: 'type', text }]),
    render: (value) => (shape.sensitive ? undefined : renderScalar(shape, value)),
  };
}

// --- rendering values as AWS (Java's toString) does ------------------------------------------------

function renderScalar(shape: Shape, value: unknown): string {
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  if (value instanceof Date) return javaDate(value);
  if (typeof value === 'number') return INTEGRAL.has(shape.type) || !Number.isFinite(value) ? String(value) : javaDouble(value);
  return String(value);
}

/** A list is echoed when its elements are non-sensitive scalars: `[a, b]`. */
function renderList(shape: ListShape, elementShape: Shape, list: unknown[]): string | undefined {
  if (shape.sensitive || elementShape.sensitive || !isScalar(elementShape)) return undefined;
  return `[${list.map((e) => (e == null ? 'null' : renderScalar(elementShape, e))).join(', ')}]`;
}

/** A map of non-sensitive scalars is echoed as `{k=v, k2=v2}`. */
function renderMap(shape: MapShape, keyShape: Shape, valueShape: Shape, map: Record<string, unknown>): string | undefined {
  if (shape.sensitive || keyShape.sensitive || valueShape.sensitive || !isScalar(valueShape)) return undefined;
  const entries = Object.keys(map).map((k) => `${k}=${map[k] == null ? 'null' : renderScalar(valueShape, map[k])}`);
  return `{${entries.join(', ')}}`;
}

/** Java's Double.toString: "1.0", "0.5", "1.0E7", "1.5E-4". */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(n);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(n);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in UTC: "Thu Jan 01 00:00:00 UTC 1970". */
function javaDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} `
    + `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}
