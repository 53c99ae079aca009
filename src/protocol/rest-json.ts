// The AWS restJson1 protocol: the operation is the method and path (matched against each
// operation's requestUri template), input members are bound to URI labels, the query
// string, headers or the JSON body (or one payload member), and outputs likewise.
import type { ProtocolCodec, ResponseContext } from './codec.ts';
import { AwsError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import { inputShape, outputShape, shapeOf } from './model.ts';
import type { MemberRef, OperationModel, ServiceModel, Shape, StructureShape } from './model.ts';
import {
  describeError, errorDocument, errorHeaders, parseJsonBody, readDocument, serializationError, toBuffer, toDate, writeDocument,
} from './json.ts';
import { formatTimestamp, parseTimestampText } from './timestamps.ts';

// ---------------------------------------------------------------------------------------
// Routing: method + path -> operation

interface Route {
  operation: OperationModel;
  pattern: RegExp;
  /** Label names in the order of the pattern's groups; greedy labels may span segments. */
  labels: { name: string; greedy: boolean }[];
  /** Query parameters the requestUri itself requires (`?tagging`, `?type=bar`). */
  query: [string, string | undefined][];
  /** Higher is more specific: literal characters first, then fixed query parts, then fewer greedy labels. */
  rank: number;
}

const routeTables = new WeakMap<ServiceModel, Map<string, Route[]>>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileRoute(operation: OperationModel): Route {
  const [pathPart, queryPart = ''] = operation.http.requestUri.split(/\?(.*)/s);
  const labels: Route['labels'] = [];
  let literal = 0;
  let source = '';
  for (const piece of pathPart.split(/(\{[^}]+\})/)) {
    const label = /^\{([^}+]+)(\+?)\}$/.exec(piece);
    if (label) {
      const greedy = label[2] === '+';
      labels.push({ name: label[1], greedy });
      source += greedy ? '(.+)' : '([^/]+)';
    } else {
      literal += piece.length;
      source += escapeRegExp(piece);
    }
  }
  // Clients differ on a trailing slash; AWS routes both.
  source = source.endsWith('/') ? `${source}?` : `${source}/?`;
  const query = queryPart === '' ? [] : queryPart.split('&').map((pair): [string, string | undefined] => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [pair, undefined] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  const greedyCount = labels.filter((label) => label.greedy).length;
  return { operation, pattern: new RegExp(`^${source}$`), labels, query, rank: literal * 1000 + query.length * 10 - greedyCount };
}

function routesOf(model: ServiceModel, method: string): Route[] {
  let table = routeTables.get(model);
  if (!table) {
    table = new Map();
    for (const operation of Object.values(model.operations)) {
      const routes = table.get(operation.http.method) ?? [];
      routes.push(compileRoute(operation));
      table.set(operation.http.method, routes);
    }
    for (const routes of table.values()) routes.sort((a, b) => b.rank - a.rank);
    routeTables.set(model, table);
  }
  return table.get(method.toUpperCase()) ?? [];
}

function queryMatches(route: Route, params: Map<string, string[]>): boolean {
  return route.query.every(([name, value]) => params.has(name) && (value === undefined || params.get(name)!.includes(value)));
}

function matchRoute(model: ServiceModel, request: HttpRequest): { route: Route; match: RegExpExecArray } | undefined {
  let params: Map<string, string[]> | undefined;
  for (const route of routesOf(model, request.method)) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    if (route.query.length > 0 && !queryMatches(route, (params ??= queryParams(request.rawQuery)))) continue;
    return { route, match };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Reading bound members from text (labels, query strings, headers)

function badValue(where: string, name: string): AwsError {
  return serializationError(`The value of ${where} '${name}' is not valid for its type.`);
}

function decodeComponent(text: string, plusIsSpace: boolean): string {
  if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) return text;
  try {
    return decodeURIComponent(plusIsSpace ? text.replaceAll('+', ' ') : text);
  } catch {
    throw serializationError(`The request contains an invalid percent-encoding: '${text.slice(0, 64)}'.`);
  }
}

/** The query string's parameters, decoded, each with all its values in order. */
export function queryParams(rawQuery: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  if (rawQuery === '') return params;
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decodeComponent(eq < 0 ? piece : piece.slice(0, eq), true);
    const value = eq < 0 ? '' : decodeComponent(piece.slice(eq + 1), true);
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

const INTEGER_TEXT = /^[-+]?\d+$/;
const FLOAT_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^(NaN|-?Infinity)$/;

/** A scalar member's typed value from its text form; undefined when the text does not fit the type. */
function scalarFromText(shape: Shape, text: string, isHeader: boolean): unknown {
  switch (shape.type) {
    case 'string':
      return text;
    case 'integer':
    case 'long':
      return INTEGER_TEXT.test(text) ? Number(text) : undefined;
    case 'float':
    case 'double':
      return FLOAT_TEXT.test(text) ? Number(text) : undefined;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'timestamp':
      return parseTimestampText(text);
    case 'blob':
      return isHeader ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    default:
      return undefined;
  }
}

function boundValue(model: ServiceModel, ref: MemberRef, texts: string[], where: string, name: string): unknown {
  const shape = shapeOf(model, ref.shape);
  const isHeader = where === 'header';
  if (shape.type === 'list') {
    const itemShape = shapeOf(model, shape.member.shape);
    // A list in one header is comma separated (RFC 9110); in a query string it repeats the key.
    const items = isHeader ? texts.flatMap((text) => splitHeaderList(text, itemShape)) : texts;
    return items.map((item) => {
      const value = scalarFromText(itemShape, item, isHeader);
      if (value === undefined) throw badValue(where, name);
      return value;
    });
  }
  const text = texts[0];
  if (isHeader && ref.jsonvalue) return parseJsonValueHeader(text, name);
  const value = scalarFromText(shape, text, isHeader);
  if (value === undefined) throw badValue(where, name);
  return value;
}

/** Header lists split on commas, except dates, whose own text has a comma. */
function splitHeaderList(text: string, itemShape: Shape): string[] {
  if (itemShape.type === 'timestamp') return text.split(/(?<=GMT)\s*,\s*/);
  return text.split(',').map((item) => item.trim());
}

function parseJsonValueHeader(text: string, name: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw badValue('header', name);
  }
}

function readLabels(route: Route, match: RegExpExecArray): Map<string, string> {
  const values = new Map<string, string>();
  route.labels.forEach((label, index) => {
    const raw = match[index + 1];
    // A greedy label keeps its slashes; each segment is decoded on its own.
    values.set(label.name, label.greedy ? raw.split('/').map((part) => decodeComponent(part, false)).join('/') : decodeComponent(raw, false));
  });
  return values;
}

function readBoundMembers(model: ServiceModel, shape: StructureShape, request: HttpRequest, labels: Map<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  let params: Map<string, string[]> | undefined;
  const boundQueryNames = new Set<string>();
  let queryMap: [string, MemberRef] | undefined;
  for (const [name, ref] of Object.entries(shape.members)) {
    const key = ref.locationName ?? name;
    switch (ref.location) {
      case 'uri': {
        const text = labels.get(key);
        if (text !== undefined) input[name] = boundValue(model, ref, [text], 'label', key);
        break;
      }
      case 'querystring': {
        if (shapeOf(model, ref.shape).type === 'map') {
          queryMap = [name, ref];
          break;
        }
        boundQueryNames.add(key);
        const texts = (params ??= queryParams(request.rawQuery)).get(key);
        if (texts) input[name] = boundValue(model, ref, texts, 'query parameter', key);
        break;
      }
      case 'header': {
        const text = request.headers[key.toLowerCase()];
        if (text !== undefined) input[name] = boundValue(model, ref, [text], 'header', key);
        break;
      }
      case 'headers': {
        const prefix = key.toLowerCase();
        const map: Record<string, string> = {};
        for (const [header, value] of Object.entries(request.headers)) if (header.startsWith(prefix)) map[header.slice(prefix.length)] = value;
        if (Object.keys(map).length > 0) input[name] = map;
        break;
      }
      default:
    }
  }
  // A map bound to the query string takes every parameter no other member claims.
  if (queryMap) {
    const [name, ref] = queryMap;
    const valueShape = shapeOf(model, (shapeOf(model, ref.shape) as { value: MemberRef }).value.shape);
    const map: Record<string, unknown> = {};
    for (const [key, values] of (params ??= queryParams(request.rawQuery))) {
      if (!boundQueryNames.has(key)) map[key] = valueShape.type === 'list' ? values : values[0];
    }
    if (Object.keys(map).length > 0) input[name] = map;
  }
  return input;
}

function readPayload(model: ServiceModel, shapeName: string, shape: StructureShape, request: HttpRequest): Record<string, unknown> {
  if (shape.payload) {
    const ref = shape.members[shape.payload];
    const payloadShape = shapeOf(model, ref.shape);
    if (request.body.length === 0) return {};
    if (payloadShape.type === 'blob') return { [shape.payload]: request.body };
    if (payloadShape.type === 'string') return { [shape.payload]: request.body.toString('utf8') };
    return { [shape.payload]: readDocument(model, ref.shape, parseJsonBody(request.body), 'json') };
  }
  const document = parseJsonBody(request.body);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw serializationError(Array.isArray(document) ? 'Start of list found where not expected' : 'The request body must be a JSON object.');
  }
  return readDocument(model, shapeName, document, 'json') as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------
// Writing bound members

function headerText(model: ServiceModel, ref: MemberRef, value: unknown): string {
  const shape = shapeOf(model, ref.shape);
  if (ref.jsonvalue) return Buffer.from(JSON.stringify(value)).toString('base64');
  switch (shape.type) {
    case 'timestamp':
      return String(formatTimestamp(toDate(value), ref.timestampFormat ?? shape.timestampFormat ?? 'rfc822'));
    case 'blob':
      return toBuffer(value).toString('base64');
    case 'list':
      return (value as unknown[]).map((item) => headerText(model, shape.member, item)).join(', ');
    default:
      return String(value);
  }
}

/** Adds the header-bound members of `value` to `headers`; returns the statusCode-bound member, if any. */
function writeBoundHeaders(model: ServiceModel, shape: StructureShape, value: Record<string, unknown>, headers: Record<string, string>): number | undefined {
  let status: number | undefined;
  for (const [name, ref] of Object.entries(shape.members)) {
    const memberValue = value[name];
    if (memberValue === undefined || memberValue === null) continue;
    if (ref.location === 'header') headers[(ref.locationName ?? name).toLowerCase()] = headerText(model, ref, memberValue);
    else if (ref.location === 'headers') {
      const prefix = (ref.locationName ?? '').toLowerCase();
      for (const [key, item] of Object.entries(memberValue as Record<string, unknown>)) headers[prefix + key.toLowerCase()] = String(item);
    } else if (ref.location === 'statusCode') status = Number(memberValue);
  }
  return status;
}

function writeBody(model: ServiceModel, shapeName: string, shape: StructureShape, value: Record<string, unknown>): { body: string | Buffer; type?: string } {
  if (shape.payload) {
    const ref = shape.members[shape.payload];
    const payload = value[shape.payload];
    if (payload === undefined || payload === null) return { body: '' };
    const payloadShape = shapeOf(model, ref.shape);
    if (payloadShape.type === 'blob') return { body: toBuffer(payload), type: 'application/octet-stream' };
    if (payloadShape.type === 'string') return { body: String(payload), type: 'text/plain' };
    return { body: JSON.stringify(writeDocument(model, ref.shape, payload, 'json')), type: 'application/json' };
  }
  return { body: JSON.stringify(writeDocument(model, shapeName, value, 'json') ?? {}), type: 'application/json' };
}

// ---------------------------------------------------------------------------------------
// The codec

const VALIDATION_ERROR_CANDIDATES = ['ValidationException', 'BadRequestException', 'InvalidInputException'];

/**
 * The error code a rest-json service uses for invalid input: each names its own
 * (GuardDuty BadRequestException, Security Hub InvalidInputException, ...). It is the
 * candidate the most operations list among their errors.
 */
export function restJsonValidationErrorCode(model: ServiceModel): string {
  const counts = new Map<string, number>();
  for (const operation of Object.values(model.operations)) {
    for (const error of operation.errors ?? []) {
      if (VALIDATION_ERROR_CANDIDATES.includes(error.shape)) counts.set(error.shape, (counts.get(error.shape) ?? 0) + 1);
    }
  }
  let best = 'ValidationException';
  let bestCount = 0;
  for (const [code, count] of counts) {
    if (count > bestCount) [best, bestCount] = [code, count];
  }
  return best;
}

export const restJsonCodec: ProtocolCodec = {
  protocol: 'rest-json',
  validationErrorCode: restJsonValidationErrorCode,
  unknownOperationCode: 'UnknownOperationException',

  operationOf(model: ServiceModel, request: HttpRequest): OperationModel {
    const found = matchRoute(model, request);
    if (!found) {
      throw new AwsError('UnknownOperationException', `No operation of ${model.metadata.serviceId} matches ${request.method} ${request.path}.`, {
        status: 404, senderFault: true,
      });
    }
    return found.route.operation;
  },

  parse(model: ServiceModel, operation: OperationModel, request: HttpRequest) {
    const found = matchRoute(model, request);
    const labels = found && found.route.operation === operation ? readLabels(found.route, found.match) : new Map<string, string>();
    if (!operation.input) return {};
    const shape = inputShape(model, operation);
    const body = readPayload(model, operation.input.shape, shape, request);
    return { ...body, ...readBoundMembers(model, shape, request, labels) };
  },

  serialize(model: ServiceModel, operation: OperationModel, output: unknown, context: ResponseContext): HttpResponse {
    const headers: Record<string, string> = { 'x-amzn-requestid': context.requestId };
    let status = operation.http.responseCode ?? 200;
    if (!operation.output) return { status, headers: { ...headers, 'content-type': 'application/json' }, body: status === 204 ? '' : '{}' };
    const shape = outputShape(model, operation);
    const value = (output ?? {}) as Record<string, unknown>;
    status = writeBoundHeaders(model, shape, value, headers) ?? status;
    if (status === 204 || status === 304) return { status, headers, body: '' };
    const { body, type } = writeBody(model, operation.output.shape, shape, value);
    if (type) headers['content-type'] = type;
    return { status, headers, body };
  },

  serializeError(model: ServiceModel, error: AwsError, context: ResponseContext): HttpResponse {
    const description = describeError(model, error);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...errorHeaders(model, description, context) };
    if (description.shape) writeBoundHeaders(model, description.shape, error.fields, headers);
    const document = errorDocument(model, error, description, 'json');
    // API Gateway-fronted services always carry a message, even an empty one.
    if (!(description.messageKey in document)) document[description.messageKey] = error.message;
    return { status: description.status, headers, body: JSON.stringify(document) };
  },
};
