// Reads a query/ec2 request's parameter tree (form.ts) into the operation's typed input,
// following the model. The two protocols name things differently on input:
//   query: member `locationName` or its name; lists `Name.member.N` (`Name.N` when
//          flattened); maps `Name.entry.N.key` / `.value` (`Name.N.key` when flattened)
//   ec2:   member `queryName`, else `locationName` capitalized, else its name; lists
//          always `Name.N`
// Decoders are compiled once per model and shape, then reused for every request.
import { AwsError } from './errors.ts';
import { malformed, preview, type ParamNode } from './form.ts';
import { shapeOf, type ListShape, type MapShape, type MemberRef, type ServiceModel, type Shape, type StructureShape } from './model.ts';

export type QueryFlavor = 'query' | 'ec2';

/** Lists longer than this are refused before any work is done on them. */
export const MAX_LIST_INDEX = 10_000;

/** Decodes the node found at `path` (the parameter name, for messages). */
type Decoder = (node: ParamNode, path: string) => unknown;

interface MemberDecoder {
  name: string;
  wireName: string;
  decode: Decoder;
}

/** How a flavor names things, and which error code a value of the wrong type gets. */
interface InputRules {
  flavor: QueryFlavor;
  typeErrorCode: string;
  typeError(value: string, path: string, expected: string): string;
}

const RULES: Record<QueryFlavor, InputRules> = {
  query: {
    flavor: 'query',
    typeErrorCode: 'ValidationError',
    typeError: (value, path, expected) =>
      `1 validation error detected: Value '${preview(value)}' at '${path}' failed to satisfy constraint: Member must be ${expected}`,
  },
  ec2: {
    flavor: 'ec2',
    typeErrorCode: 'InvalidParameterValue',
    typeError: (value, path, expected) => `Value (${preview(value)}) for parameter ${path} is invalid. Expected ${expected}.`,
  },
};

class InputCompiler {
  readonly #model: ServiceModel;
  readonly #rules: InputRules;
  readonly #structures = new Map<string, MemberDecoder[]>();
  readonly #inputs = new Map<string, Decoder>();

  constructor(model: ServiceModel, flavor: QueryFlavor) {
    this.#model = model;
    this.#rules = RULES[flavor];
  }

  /** The input structure's decoder: a request's whole parameter tree is its node. */
  structure(shapeName: string): Decoder {
    let decode = this.#inputs.get(shapeName);
    if (!decode) {
      decode = this.#structureDecoder(shapeName, shapeOf(this.#model, shapeName) as StructureShape);
      this.#inputs.set(shapeName, decode);
    }
    return decode;
  }

  #decoder(ref: MemberRef): Decoder {
    const shape = shapeOf(this.#model, ref.shape);
    switch (shape.type) {
      case 'structure':
        return this.#structureDecoder(ref.shape, shape);
      case 'list':
        return this.#listDecoder(ref, shape);
      case 'map':
        return this.#mapDecoder(ref, shape);
      default:
        return this.#scalarDecoder(shape);
    }
  }

  #structureDecoder(shapeName: string, shape: StructureShape): Decoder {
    // Members are compiled on first use: shapes may be recursive.
    let members: MemberDecoder[] | undefined;
    return (node, path) => {
      members ??= this.#members(shapeName, shape);
      const result: Record<string, unknown> = {};
      const children = node.children;
      if (!children) return result;
      for (const member of members) {
        const child = children.get(member.wireName);
        if (child) {
          const value = member.decode(child, path === '' ? member.wireName : `${path}.${member.wireName}`);
          if (value !== undefined) result[member.name] = value;
        }
      }
      return result;
    };
  }

  #members(shapeName: string, shape: StructureShape): MemberDecoder[] {
    let members = this.#structures.get(shapeName);
    if (!members) {
      members = Object.entries(shape.members)
        .filter(([, ref]) => ref.location === undefined)
        .map(([name, ref]) => ({ name, wireName: this.#memberName(name, ref), decode: this.#decoder(ref) }));
      this.#structures.set(shapeName, members);
    }
    return members;
  }

  #memberName(name: string, ref: MemberRef): string {
    const shape = shapeOf(this.#model, ref.shape);
    if (this.#rules.flavor === 'ec2') {
      if (ref.queryName) return ref.queryName;
      const located = ref.locationName ?? shape.locationName;
      return located ? located[0].toUpperCase() + located.slice(1) : name;
    }
    // A flattened list takes its member's name in place of its own (as botocore sends it).
    if (shape.type === 'list' && isFlattened(ref, shape)) {
      const memberName = shape.member.locationName ?? shapeOf(this.#model, shape.member.shape).locationName;
      if (memberName) return memberName;
    }
    return ref.locationName ?? shape.locationName ?? name;
  }

  #listDecoder(ref: MemberRef, shape: ListShape): Decoder {
    const element = this.#decoder(shape.member);
    // The part between the list's name and the index: `member` unless flattened (or ec2).
    const itemName =
      this.#rules.flavor === 'ec2' || isFlattened(ref, shape)
        ? undefined
        : (shape.member.locationName ?? shapeOf(this.#model, shape.member.shape).locationName ?? 'member');
    return (node, path) => {
      const items = itemName === undefined ? node.children : node.children?.get(itemName)?.children;
      if (!items) return emptyList(node, path, this.#rules);
      const prefix = itemName === undefined ? path : `${path}.${itemName}`;
      return indexed(items, prefix).map(([index, child]) => element(child, `${prefix}.${index}`));
    };
  }

  #mapDecoder(ref: MemberRef, shape: MapShape): Decoder {
    const decodeKey = this.#decoder(shape.key);
    const decodeValue = this.#decoder(shape.value);
    const keyName = this.#entryPartName(shape.key, 'key');
    const valueName = this.#entryPartName(shape.value, 'value');
    const flattened = this.#rules.flavor === 'query' && isFlattened(ref, shape);
    return (node, path) => {
      const entries = flattened ? node.children : node.children?.get('entry')?.children;
      const result: Record<string, unknown> = {};
      if (!entries) return result;
      const prefix = flattened ? path : `${path}.entry`;
      for (const [index, entry] of indexed(entries, prefix)) {
        const keyNode = entry.children?.get(keyName);
        if (!keyNode) throw malformed(`The map entry ${prefix}.${index} has no ${keyName}.`);
        const key = String(decodeKey(keyNode, `${prefix}.${index}.${keyName}`));
        const valueNode = entry.children?.get(valueName);
        const value = valueNode ? decodeValue(valueNode, `${prefix}.${index}.${valueName}`) : undefined;
        // defineProperty: a key such as `__proto__` is data, never the object's prototype.
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return result;
    };
  }

  #entryPartName(ref: MemberRef, fallback: string): string {
    if (this.#rules.flavor === 'ec2') {
      if (ref.queryName) return ref.queryName;
      return ref.locationName ? ref.locationName[0].toUpperCase() + ref.locationName.slice(1) : fallback;
    }
    return ref.locationName ?? fallback;
  }

  #scalarDecoder(shape: Shape): Decoder {
    const rules = this.#rules;
    const fail = (value: string, path: string, expected: string): never => {
      throw new AwsError(rules.typeErrorCode, rules.typeError(value, path, expected), { status: 400, senderFault: true });
    };
    const convert = SCALARS[shape.type];
    return (node, path) => {
      if (node.value === undefined) return undefined; // e.g. `Name.x=1` for a scalar: not this parameter
      return convert(node.value, path, fail);
    };
  }
}

type Fail = (value: string, path: string, expected: string) => never;
type Convert = (value: string, path: string, fail: Fail) => unknown;

const INTEGER = /^[+-]?\d{1,20}$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const EPOCH_SECONDS = /^\d{1,12}(\.\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function integerIn(min: number, max: number, expected: string): Convert {
  return (value, path, fail) => {
    if (!INTEGER.test(value)) return fail(value, path, expected);
    const number = Number(value);
    return number >= min && number <= max ? number : fail(value, path, expected);
  };
}

function decimal(value: string, path: string, fail: Fail): number {
  if (DECIMAL.test(value)) return Number(value);
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return fail(value, path, 'a number');
}

const SCALARS: Record<Shape['type'], Convert> = {
  string: (value) => value,
  integer: integerIn(-2147483648, 2147483647, 'an integer'),
  long: integerIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'an integer'),
  biginteger: integerIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'an integer'),
  float: decimal,
  double: decimal,
  bigdecimal: decimal,
  boolean: (value, path, fail) => {
    const lower = value.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : fail(value, path, 'a boolean (true or false)');
  },
  timestamp: (value, path, fail) => {
    const time = EPOCH_SECONDS.test(value) ? Number(value) * 1000 : ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isFinite(time) ? new Date(time) : fail(value, path, 'an ISO 8601 timestamp');
  },
  blob: (value, path, fail) => (BASE64.test(value) ? Buffer.from(value, 'base64') : fail(value, path, 'base64-encoded')),
  structure: () => undefined,
  list: () => undefined,
  map: () => undefined,
};

function isFlattened(ref: MemberRef, shape: Shape): boolean {
  return ref.flattened === true || shape.flattened === true;
}

/** `Name=` (an empty value, no items) is how clients send an empty list. */
function emptyList(node: ParamNode, path: string, rules: InputRules): unknown[] | undefined {
  if (node.value === undefined) return undefined;
  if (node.value === '') return [];
  throw new AwsError(rules.typeErrorCode, rules.typeError(node.value, path, 'a list'), { status: 400, senderFault: true });
}

const INDEX = /^[1-9]\d{0,9}$/;

/** The numbered children of a list or map node, in index order; gaps close up. */
function indexed(items: Map<string, ParamNode>, prefix: string): [number, ParamNode][] {
  const result: [number, ParamNode][] = [];
  for (const [key, child] of items) {
    const index = INDEX.test(key) ? Number(key) : 0;
    if (index < 1 || index > MAX_LIST_INDEX) {
      throw malformed(`The parameter ${prefix}.${preview(key)} has an invalid index: indices run from 1 to ${MAX_LIST_INDEX}.`);
    }
    result.push([index, child]);
  }
  return result.sort((a, b) => a[0] - b[0]);
}

const compilers: Record<QueryFlavor, WeakMap<ServiceModel, InputCompiler>> = {
  query: new WeakMap(),
  ec2: new WeakMap(),
};

/** Decodes a request's parameter tree into the typed input of the structure `shapeName`. */
export function decodeInput(model: ServiceModel, flavor: QueryFlavor, shapeName: string, tree: ParamNode): Record<string, unknown> {
  let compiler = compilers[flavor].get(model);
  if (!compiler) {
    compiler = new InputCompiler(model, flavor);
    compilers[flavor].set(model, compiler);
  }
  return compiler.structure(shapeName)(tree, '') as Record<string, unknown>;
}
