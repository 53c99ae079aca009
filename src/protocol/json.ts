// The AWS JSON protocol (awsJson1_0 / awsJson1_1): POST / with X-Amz-Target naming the
// operation and a JSON body. This module also holds the model-driven conversion between
// a protocol "document" (the value tree a JSON or CBOR body decodes to) and the typed
// values of the codec conventions; rest-json and rpc-v2-cbor reuse it.
//
// Conversions are compiled once per model, shape and dialect (lazily, on first use) into
// small closures, so a request costs one walk of its own data.
import type { ProtocolCodec, ResponseContext } from './codec.ts';
import { AwsError, COMMON_ERRORS } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import { shapeOf } from './model.ts';
import type { MemberRef, OperationModel, ServiceModel, Shape, StructureShape, TimestampFormat } from './model.ts';
import { formatTimestamp, fromEpochSeconds, parseTimestampText } from './timestamps.ts';

/** How a body encodes the values JSON has no type for: JSON uses base64 text and epoch numbers, CBOR has bytes and tags. */
export type Dialect = 'json' | 'cbor';

type Read = (node: unknown, depth: number) => unknown;
type Write = (value: unknown) => unknown;

interface MemberPlan<F> {
  name: string;
  /** The member's name in the document (its locationName when the model gives one). */
  key: string;
  fn: F;
}

/** Recursive shapes could nest without bound; no real request comes near this. */
const MAX_DEPTH = 100;

// ---------------------------------------------------------------------------------------
// Errors

export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message, { status: 400, senderFault: true });
}

const TARGET_NAMES: Record<string, string> = {
  structure: 'a Structure', list: 'a List', map: 'a Map', string: 'a String', integer: 'an Integer', long: 'a Long',
  float: 'a Float', double: 'a Double', boolean: 'a Boolean', blob: 'a Blob', timestamp: 'a Timestamp',
  bigdecimal: 'a BigDecimal', biginteger: 'a BigInteger',
};

/** AWS's message for a value of the wrong JSON type (the wording of its Coral/Jackson front end). */
function mismatch(node: unknown, target: Shape['type']): AwsError {
  if (Array.isArray(node)) return serializationError('Start of list found where not expected');
  if (isObject(node)) return serializationError('Start of structure or map found where not expected.');
  const token = typeof node === 'string' ? 'STRING_VALUE' : typeof node === 'boolean' ? 'BOOLEAN_VALUE' : 'NUMBER_VALUE';
  return serializationError(`${token} can not be converted to ${TARGET_NAMES[target] ?? 'the expected type'}`);
}

function isObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !(node instanceof Uint8Array) && !(node instanceof Date);
}

function isDocument(shape: Shape): boolean {
  return (shape as { document?: boolean }).document === true;
}

function ownValue(node: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

/** Sets a map entry; a `__proto__` key must stay an ordinary key. */
function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

// ---------------------------------------------------------------------------------------
// Reading a document into typed input

const readerCaches: Record<Dialect, WeakMap<ServiceModel, Map<string, Read>>> = { json: new WeakMap(), cbor: new WeakMap() };

function cacheFor<F>(caches: WeakMap<ServiceModel, Map<string, F>>, model: ServiceModel): Map<string, F> {
  let cache = caches.get(model);
  if (!cache) {
    cache = new Map();
    caches.set(model, cache);
  }
  return cache;
}

/** The typed value of a document node of shape `shapeName`; throws SerializationException on a mismatch. */
export function readDocument(model: ServiceModel, shapeName: string, node: unknown, dialect: Dialect): unknown {
  if (node === null || node === undefined) return undefined;
  return readerFor(model, shapeName, dialect)(node, 0);
}

function readerFor(model: ServiceModel, shapeName: string, dialect: Dialect): Read {
  const cache = cacheFor(readerCaches[dialect], model);
  return cache.get(shapeName) ?? compileReader(model, shapeName, dialect, cache);
}

function compileReader(model: ServiceModel, shapeName: string, dialect: Dialect, cache: Map<string, Read>): Read {
  const shape = shapeOf(model, shapeName);
  let read: Read;
  switch (shape.type) {
    case 'structure': {
      if (isDocument(shape)) {
        read = (node) => node;
        break;
      }
      const members: MemberPlan<Read>[] = [];
      read = (node, depth) => {
        if (!isObject(node)) throw mismatch(node, 'structure');
        if (depth > MAX_DEPTH) throw serializationError('The request nests structures too deeply.');
        const result: Record<string, unknown> = {};
        for (const member of members) {
          const value = ownValue(node, member.key);
          if (value === null || value === undefined) continue;
          result[member.name] = member.fn(value, depth + 1);
        }
        return result;
      };
      // Cached before the members compile, so recursive shapes find it.
      cache.set(shapeName, read);
      for (const [name, ref] of Object.entries(shape.members)) {
        if (ref.location) continue;
        members.push({ name, key: ref.locationName ?? name, fn: readerFor(model, ref.shape, dialect) });
      }
      return read;
    }
    case 'list': {
      let item: Read | undefined;
      read = (node, depth) => {
        if (!Array.isArray(node)) throw mismatch(node, 'list');
        if (depth > MAX_DEPTH) throw serializationError('The request nests lists too deeply.');
        item ??= readerFor(model, shape.member.shape, dialect);
        const result: unknown[] = [];
        for (const element of node) if (element !== null && element !== undefined) result.push(item(element, depth + 1));
        return result;
      };
      break;
    }
    case 'map': {
      let value: Read | undefined;
      read = (node, depth) => {
        if (!isObject(node)) throw mismatch(node, 'map');
        if (depth > MAX_DEPTH) throw serializationError('The request nests maps too deeply.');
        value ??= readerFor(model, shape.value.shape, dialect);
        const result: Record<string, unknown> = {};
        for (const key of Object.keys(node)) {
          const entry = node[key];
          if (entry !== null && entry !== undefined) setEntry(result, key, value(entry, depth + 1));
        }
        return result;
      };
      break;
    }
    case 'string':
      read = (node) => {
        if (typeof node !== 'string') throw mismatch(node, 'string');
        return node;
      };
      break;
    case 'boolean':
      read = (node) => {
        if (typeof node !== 'boolean') throw mismatch(node, 'boolean');
        return node;
      };
      break;
    case 'integer':
    case 'long':
    case 'biginteger':
      read = integerReader(shape.type);
      break;
    case 'float':
    case 'double':
    case 'bigdecimal':
      read = (node) => readFloat(node, shape.type);
      break;
    case 'blob':
      read = (node) => readBlob(node);
      break;
    case 'timestamp':
      read = (node) => readTimestamp(node);
      break;
    default:
      read = (node) => node;
  }
  cache.set(shapeName, read);
  return read;
}

const INTEGER_RANGE = { integer: 2 ** 31, long: 2 ** 63, biginteger: Infinity };

function integerReader(type: 'integer' | 'long' | 'biginteger'): Read {
  const limit = INTEGER_RANGE[type];
  return (node) => {
    if (typeof node === 'bigint') node = Number(node);
    if (typeof node !== 'number' || !Number.isFinite(node)) throw mismatch(node, type);
    // Jackson truncates a fractional number given for an integer; so does AWS.
    const value = Math.trunc(node);
    if (value < -limit || value >= limit) throw serializationError(`Numeric value (${node}) out of range of ${type === 'integer' ? 'int' : 'long'}`);
    return value;
  };
}

const FLOAT_WORDS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function readFloat(node: unknown, type: Shape['type']): number {
  if (typeof node === 'number') return node;
  if (typeof node === 'bigint') return Number(node);
  // Smithy's JSON protocols spell the non-finite values as strings.
  if (typeof node === 'string' && Object.hasOwn(FLOAT_WORDS, node)) return FLOAT_WORDS[node];
  throw mismatch(node, type);
}

// Padded, as every SDK sends it; AWS's Jackson front end refuses a truncated last quantum.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function readBlob(node: unknown): Buffer {
  if (node instanceof Uint8Array) return Buffer.from(node.buffer, node.byteOffset, node.byteLength);
  if (typeof node !== 'string') throw mismatch(node, 'blob');
  // Buffer.from(base64) skips what it cannot read; AWS refuses it.
  if (!BASE64.test(node)) throw serializationError('Base64 encoded value is not valid: illegal character or length');
  return Buffer.from(node, 'base64');
}

function readTimestamp(node: unknown): Date {
  let date: Date | undefined;
  if (node instanceof Date) date = Number.isNaN(node.getTime()) ? undefined : node;
  else if (typeof node === 'number') date = fromEpochSeconds(node);
  else if (typeof node === 'bigint') date = fromEpochSeconds(Number(node));
  else if (typeof node === 'string') date = parseTimestampText(node);
  else throw mismatch(node, 'timestamp');
  if (!date) throw serializationError(`${typeof node === 'string' ? 'STRING_VALUE' : 'NUMBER_VALUE'} can not be converted to a Timestamp`);
  return date;
}

// ---------------------------------------------------------------------------------------
// Writing typed output into a document

const writerCaches: Record<Dialect, WeakMap<ServiceModel, Map<string, Write>>> = { json: new WeakMap(), cbor: new WeakMap() };

/** The document form of a typed value of shape `shapeName` (undefined stays undefined). */
export function writeDocument(model: ServiceModel, shapeName: string, value: unknown, dialect: Dialect): unknown {
  if (value === null || value === undefined) return undefined;
  return writerFor(model, shapeName, dialect)(value);
}

/** The document form of a member's value, honouring a member-level timestampFormat. */
export function writeMember(model: ServiceModel, ref: MemberRef, value: unknown, dialect: Dialect): unknown {
  if (value === null || value === undefined) return undefined;
  return memberWriter(model, ref, dialect)(value);
}

function writerFor(model: ServiceModel, shapeName: string, dialect: Dialect): Write {
  const cache = cacheFor(writerCaches[dialect], model);
  return cache.get(shapeName) ?? compileWriter(model, shapeName, dialect, cache);
}

function memberWriter(model: ServiceModel, ref: MemberRef, dialect: Dialect): Write {
  if (ref.timestampFormat && dialect === 'json' && model.shapes[ref.shape]?.type === 'timestamp') {
    const format = ref.timestampFormat;
    return (value) => formatTimestamp(toDate(value), format);
  }
  return writerFor(model, ref.shape, dialect);
}

function compileWriter(model: ServiceModel, shapeName: string, dialect: Dialect, cache: Map<string, Write>): Write {
  const shape = shapeOf(model, shapeName);
  let write: Write;
  switch (shape.type) {
    case 'structure': {
      if (isDocument(shape)) {
        write = (value) => value;
        break;
      }
      const members: MemberPlan<Write>[] = [];
      write = (value) => {
        const source = value as Record<string, unknown>;
        const result: Record<string, unknown> = {};
        for (const member of members) {
          const memberValue = source[member.name];
          if (memberValue !== null && memberValue !== undefined) result[member.key] = member.fn(memberValue);
        }
        return result;
      };
      cache.set(shapeName, write);
      for (const [name, ref] of Object.entries(shape.members)) {
        // Members bound to the URI, headers or status code never appear in a body.
        if (ref.location) continue;
        members.push({ name, key: ref.locationName ?? name, fn: memberWriter(model, ref, dialect) });
      }
      return write;
    }
    case 'list': {
      let item: Write | undefined;
      write = (value) => {
        item ??= memberWriter(model, shape.member, dialect);
        const result: unknown[] = [];
        for (const element of value as Iterable<unknown>) if (element !== null && element !== undefined) result.push(item(element));
        return result;
      };
      break;
    }
    case 'map': {
      let entry: Write | undefined;
      write = (value) => {
        entry ??= memberWriter(model, shape.value, dialect);
        const result: Record<string, unknown> = {};
        const entries = value instanceof Map ? value.entries() : Object.entries(value as Record<string, unknown>);
        for (const [key, item] of entries) if (item !== null && item !== undefined) setEntry(result, String(key), entry(item));
        return result;
      };
      break;
    }
    case 'float':
    case 'double':
      // JSON has no NaN or Infinity: Smithy spells them as strings.
      write = dialect === 'json' ? (value) => (Number.isFinite(value) ? value : String(value)) : (value) => value;
      break;
    case 'blob':
      write = dialect === 'json' ? (value) => toBuffer(value).toString('base64') : (value) => toBuffer(value);
      break;
    case 'timestamp': {
      const format: TimestampFormat = shape.timestampFormat ?? 'unixTimestamp';
      write = dialect === 'json' ? (value) => formatTimestamp(toDate(value), format) : (value) => toDate(value);
      break;
    }
    default:
      write = (value) => value;
  }
  cache.set(shapeName, write);
  return write;
}

/** Handlers return Dates; an ISO string or epoch-milliseconds number is taken too. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'string') return new Date(value);
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TypeError('not a blob');
}

// ---------------------------------------------------------------------------------------
// Errors in JSON-based protocols

export interface ErrorDescription {
  code: string;
  status: number;
  senderFault: boolean;
  /** The modelled error shape, when the code names one. */
  shape: StructureShape | undefined;
  /** The member that carries the message: `message` or `Message` as the shape spells it. */
  messageKey: string;
}

/** Status, fault and shape of an error, from the error itself, its modelled shape, or AWS's common errors. */
export function describeError(model: ServiceModel, error: AwsError): ErrorDescription {
  const code = modelledErrorName(model, error.code) ?? error.code;
  const candidate = Object.hasOwn(model.shapes, code) ? model.shapes[code] : undefined;
  const shape = candidate?.type === 'structure' && candidate.exception ? candidate : undefined;
  const common = Object.hasOwn(COMMON_ERRORS, error.code) ? COMMON_ERRORS[error.code] : undefined;
  // Server faults without a modelled status (KMSInternalException, ...) are 500s, as AWS sends them.
  const status = error.status ?? shape?.error?.httpStatusCode ?? (shape?.fault ? 500 : undefined) ?? common?.status ?? 400;
  const modelledSender = shape ? (shape.error?.senderFault ?? !shape.fault) : undefined;
  const senderFault = error.senderFault ?? modelledSender ?? common?.senderFault ?? status < 500;
  return { code, status, senderFault, shape, messageKey: shape ? messageKeyOf(shape) : 'message' };
}

const queryErrorNames = new WeakMap<ServiceModel, Map<string, string>>();

/**
 * The error shape a code names: the shape of that name, or (query-compatible services)
 * the shape whose query-era code it is, so `InvalidParameterValue` finds
 * InvalidParameterValueException in CloudWatch.
 */
function modelledErrorName(model: ServiceModel, code: string): string | undefined {
  if (Object.hasOwn(model.shapes, code)) return code;
  if (!model.metadata.awsQueryCompatible) return undefined;
  let names = queryErrorNames.get(model);
  if (!names) {
    names = new Map();
    for (const [name, shape] of Object.entries(model.shapes)) {
      const queryCode = shape.type === 'structure' && shape.exception ? shape.error?.code : undefined;
      if (queryCode && !names.has(queryCode)) names.set(queryCode, name);
    }
    queryErrorNames.set(model, names);
  }
  return names.get(code);
}

/** The document key of an error shape's message member (`message`, `Message`, or its locationName). */
function messageKeyOf(shape: StructureShape): string {
  for (const [name, ref] of Object.entries(shape.members)) {
    if (name.toLowerCase() === 'message') return ref.locationName ?? name;
  }
  return 'message';
}

/** The JSON error body: `__type`, the message, and the error's extra modelled members. */
export function errorDocument(model: ServiceModel, error: AwsError, description: ErrorDescription, dialect: Dialect): Record<string, unknown> {
  const body: Record<string, unknown> = { __type: description.code };
  if (error.message) body[description.messageKey] = error.message;
  if (description.shape && Object.keys(error.fields).length > 0) {
    const fields = writeDocument(model, description.code, error.fields, dialect) as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) if (!(key in body)) body[key] = value;
  }
  return body;
}

/** Headers every JSON-family error carries, plus the query-era code for awsQueryCompatible services. */
export function errorHeaders(model: ServiceModel, description: ErrorDescription, context: ResponseContext): Record<string, string> {
  const headers: Record<string, string> = { 'x-amzn-requestid': context.requestId, 'x-amzn-errortype': description.code };
  if (model.metadata.awsQueryCompatible) {
    const queryCode = description.shape?.error?.code ?? description.code;
    headers['x-amzn-query-error'] = `${queryCode};${description.senderFault ? 'Sender' : 'Receiver'}`;
  }
  return headers;
}

// ---------------------------------------------------------------------------------------
// The awsJson codec

/** Parses a JSON text body; an empty body is `{}`. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw serializationError(`Unable to parse the request body as JSON: ${(cause as Error).message}`);
  }
}

function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}`;
}

/**
 * Whether `prefix` names the model's service. botocore sends the model's targetPrefix as is
 * (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`); the JS SDK sends the Smithy
 * service name without its namespace (`CloudTrail_20131101`). AWS takes both.
 */
function isTargetPrefixOf(model: ServiceModel, prefix: string): boolean {
  const full = model.metadata.targetPrefix ?? '';
  return prefix === full || (full.endsWith(`.${prefix}`) && prefix.length > 0);
}

function unknownOperation(): AwsError {
  // AWS answers {"__type":"UnknownOperationException"} with no message.
  return new AwsError('UnknownOperationException', '', { status: 400, senderFault: true });
}

export const jsonCodec: ProtocolCodec = {
  protocol: 'json',
  validationErrorCode: () => 'ValidationException',
  unknownOperationCode: 'UnknownOperationException',

  operationOf(model: ServiceModel, request: HttpRequest): OperationModel {
    const target = request.headers['x-amz-target'] ?? '';
    const dot = target.lastIndexOf('.');
    if (dot < 0 || !isTargetPrefixOf(model, target.slice(0, dot))) throw unknownOperation();
    const name = target.slice(dot + 1);
    if (!Object.hasOwn(model.operations, name)) throw unknownOperation();
    return model.operations[name];
  },

  parse(model: ServiceModel, operation: OperationModel, request: HttpRequest) {
    const document = parseJsonBody(request.body);
    if (!isObject(document)) throw mismatch(document, 'structure');
    if (!operation.input) return {};
    return readDocument(model, operation.input.shape, document, 'json') as Record<string, unknown>;
  },

  serialize(model: ServiceModel, operation: OperationModel, output: unknown, context: ResponseContext): HttpResponse {
    const document = operation.output ? writeDocument(model, operation.output.shape, output ?? {}, 'json') : {};
    return {
      status: 200,
      headers: { 'content-type': contentType(model), 'x-amzn-requestid': context.requestId },
      body: JSON.stringify(document ?? {}),
    };
  },

  serializeError(model: ServiceModel, error: AwsError, context: ResponseContext): HttpResponse {
    const description = describeError(model, error);
    return {
      status: description.status,
      headers: { 'content-type': contentType(model), ...errorHeaders(model, description, context) },
      body: JSON.stringify(errorDocument(model, error, description, 'json')),
    };
  },
};
