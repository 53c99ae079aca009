// Writes a handler's output (or an error's modelled members) as the XML the query and
// ec2 protocols send, following the model: members in the shape's order, named by
// `locationName`; lists as <member> (query) or <item> (ec2) children unless flattened;
// maps as <entry><key/><value/></entry>. Encoders are compiled once per model and shape.
import { COMMON_ERRORS, type AwsError } from './errors.ts';
import type { QueryFlavor } from './query-input.ts';
import { shapeOf, type ListShape, type MapShape, type MemberRef, type ServiceModel, type Shape, type StructureShape } from './model.ts';
import { escapeXml, isoMillis, isoSeconds } from './xml.ts';

/** Content of an element for a value (text or child elements). */
type Encoder = (value: unknown) => string;
/** Whole element(s) for a structure member's value. */
type MemberWriter = (value: unknown) => string;

interface MemberEncoder {
  name: string;
  write: MemberWriter;
}

class OutputCompiler {
  readonly #model: ServiceModel;
  readonly #flavor: QueryFlavor;
  readonly #structures = new Map<string, MemberEncoder[]>();
  readonly #encoders = new Map<string, Encoder>();

  constructor(model: ServiceModel, flavor: QueryFlavor) {
    this.#model = model;
    this.#flavor = flavor;
  }

  /** The encoder of a structure's members (its content), for a response body or error. */
  structure(shapeName: string, skip?: ReadonlySet<string>): Encoder {
    const key = skip ? `${shapeName}\0${[...skip].join(',')}` : shapeName;
    let encode = this.#encoders.get(key);
    if (!encode) {
      encode = this.#structureEncoder(shapeName, shapeOf(this.#model, shapeName) as StructureShape, skip);
      this.#encoders.set(key, encode);
    }
    return encode;
  }

  #encoder(ref: MemberRef): Encoder {
    const shape = shapeOf(this.#model, ref.shape);
    switch (shape.type) {
      case 'structure':
        return this.#structureEncoder(ref.shape, shape);
      case 'list':
        return this.#listEncoder(shape);
      case 'map':
        return this.#mapEncoder(shape);
      default:
        return this.#scalarEncoder(ref, shape);
    }
  }

  #structureEncoder(shapeName: string, shape: StructureShape, skip?: ReadonlySet<string>): Encoder {
    // Members are compiled on first use: shapes may be recursive.
    let members: MemberEncoder[] | undefined;
    return (value) => {
      if (typeof value !== 'object' || value === null) return '';
      members ??= this.#members(shapeName, shape);
      const record = value as Record<string, unknown>;
      let xml = '';
      for (const member of members) {
        if (skip?.has(member.name)) continue;
        const memberValue = record[member.name];
        if (memberValue !== undefined && memberValue !== null) xml += member.write(memberValue);
      }
      return xml;
    };
  }

  #members(shapeName: string, shape: StructureShape): MemberEncoder[] {
    let members = this.#structures.get(shapeName);
    if (!members) {
      members = Object.entries(shape.members)
        .filter(([, ref]) => ref.location === undefined && !ref.xmlAttribute)
        .map(([name, ref]) => ({ name, write: this.#memberWriter(name, ref) }));
      this.#structures.set(shapeName, members);
    }
    return members;
  }

  #memberWriter(name: string, ref: MemberRef): MemberWriter {
    const shape = shapeOf(this.#model, ref.shape);
    const tag = ref.locationName ?? shape.locationName ?? name;
    const flattened = ref.flattened === true || shape.flattened === true;
    if (flattened && shape.type === 'list') {
      // Each item is an element of its own, named by the list's member (else the list).
      const itemTag = shape.member.locationName ?? tag;
      const item = this.#encoder(shape.member);
      return (value) => (Array.isArray(value) ? value.map((v) => `<${itemTag}>${item(v)}</${itemTag}>`).join('') : '');
    }
    if (flattened && shape.type === 'map') return this.#mapEncoder(shape, tag);
    const encode = this.#encoder(ref);
    const open = `<${tag}>`;
    const close = `</${tag}>`;
    return (value) => open + encode(value) + close;
  }

  #listEncoder(shape: ListShape): Encoder {
    const itemTag = shape.member.locationName ?? (this.#flavor === 'ec2' ? 'item' : 'member');
    const item = this.#encoder(shape.member);
    const open = `<${itemTag}>`;
    const close = `</${itemTag}>`;
    return (value) => {
      if (!Array.isArray(value)) return '';
      let xml = '';
      for (const v of value) xml += open + (v === undefined || v === null ? '' : item(v)) + close;
      return xml;
    };
  }

  /** A map's entries; `entryTag` is the flattened map's own name, else `entry`. */
  #mapEncoder(shape: MapShape, entryTag = 'entry'): Encoder {
    const keyTag = shape.key.locationName ?? 'key';
    const valueTag = shape.value.locationName ?? 'value';
    const encodeKey = this.#encoder(shape.key);
    const encodeValue = this.#encoder(shape.value);
    return (value) => {
      if (typeof value !== 'object' || value === null) return '';
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
      let xml = '';
      for (const [k, v] of entries) {
        const valueXml = v === undefined || v === null ? '' : `<${valueTag}>${encodeValue(v)}</${valueTag}>`;
        xml += `<${entryTag}><${keyTag}>${encodeKey(k)}</${keyTag}>${valueXml}</${entryTag}>`;
      }
      return xml;
    };
  }

  #scalarEncoder(ref: MemberRef, shape: Shape): Encoder {
    switch (shape.type) {
      case 'boolean':
        return (value) => (value === true || value === 'true' ? 'true' : 'false');
      case 'timestamp':
        return timestampEncoder(ref.timestampFormat ?? (shape.type === 'timestamp' ? shape.timestampFormat : undefined), this.#flavor);
      case 'blob':
        return (value) =>
          value instanceof Uint8Array
            ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
            : Buffer.from(String(value), 'utf8').toString('base64');
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
      case 'bigdecimal':
      case 'biginteger':
        return (value) => escapeXml(String(value));
      default:
        return (value) => escapeXml(typeof value === 'string' ? value : String(value));
    }
  }
}

function timestampEncoder(format: string | undefined, flavor: QueryFlavor): Encoder {
  const asDate = (value: unknown): Date | undefined => {
    const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
    return Number.isNaN(date.getTime()) ? undefined : date;
  };
  if (format === 'unixTimestamp') return (value) => String((asDate(value)?.getTime() ?? 0) / 1000);
  if (format === 'rfc822') return (value) => asDate(value)?.toUTCString() ?? '';
  const iso = flavor === 'ec2' ? isoMillis : isoSeconds;
  return (value) => {
    const date = asDate(value);
    return date ? iso(date) : escapeXml(String(value));
  };
}

const compilers: Record<QueryFlavor, WeakMap<ServiceModel, OutputCompiler>> = {
  query: new WeakMap(),
  ec2: new WeakMap(),
};

/** The XML content (child elements) of the structure `shapeName` holding `value`. */
export function encodeStructure(
  model: ServiceModel,
  flavor: QueryFlavor,
  shapeName: string,
  value: unknown,
  skip?: ReadonlySet<string>,
): string {
  let compiler = compilers[flavor].get(model);
  if (!compiler) {
    compiler = new OutputCompiler(model, flavor);
    compilers[flavor].set(model, compiler);
  }
  return compiler.structure(shapeName, skip)(value);
}

/** An error as the wire sees it: its code, status and fault, and its modelled shape if any. */
export interface WireError {
  code: string;
  status: number;
  senderFault: boolean;
  shapeName?: string;
}

const errorShapesByCode = new WeakMap<ServiceModel, Map<string, string>>();

/** The model's error shapes by wire code (e.g. EntityAlreadyExists -> EntityAlreadyExistsException). */
function errorShapeNamed(model: ServiceModel, code: string): string | undefined {
  let byCode = errorShapesByCode.get(model);
  if (!byCode) {
    byCode = new Map();
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.type === 'structure' && shape.exception) byCode.set(shape.error?.code ?? name, name);
    }
    errorShapesByCode.set(model, byCode);
  }
  return byCode.get(code);
}

/**
 * Resolves an AwsError against the model: a modelled shape name (or its wire code) gives
 * the wire code and HTTP status; else a common AWS error; else a 400 the client caused.
 * Explicit status and fault on the error win.
 */
export function wireError(model: ServiceModel, error: AwsError): WireError {
  const named = Object.hasOwn(model.shapes, error.code) ? model.shapes[error.code] : undefined;
  const shapeName = named?.type === 'structure' && named.exception ? error.code : errorShapeNamed(model, error.code);
  if (shapeName) {
    const shape = model.shapes[shapeName] as StructureShape;
    // Not every model says whose fault an error is: a 5xx or a `fault` shape is the service's.
    const status = error.status ?? shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
    const senderFault = error.senderFault ?? shape.error?.senderFault ?? (!shape.fault && status < 500);
    return { code: shape.error?.code ?? shapeName, status, senderFault, shapeName };
  }
  const common = Object.hasOwn(COMMON_ERRORS, error.code) ? COMMON_ERRORS[error.code] : undefined;
  const status = error.status ?? common?.status ?? 400;
  return { code: error.code, status, senderFault: error.senderFault ?? common?.senderFault ?? status < 500 };
}
