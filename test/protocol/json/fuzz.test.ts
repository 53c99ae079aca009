// Hostile and random input never crashes a codec: every request either parses or fails
// with an AwsError whose status is 4xx, quickly. The generator is seeded, so a failure
// reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCodec } from '../../../src/protocol/json.ts';
import { restJsonCodec } from '../../../src/protocol/rest-json.ts';
import { rpcV2CborCodec, encodeCbor } from '../../../src/protocol/cbor.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel, shapeOf, type ServiceModel } from '../../../src/protocol/model.ts';
import type { ProtocolCodec } from '../../../src/protocol/codec.ts';
import type { HttpRequest } from '../../../src/protocol/http.ts';
import type { ModelName } from '../../../src/protocol/model-names.ts';
import { loadFixtures, toHttpRequest } from './fixtures.ts';

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(20250102);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];

/** Parses or fails with a 4xx AwsError; anything else fails the test. */
function outcome(codec: ProtocolCodec, model: ServiceModel, request: HttpRequest): 'parsed' | number {
  try {
    const operation = codec.operationOf(model, request);
    codec.parse(model, operation, request);
    return 'parsed';
  } catch (error) {
    if (!(error instanceof AwsError)) throw new Error(`${request.method} ${request.path} ${request.body.toString('latin1').slice(0, 200)}: ${(error as Error).stack}`);
    assert.ok(error.status !== undefined && error.status >= 400 && error.status < 500, `${error.code} ${error.status}`);
    return error.status;
  }
}

function randomScalar(): unknown {
  return pick([
    () => Math.floor(next() * 1e6) - 5e5, () => next() * 1e12, () => 'x'.repeat(Math.floor(next() * 20)), () => next() < 0.5,
    () => null, () => 'AAEC/w==', () => '2025-01-02T03:04:05Z', () => '%%%', () => 1e308 * 10, () => '\u0000\ud800',
  ])();
}

function randomJson(depth: number): unknown {
  if (depth <= 0 || next() < 0.4) return randomScalar();
  if (next() < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(depth - 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(['a', 'Name', 'Value', '__proto__', 'Key']), randomJson(depth - 1)]));
}

/** A value for a shape that is right most of the time and wrong (or random) sometimes, so readers go deep. */
function valueFor(model: ServiceModel, shapeName: string, depth: number): unknown {
  if (depth > 8 || next() < 0.1) return randomJson(2);
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure':
      return Object.fromEntries(Object.entries(shape.members).filter(() => next() < 0.5).map(([name, ref]) => [ref.locationName ?? name, valueFor(model, ref.shape, depth + 1)]));
    case 'list':
      return Array.from({ length: Math.floor(next() * 3) }, () => valueFor(model, shape.member.shape, depth + 1));
    case 'map':
      return { k1: valueFor(model, shape.value.shape, depth + 1), k2: valueFor(model, shape.value.shape, depth + 1) };
    case 'integer': case 'long': case 'float': case 'double':
      return Math.floor(next() * 1000);
    case 'timestamp':
      return pick([1735787045.25, '2025-01-02T03:04:05Z', 'Thu, 02 Jan 2025 03:04:05 GMT']);
    case 'blob':
      return 'AAEC/w==';
    case 'boolean':
      return true;
    default:
      return 'text';
  }
}

function jsonRequest(model: ServiceModel, operation: string, body: Buffer | string): HttpRequest {
  const version = model.metadata.jsonVersion ?? '1.1';
  return { method: 'POST', path: '/', rawQuery: '', headers: { 'x-amz-target': `${model.metadata.targetPrefix}.${operation}`, 'content-type': `application/x-amz-json-${version}` }, body: Buffer.from(body) };
}

const JSON_SERVICES: ModelName[] = ['kms', 'organizations', 'cloudtrail', 'cloudwatch', 'ssm', 'wafv2', 'logs', 'cognito-idp', 'secretsmanager', 'config'];

test('random model-shaped and mistyped JSON bodies parse or fail with a 4xx AwsError', { timeout: 20_000 }, () => {
  const seen = new Set<string>();
  for (const service of JSON_SERVICES) {
    const model = loadModel(service);
    for (const operation of Object.values(model.operations)) {
      for (let i = 0; i < 3; i++) {
        const body = JSON.stringify(operation.input ? valueFor(model, operation.input.shape, 0) : randomJson(3));
        seen.add(String(outcome(jsonCodec, model, jsonRequest(model, operation.name, body))));
      }
    }
  }
  // Both outcomes happen: the generator is not vacuous.
  assert.ok(seen.has('parsed') && seen.has('400'), [...seen].join());
});

test('random bytes and mangled captured bodies parse or fail with a 4xx AwsError', { timeout: 20_000 }, () => {
  for (const fixture of loadFixtures('json')) {
    const model = loadModel(fixture.service as ModelName);
    const original = toHttpRequest(fixture.request);
    for (let i = 0; i < 40; i++) {
      const body = Buffer.from(original.body);
      const mode = i % 4;
      if (mode === 0) for (let j = 0; j < 3; j++) body[Math.floor(next() * body.length)] = Math.floor(next() * 256);
      const mangled = mode === 1 ? body.subarray(0, Math.floor(next() * body.length)) : mode === 2 ? Buffer.from(Array.from({ length: 64 }, () => Math.floor(next() * 256))) : body;
      const text = mode === 3 ? body.toString().replace(/"[^"]*"/, pick(['{}', '[]', '1', 'true', 'null', '"x"'])) : mangled;
      outcome(jsonCodec, model, { ...original, body: Buffer.from(text) });
    }
  }
});

test('deeply nested JSON (a recursive WAF statement 100,000 levels deep, bare arrays) is refused, not a stack overflow', { timeout: 10_000 }, () => {
  const wafv2 = loadModel('wafv2');
  const depth = 100_000;
  const statement = '{"NotStatement":{"Statement":'.repeat(depth) + '{}' + '}}'.repeat(depth);
  const body = `{"Name":"n","Scope":"REGIONAL","DefaultAction":{"Allow":{}},"VisibilityConfig":{},"Rules":[{"Name":"r","Priority":1,"Statement":${statement}}]}`;
  assert.equal(outcome(jsonCodec, wafv2, jsonRequest(wafv2, 'CreateWebACL', body)), 400);
  const kms = loadModel('kms');
  assert.equal(outcome(jsonCodec, kms, jsonRequest(kms, 'Encrypt', `{"GrantTokens":${'['.repeat(depth)}${']'.repeat(depth)}}`)), 400);
  assert.equal(outcome(jsonCodec, kms, jsonRequest(kms, 'Encrypt', '['.repeat(depth))), 400);
});

test('random rest-json methods, paths, labels and query strings route or fail with a 4xx AwsError', { timeout: 20_000 }, () => {
  const pieces = ['detector', 'findings', 'get', 'tags', '%2F', '%', '%E0%A4%A', '..', '', 'analyzer', 'finding', 'standards', 'controls', 'a%20b', '{x}', '%00'];
  const queries = ['', 'maxResults=x', 'maxResults=5&maxResults=6', 'nextToken=%', 'a=%ZZ', 'analyzerArn=arn&id=1', '=&&='];
  for (const service of ['guardduty', 'securityhub', 'accessanalyzer', 'inspector2', 'trustedadvisor'] as ModelName[]) {
    const model = loadModel(service);
    for (let i = 0; i < 300; i++) {
      const path = '/' + Array.from({ length: 1 + Math.floor(next() * 5) }, () => pick(pieces)).join('/');
      const body = next() < 0.5 ? JSON.stringify(randomJson(3)) : pick(['', '{', 'null', '[]', '"x"', '{"maxResults":"ten"}']);
      outcome(restJsonCodec, model, { method: pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']), path, rawQuery: pick(queries), headers: { 'content-type': 'application/json' }, body: Buffer.from(body) });
    }
  }
});

test('mangled captured rest-json requests parse or fail with a 4xx AwsError', { timeout: 20_000 }, () => {
  for (const fixture of loadFixtures('rest-json')) {
    const model = loadModel(fixture.service as ModelName);
    const original = toHttpRequest(fixture.request);
    const operation = model.operations[fixture.operation];
    for (let i = 0; i < 30; i++) {
      const body = JSON.stringify(operation.input ? valueFor(model, operation.input.shape, 0) : {});
      const path = i % 3 === 0 ? original.path.replace(/[a-z0-9]+$/i, pick(['%', '%2', '%C3', 'x%20y'])) : original.path;
      outcome(restJsonCodec, model, { ...original, path, body: Buffer.from(body) });
    }
  }
});

test('random and malformed CBOR bodies parse or fail with a 4xx AwsError', { timeout: 20_000 }, () => {
  const model = loadModel('cloudwatch');
  const request = (operation: string, body: Buffer): HttpRequest => ({
    method: 'POST', path: `/service/GraniteServiceVersion20100801/operation/${operation}`, rawQuery: '',
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' }, body,
  });
  const seen = new Set<string>();
  for (const operation of Object.values(model.operations)) {
    for (let i = 0; i < 10; i++) {
      const good = encodeCbor(operation.input ? valueFor(model, operation.input.shape, 0) : {});
      const body = Buffer.from(good);
      if (i % 2 === 1 && body.length > 0) body[Math.floor(next() * body.length)] = Math.floor(next() * 256);
      seen.add(String(outcome(rpcV2CborCodec, model, request(operation.name, i % 5 === 4 ? body.subarray(0, body.length >> 1) : body))));
    }
  }
  for (const hostile of [
    Buffer.alloc(100_000, 0x81), // arrays nested 100,000 deep
    Buffer.from([0xbf, 0x61, 0x61]), // an indefinite map that never ends
    Buffer.from([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // a 2^64-item array
    Buffer.from([0x5f, 0x61, 0x61, 0xff]), // a text chunk inside a byte string
    Buffer.from([0xc2, 0x41, 0x01]), // an unsupported tag
    Buffer.from([0xff]), // a lone break
    Buffer.from([0xa1, 0x01, 0x02]), // a map with an integer key
    Buffer.from([0xa0, 0x00]), // trailing bytes
  ]) {
    assert.equal(outcome(rpcV2CborCodec, model, request('DescribeAlarms', hostile)), 400);
  }
  assert.ok(seen.has('parsed') && seen.has('400'), [...seen].join());
});
