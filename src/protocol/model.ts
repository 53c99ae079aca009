// The botocore service model, as vendored under models/ (see scripts/refresh-models.ts).
// Everything Bulwark knows about the wire — operations, shapes, limits, error codes —
// comes from here.
import { readFileSync } from 'node:fs';
import type { ModelName } from './model-names.ts';

export type ProtocolName = 'query' | 'ec2' | 'json' | 'rest-json' | 'rest-xml' | 'smithy-rpc-v2-cbor';

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: ProtocolName;
  protocols?: ProtocolName[];
  jsonVersion?: string;
  targetPrefix?: string;
  signingName?: string;
  serviceId: string;
  serviceFullName?: string;
  xmlNamespace?: string;
  /** Present on JSON services that were once query services: errors carry x-amzn-query-error. */
  awsQueryCompatible?: Record<string, never>;
  globalEndpoint?: string;
}

export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  xmlAttribute?: boolean;
  idempotencyToken?: boolean;
  jsonvalue?: boolean;
  timestampFormat?: TimestampFormat;
  hostLabel?: boolean;
  deprecated?: boolean;
  box?: boolean;
}

export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822';

interface ShapeBase {
  /** Minimum length (strings, blobs), size (lists, maps) or value (numbers). */
  min?: number;
  max?: number;
  sensitive?: boolean;
  deprecated?: boolean;
  locationName?: string;
  flattened?: boolean;
}

export interface StructureShape extends ShapeBase {
  type: 'structure';
  members: Record<string, MemberRef>;
  required?: string[];
  payload?: string;
  union?: boolean;
  exception?: boolean;
  fault?: boolean;
  /** Query-protocol error code and HTTP status of a modelled error. */
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

export interface ListShape extends ShapeBase {
  type: 'list';
  member: MemberRef;
}

export interface MapShape extends ShapeBase {
  type: 'map';
  key: MemberRef;
  value: MemberRef;
}

export interface StringShape extends ShapeBase {
  type: 'string';
  enum?: string[];
  pattern?: string;
}

export interface ScalarShape extends ShapeBase {
  type: 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'blob' | 'timestamp' | 'bigdecimal' | 'biginteger';
  timestampFormat?: TimestampFormat;
  pattern?: string;
}

export type Shape = StructureShape | ListShape | MapShape | StringShape | ScalarShape;

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: MemberRef;
  output?: MemberRef & { resultWrapper?: string };
  errors?: MemberRef[];
  deprecated?: boolean;
}

export interface ServiceModel {
  /** Bulwark's name for the service: botocore's model folder name (e.g. 'iam', 'cognito-idp'). */
  name: ModelName;
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export class ModelError extends Error {}

/** Looks a shape up by name; a dangling reference is a broken model, not bad input. */
export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new ModelError(`${model.name}: no shape ${name}`);
  return shape;
}

/** The structure shape of an operation's input (an empty structure when it takes none). */
export function inputShape(model: ServiceModel, operation: OperationModel): StructureShape {
  if (!operation.input) return { type: 'structure', members: {} };
  return shapeOf(model, operation.input.shape) as StructureShape;
}

export function outputShape(model: ServiceModel, operation: OperationModel): StructureShape {
  if (!operation.output) return { type: 'structure', members: {} };
  return shapeOf(model, operation.output.shape) as StructureShape;
}

/** The name a client uses for the service in SigV4 credential scopes. */
export function signingName(model: ServiceModel): string {
  return model.metadata.signingName ?? model.metadata.endpointPrefix;
}

const cache = new Map<ModelName, ServiceModel>();
const modelsDir = new URL('../../models/', import.meta.url);

/** Loads a vendored model once; the result is shared and must not be mutated. */
export function loadModel(name: ModelName): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    const raw = JSON.parse(readFileSync(new URL(`${name}.json`, modelsDir), 'utf8'));
    model = { name, metadata: raw.metadata, operations: raw.operations, shapes: raw.shapes };
    cache.set(name, model);
  }
  return model;
}
