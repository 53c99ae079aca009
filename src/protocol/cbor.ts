// Smithy RPC v2 CBOR: POST /service/<Service>/operation/<Operation> with a CBOR body and
// `smithy-protocol: rpc-v2-cbor`. boto3 and the AWS CLI speak it to CloudWatch.
// The CBOR here is the RFC 8949 subset the protocol uses: unsigned and negative integers,
// byte and text strings (indefinite lengths accepted on input), arrays, maps, tag 1
// (epoch-seconds timestamps), booleans, null/undefined and half/single/double floats.
import type { ProtocolCodec, ResponseContext } from './codec.ts';
import { AwsError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import type { OperationModel, ServiceModel } from './model.ts';
import { describeError, errorDocument, errorHeaders, readDocument, serializationError, writeDocument } from './json.ts';

// ---------------------------------------------------------------------------------------
// Encoding

const MAJOR_UNSIGNED = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;
const MAJOR_MAP = 5;
const MAJOR_TAG = 6;
const MAJOR_SIMPLE = 7;
const TAG_EPOCH = 1;
const BREAK = 0xff;

class ByteWriter {
  buffer = Buffer.allocUnsafe(256);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** A major type with its argument in the shortest form. */
  head(major: number, argument: number | bigint): void {
    const type = major << 5;
    this.reserve(9);
    if (typeof argument === 'bigint' || argument >= 0x100000000) {
      this.buffer[this.length++] = type | 27;
      this.length = this.buffer.writeBigUInt64BE(BigInt(argument), this.length);
    } else if (argument < 24) this.buffer[this.length++] = type | argument;
    else if (argument < 0x100) {
      this.buffer[this.length++] = type | 24;
      this.buffer[this.length++] = argument;
    } else if (argument < 0x10000) {
      this.buffer[this.length++] = type | 25;
      this.length = this.buffer.writeUInt16BE(argument, this.length);
    } else {
      this.buffer[this.length++] = type | 26;
      this.length = this.buffer.writeUInt32BE(argument, this.length);
    }
  }

  float64(value: number): void {
    this.reserve(9);
    this.buffer[this.length++] = (MAJOR_SIMPLE << 5) | 27;
    this.length = this.buffer.writeDoubleBE(value, this.length);
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }
}

function encodeNumber(writer: ByteWriter, value: number): void {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    if (value >= 0) writer.head(MAJOR_UNSIGNED, value);
    else writer.head(MAJOR_NEGATIVE, -1 - value);
  } else writer.float64(value);
}

function encodeItem(writer: ByteWriter, value: unknown): void {
  if (value === null || value === undefined) writer.byte(0xf6);
  else if (value === false) writer.byte(0xf4);
  else if (value === true) writer.byte(0xf5);
  else if (typeof value === 'number') encodeNumber(writer, value);
  else if (typeof value === 'bigint') {
    if (value >= 0n) writer.head(MAJOR_UNSIGNED, value);
    else writer.head(MAJOR_NEGATIVE, -1n - value);
  } else if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    writer.head(MAJOR_TEXT, text.length);
    writer.bytes(text);
  } else if (value instanceof Uint8Array) {
    writer.head(MAJOR_BYTES, value.length);
    writer.bytes(value);
  } else if (value instanceof Date) {
    writer.head(MAJOR_TAG, TAG_EPOCH);
    encodeNumber(writer, value.getTime() / 1000);
  } else if (Array.isArray(value)) {
    writer.head(MAJOR_ARRAY, value.length);
    for (const item of value) encodeItem(writer, item);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    writer.head(MAJOR_MAP, entries.length);
    for (const [key, item] of entries) {
      encodeItem(writer, key);
      encodeItem(writer, item);
    }
  } else throw new TypeError(`cannot encode a ${typeof value} as CBOR`);
}

/** The CBOR encoding of a value tree (maps from objects, tag 1 from Dates, byte strings from buffers). */
export function encodeCbor(value: unknown): Buffer {
  const writer = new ByteWriter();
  encodeItem(writer, value);
  return writer.buffer.subarray(0, writer.length);
}

// ---------------------------------------------------------------------------------------
// Decoding

/** Deeper nesting than any model has is refused, so hostile input cannot exhaust the stack. */
const MAX_CBOR_DEPTH = 128;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(reason: string): AwsError {
  return serializationError(`Malformed CBOR request body: ${reason}`);
}

class ByteReader {
  offset = 0;
  readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  need(count: number): void {
    if (count > this.bytes.length - this.offset) throw malformed('unexpected end of input');
  }

  byte(): number {
    this.need(1);
    return this.bytes[this.offset++];
  }

  /** The argument of a head with additional info `info`; undefined for an indefinite length. */
  argument(info: number): number | undefined {
    if (info < 24) return info;
    switch (info) {
      case 24:
        return this.byte();
      case 25:
        this.need(2);
        this.offset += 2;
        return this.bytes.readUInt16BE(this.offset - 2);
      case 26:
        this.need(4);
        this.offset += 4;
        return this.bytes.readUInt32BE(this.offset - 4);
      case 27: {
        this.need(8);
        this.offset += 8;
        return Number(this.bytes.readBigUInt64BE(this.offset - 8));
      }
      case 31:
        return undefined;
      default:
        throw malformed(`reserved additional information ${info}`);
    }
  }

  slice(length: number): Buffer {
    this.need(length);
    this.offset += length;
    return this.bytes.subarray(this.offset - length, this.offset);
  }

  atBreak(): boolean {
    this.need(1);
    if (this.bytes[this.offset] !== BREAK) return false;
    this.offset++;
    return true;
  }
}

function decodeString(reader: ByteReader, major: number, length: number | undefined): Buffer {
  if (length !== undefined) return reader.slice(length);
  // Indefinite: definite chunks of the same major type until a break.
  const chunks: Buffer[] = [];
  while (!reader.atBreak()) {
    const head = reader.byte();
    const chunkLength = head >> 5 === major ? reader.argument(head & 31) : undefined;
    if (chunkLength === undefined) throw malformed('bad chunk in an indefinite-length string');
    chunks.push(reader.slice(chunkLength));
  }
  return Buffer.concat(chunks);
}

function decodeText(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw malformed('a text string is not valid UTF-8');
  }
}

function halfFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeItem(reader: ByteReader, depth: number): unknown {
  if (depth > MAX_CBOR_DEPTH) throw malformed('nesting is too deep');
  const head = reader.byte();
  const major = head >> 5;
  const info = head & 31;
  switch (major) {
    case MAJOR_UNSIGNED:
    case MAJOR_NEGATIVE: {
      const value = reader.argument(info);
      if (value === undefined) throw malformed('an integer cannot have an indefinite length');
      return major === MAJOR_UNSIGNED ? value : -1 - value;
    }
    case MAJOR_BYTES:
      return Buffer.from(decodeString(reader, major, reader.argument(info)));
    case MAJOR_TEXT:
      return decodeText(decodeString(reader, major, reader.argument(info)));
    case MAJOR_ARRAY: {
      const length = reader.argument(info);
      const items: unknown[] = [];
      if (length === undefined) {
        while (!reader.atBreak()) items.push(decodeItem(reader, depth + 1));
      } else {
        // Every item takes at least a byte: a longer count is a lie, not a reason to allocate.
        reader.need(length);
        for (let i = 0; i < length; i++) items.push(decodeItem(reader, depth + 1));
      }
      return items;
    }
    case MAJOR_MAP: {
      const length = reader.argument(info);
      const map: Record<string, unknown> = Object.create(null);
      const entry = () => {
        const key = decodeItem(reader, depth + 1);
        if (typeof key !== 'string') throw malformed('map keys must be text strings');
        map[key] = decodeItem(reader, depth + 1);
      };
      if (length === undefined) {
        while (!reader.atBreak()) entry();
      } else {
        reader.need(length * 2);
        for (let i = 0; i < length; i++) entry();
      }
      return map;
    }
    case MAJOR_TAG: {
      const tag = reader.argument(info);
      const value = decodeItem(reader, depth + 1);
      if (tag !== TAG_EPOCH) throw malformed(`unsupported tag ${tag}`);
      if (typeof value !== 'number' || !Number.isFinite(value)) throw malformed('tag 1 must hold a number of seconds');
      return new Date(Math.round(value * 1000));
    }
    default:
      return decodeSimple(reader, info);
  }
}

function decodeSimple(reader: ByteReader, info: number): unknown {
  switch (info) {
    case 20:
      return false;
    case 21:
      return true;
    case 22:
    case 23:
      return null;
    case 25:
      return halfFloat(reader.slice(2).readUInt16BE(0));
    case 26:
      return reader.slice(4).readFloatBE(0);
    case 27:
      return reader.slice(8).readDoubleBE(0);
    case 31:
      throw malformed('unexpected break');
    default:
      throw malformed(`unsupported simple value ${info}`);
  }
}

/** Decodes exactly one CBOR item; throws SerializationException on anything malformed. */
export function decodeCbor(bytes: Buffer): unknown {
  const reader = new ByteReader(bytes);
  const value = decodeItem(reader, 0);
  if (reader.offset !== bytes.length) throw malformed('trailing bytes after the body');
  return value;
}

// ---------------------------------------------------------------------------------------
// The codec

const PATH = /\/service\/([^/]+)\/operation\/([^/]+)$/;

/** Whether a request speaks rpc-v2-cbor (for the router). */
export function isRpcV2CborRequest(request: HttpRequest): boolean {
  return request.headers['smithy-protocol'] === 'rpc-v2-cbor';
}

function unknownOperation(): AwsError {
  return new AwsError('UnknownOperationException', '', { status: 404, senderFault: true });
}

function cborHeaders(context: ResponseContext): Record<string, string> {
  return { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': context.requestId };
}

export const rpcV2CborCodec: ProtocolCodec = {
  protocol: 'smithy-rpc-v2-cbor',
  validationErrorCode: () => 'ValidationException',
  unknownOperationCode: 'UnknownOperationException',

  operationOf(model: ServiceModel, request: HttpRequest): OperationModel {
    const match = request.method === 'POST' ? PATH.exec(request.path) : null;
    if (!match || match[1] !== model.metadata.targetPrefix) throw unknownOperation();
    const name = match[2];
    if (!Object.hasOwn(model.operations, name)) throw unknownOperation();
    return model.operations[name];
  },

  parse(model: ServiceModel, operation: OperationModel, request: HttpRequest) {
    if (request.body.length === 0 || !operation.input) return {};
    const document = decodeCbor(request.body);
    if (typeof document !== 'object' || document === null || Array.isArray(document) || document instanceof Uint8Array || document instanceof Date) {
      throw serializationError('The request body must be a CBOR map.');
    }
    return readDocument(model, operation.input.shape, document, 'cbor') as Record<string, unknown>;
  },

  serialize(model: ServiceModel, operation: OperationModel, output: unknown, context: ResponseContext): HttpResponse {
    const document = operation.output ? writeDocument(model, operation.output.shape, output ?? {}, 'cbor') : {};
    return { status: 200, headers: cborHeaders(context), body: encodeCbor(document ?? {}) };
  },

  serializeError(model: ServiceModel, error: AwsError, context: ResponseContext): HttpResponse {
    const description = describeError(model, error);
    const headers = { ...cborHeaders(context), ...errorHeaders(model, description, context) };
    return { status: description.status, headers, body: encodeCbor(errorDocument(model, error, description, 'cbor')) };
  },
};
