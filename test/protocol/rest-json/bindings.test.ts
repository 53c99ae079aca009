// restJson1 routing and member bindings: which operation a method + path selects, and how
// labels, query strings, headers, payloads and status codes map onto typed members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restJsonCodec, restJsonValidationErrorCode } from '../../../src/protocol/rest-json.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel, type ServiceModel } from '../../../src/protocol/model.ts';
import type { ModelName } from '../../../src/protocol/model-names.ts';
import type { HttpRequest } from '../../../src/protocol/http.ts';

function request(method: string, target: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): HttpRequest {
  const [path, rawQuery = ''] = target.split(/\?(.*)/s);
  return { method, path, rawQuery, headers: options.headers ?? {}, body: Buffer.from(options.body ?? '') };
}

function route(model: ServiceModel, req: HttpRequest): string {
  return restJsonCodec.operationOf(model, req).name;
}

function parse(model: ServiceModel, req: HttpRequest): Record<string, unknown> {
  return restJsonCodec.parse(model, restJsonCodec.operationOf(model, req), req);
}

// A model exercising every binding the vendored models use and those they could.
const demo: ServiceModel = {
  name: 'demo' as ModelName,
  metadata: { apiVersion: '2020-01-01', endpointPrefix: 'demo', protocol: 'rest-json', serviceId: 'Demo' },
  operations: {
    GetObject: { name: 'GetObject', http: { method: 'GET', requestUri: '/{Bucket}/{Key+}' }, input: { shape: 'ObjectInput' } },
    GetObjectTagging: { name: 'GetObjectTagging', http: { method: 'GET', requestUri: '/{Bucket}/{Key+}?tagging' }, input: { shape: 'ObjectInput' } },
    ListThings: { name: 'ListThings', http: { method: 'GET', requestUri: '/things' }, input: { shape: 'ListInput' } },
    ListFancyThings: { name: 'ListFancyThings', http: { method: 'GET', requestUri: '/things?type=fancy' }, input: { shape: 'ListInput' } },
    PutThing: { name: 'PutThing', http: { method: 'PUT', requestUri: '/things/{Id}' }, input: { shape: 'PutThingInput' } },
    PutDoc: { name: 'PutDoc', http: { method: 'POST', requestUri: '/docs/{Id}', responseCode: 201 }, input: { shape: 'PutDocInput' }, output: { shape: 'PutDocOutput' } },
    GetStatus: { name: 'GetStatus', http: { method: 'GET', requestUri: '/status' }, output: { shape: 'StatusOutput' } },
  },
  shapes: {
    String: { type: 'string' },
    Integer: { type: 'integer' },
    Boolean: { type: 'boolean' },
    Blob: { type: 'blob' },
    Timestamp: { type: 'timestamp' },
    StringList: { type: 'list', member: { shape: 'String' } },
    IntegerList: { type: 'list', member: { shape: 'Integer' } },
    StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
    ObjectInput: {
      type: 'structure',
      members: { Bucket: { shape: 'String', location: 'uri', locationName: 'Bucket' }, Key: { shape: 'String', location: 'uri', locationName: 'Key' } },
    },
    ListInput: {
      type: 'structure',
      members: {
        Max: { shape: 'Integer', location: 'querystring', locationName: 'max' },
        Ids: { shape: 'IntegerList', location: 'querystring', locationName: 'id' },
        Since: { shape: 'Timestamp', location: 'querystring', locationName: 'since' },
        Other: { shape: 'StringMap', location: 'querystring' },
      },
    },
    PutThingInput: {
      type: 'structure',
      payload: 'Data',
      members: {
        Id: { shape: 'Integer', location: 'uri', locationName: 'Id' },
        Since: { shape: 'Timestamp', location: 'header', locationName: 'If-Modified-Since' },
        Flags: { shape: 'StringList', location: 'header', locationName: 'X-Flags' },
        Dry: { shape: 'Boolean', location: 'header', locationName: 'X-Dry-Run' },
        Context: { shape: 'String', location: 'header', locationName: 'X-Context', jsonvalue: true },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Data: { shape: 'Blob' },
      },
    },
    Doc: { type: 'structure', members: { Title: { shape: 'String', locationName: 'title' }, At: { shape: 'Timestamp', locationName: 'at' } } },
    PutDocInput: { type: 'structure', payload: 'Doc', members: { Id: { shape: 'String', location: 'uri', locationName: 'Id' }, Doc: { shape: 'Doc' } } },
    PutDocOutput: { type: 'structure', members: { Location: { shape: 'String', location: 'header', locationName: 'Location' }, Id: { shape: 'String', locationName: 'id' } } },
    StatusOutput: {
      type: 'structure',
      members: {
        Code: { shape: 'Integer', location: 'statusCode' },
        Modified: { shape: 'Timestamp', location: 'header', locationName: 'Last-Modified' },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Body: { shape: 'String', locationName: 'body' },
      },
    },
  },
};

test('GuardDuty routing prefers the most specific template: /findings/get is GetFindings, /findings is ListFindings', () => {
  const model = loadModel('guardduty');
  assert.equal(route(model, request('POST', '/detector/abc/findings/get')), 'GetFindings');
  assert.equal(route(model, request('POST', '/detector/abc/findings')), 'ListFindings');
  assert.equal(route(model, request('GET', '/detector/abc')), 'GetDetector');
  assert.equal(route(model, request('DELETE', '/detector/abc')), 'DeleteDetector');
  assert.equal(route(model, request('GET', '/detector/')), 'ListDetectors');
});

test('an unmatched method or path is UnknownOperationException, 404', () => {
  const model = loadModel('guardduty');
  for (const [method, path] of [['PATCH', '/detector/abc'], ['GET', '/nothing/here'], ['GET', '/']]) {
    assert.throws(() => route(model, request(method, path)), (error: AwsError) => error.code === 'UnknownOperationException' && error.status === 404);
  }
});

test('a literal query part in the requestUri must be present: ?tagging selects GetObjectTagging', () => {
  assert.equal(route(demo, request('GET', '/bucket/a/b.txt?tagging')), 'GetObjectTagging');
  assert.equal(route(demo, request('GET', '/bucket/a/b.txt')), 'GetObject');
  assert.equal(route(demo, request('GET', '/things?type=fancy&max=2')), 'ListFancyThings');
  assert.equal(route(demo, request('GET', '/things?type=plain')), 'ListThings');
});

test('labels are percent-decoded; a greedy label keeps its slashes', () => {
  assert.deepStrictEqual(parse(demo, request('GET', '/my%20bucket/dir%2Fx/file%3F.txt')), { Bucket: 'my bucket', Key: 'dir/x/file?.txt' });
  const hub = loadModel('securityhub');
  const arn = 'arn:aws:securityhub:us-east-1:123456789012:subscription/cis-aws-foundations-benchmark/v/1.2.0';
  assert.deepStrictEqual(parse(hub, request('GET', `/standards/controls/${encodeURIComponent(arn).replaceAll('%2F', '/')}`)), { StandardsSubscriptionArn: arn });
});

test('query members: repeated keys make a list, timestamps are ISO 8601, the query map takes the rest', () => {
  const input = parse(demo, request('GET', '/things?max=10&id=1&id=2&since=2025-01-02T03%3A04%3A05Z&color=red&shape=round%20ish'));
  assert.deepStrictEqual(input, { Max: 10, Ids: [1, 2], Since: new Date('2025-01-02T03:04:05Z'), Other: { color: 'red', shape: 'round ish' } });
});

test('header members: http-date timestamps, comma lists, booleans, base64 JSON values and prefixed maps; the blob payload is the raw body', () => {
  const context = Buffer.from(JSON.stringify({ a: [1, 2] })).toString('base64');
  const input = parse(demo, request('PUT', '/things/42', {
    headers: { 'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT', 'x-flags': 'a, b,c', 'x-dry-run': 'true', 'x-context': context, 'x-meta-owner': 'me', 'x-meta-tier': 'gold' },
    body: Buffer.from([0, 159, 146, 150]),
  }));
  assert.deepStrictEqual(input, {
    Id: 42, Since: new Date('2015-10-21T07:28:00Z'), Flags: ['a', 'b', 'c'], Dry: true, Context: { a: [1, 2] },
    Meta: { owner: 'me', tier: 'gold' }, Data: Buffer.from([0, 159, 146, 150]),
  });
});

test('a structure payload is the JSON body; an empty body leaves it absent', () => {
  assert.deepStrictEqual(parse(demo, request('POST', '/docs/d1', { body: '{"title":"T","at":1700000000.5}' })), {
    Id: 'd1', Doc: { Title: 'T', At: new Date(1700000000500) },
  });
  assert.deepStrictEqual(parse(demo, request('POST', '/docs/d1')), { Id: 'd1' });
});

test('bound values of the wrong type are SerializationException, 400', () => {
  for (const bad of [request('PUT', '/things/forty-two'), request('GET', '/things?max=ten'), request('PUT', '/things/1', { headers: { 'x-dry-run': 'maybe' } }),
    request('GET', '/things?since=yesterday'), request('GET', '/bucket/%E0%A4%A')]) {
    assert.throws(() => parse(demo, bad), (error: AwsError) => error.code === 'SerializationException' && error.status === 400);
  }
});

test('responses: status from responseCode or the statusCode member, header members as headers, the rest as the JSON body', () => {
  const created = restJsonCodec.serialize(demo, demo.operations.PutDoc, { Location: '/docs/d1', Id: 'd1' }, { requestId: 'r1' });
  assert.equal(created.status, 201);
  assert.equal(created.headers.location, '/docs/d1');
  assert.equal(created.headers['x-amzn-requestid'], 'r1');
  assert.deepStrictEqual(JSON.parse(String(created.body)), { id: 'd1' });

  const status = restJsonCodec.serialize(demo, demo.operations.GetStatus, {
    Code: 202, Modified: new Date('2015-10-21T07:28:00Z'), Meta: { Owner: 'me' }, Body: 'ok',
  }, { requestId: 'r2' });
  assert.equal(status.status, 202);
  assert.equal(status.headers['last-modified'], 'Wed, 21 Oct 2015 07:28:00 GMT');
  assert.equal(status.headers['x-meta-owner'], 'me');
  assert.deepStrictEqual(JSON.parse(String(status.body)), { body: 'ok' });
});

test('GuardDuty TagResource answers 204 with an empty body', () => {
  const model = loadModel('guardduty');
  const response = restJsonCodec.serialize(model, model.operations.TagResource, {}, { requestId: 'r' });
  assert.equal(response.status, 204);
  assert.equal(response.body, '');
});

test('rest-json errors: x-amzn-errortype, a message member as the shape spells it, header-bound fields as headers', () => {
  const analyzer = loadModel('accessanalyzer');
  const throttled = restJsonCodec.serializeError(analyzer, new AwsError('ThrottlingException', 'Rate exceeded', { fields: { retryAfterSeconds: 5 } }), { requestId: 'r' });
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers['x-amzn-errortype'], 'ThrottlingException');
  assert.equal(throttled.headers['retry-after'], '5');
  assert.deepStrictEqual(JSON.parse(String(throttled.body)), { __type: 'ThrottlingException', message: 'Rate exceeded' });

  const guardduty = loadModel('guardduty');
  const bad = restJsonCodec.serializeError(guardduty, new AwsError('BadRequestException', 'The request is rejected', { fields: { Type: 'InvalidInputException' } }), { requestId: 'r' });
  assert.equal(bad.status, 400);
  assert.deepStrictEqual(JSON.parse(String(bad.body)), { __type: 'BadRequestException', message: 'The request is rejected', type: 'InvalidInputException' });
});

test('each rest-json service names its own validation error code', () => {
  assert.equal(restJsonValidationErrorCode(loadModel('guardduty')), 'BadRequestException');
  assert.equal(restJsonValidationErrorCode(loadModel('securityhub')), 'InvalidInputException');
  assert.equal(restJsonValidationErrorCode(loadModel('accessanalyzer')), 'ValidationException');
});
