// awsJson request handling as AWS does it: X-Amz-Target routing, an empty body as {},
// SerializationException for values of the wrong JSON type, and response framing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCodec } from '../../../src/protocol/json.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import type { HttpRequest } from '../../../src/protocol/http.ts';

const kms = loadModel('kms');
const cloudwatch = loadModel('cloudwatch');

function call(target: string, body: string | Buffer, version = '1.1'): HttpRequest {
  return { method: 'POST', path: '/', rawQuery: '', headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${version}` }, body: Buffer.from(body) };
}

function parseKms(operation: string, body: string): Record<string, unknown> {
  const request = call(`TrentService.${operation}`, body);
  return jsonCodec.parse(kms, jsonCodec.operationOf(kms, request), request);
}

function serializationFailure(message: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, String(error));
    assert.equal(error.code, 'SerializationException');
    assert.equal(error.status, 400);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

test('X-Amz-Target selects the operation; a wrong prefix or unknown name is UnknownOperationException, 400', () => {
  assert.equal(jsonCodec.operationOf(kms, call('TrentService.CreateKey', '{}')).name, 'CreateKey');
  for (const target of ['TrentService.Nope', 'Other.CreateKey', 'CreateKey', '', 'TrentService.constructor', 'TrentService.toString', 'TrentService.']) {
    assert.throws(() => jsonCodec.operationOf(kms, call(target, '{}')), (error: AwsError) => error.code === 'UnknownOperationException' && error.status === 400);
  }
});

test('UnknownOperationException is answered as AWS does: {"__type":"UnknownOperationException"}', () => {
  const error = (() => {
    try {
      jsonCodec.operationOf(kms, call('TrentService.Nope', '{}'));
    } catch (caught) {
      return caught as AwsError;
    }
    throw new Error('no error');
  })();
  const response = jsonCodec.serializeError(kms, error, { requestId: 'r' });
  assert.equal(response.status, 400);
  assert.deepStrictEqual(JSON.parse(String(response.body)), { __type: 'UnknownOperationException' });
});

test('CloudWatch is served as JSON 1.0 from its model, whatever metadata.protocol says', () => {
  const request = call('GraniteServiceVersion20100801.ListDashboards', '{"DashboardNamePrefix":"ops"}', '1.0');
  const operation = jsonCodec.operationOf(cloudwatch, request);
  assert.deepStrictEqual(jsonCodec.parse(cloudwatch, operation, request), { DashboardNamePrefix: 'ops' });
  const response = jsonCodec.serialize(cloudwatch, operation, { DashboardEntries: [] }, { requestId: 'r' });
  assert.equal(response.headers['content-type'], 'application/x-amz-json-1.0');
  const error = jsonCodec.serializeError(cloudwatch, new AwsError('DashboardNotFoundError', 'nope'), { requestId: 'r' });
  assert.equal(error.status, 404);
  assert.equal(error.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  // A handler may throw the query-era code; the JSON form names the modelled shape.
  const queryCode = jsonCodec.serializeError(cloudwatch, new AwsError('InvalidParameterValue', 'bad'), { requestId: 'r' });
  assert.equal(queryCode.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
  assert.deepStrictEqual(JSON.parse(String(queryCode.body)), { __type: 'InvalidParameterValueException', message: 'bad' });
});

test('an empty body is the empty input', () => {
  assert.deepStrictEqual(parseKms('ListKeys', ''), {});
  assert.deepStrictEqual(parseKms('ListKeys', '  '), {});
});

test('unknown members are ignored and null members are absent', () => {
  assert.deepStrictEqual(parseKms('ListKeys', '{"Limit":5,"Marker":null,"Extra":{"a":1}}'), { Limit: 5 });
});

test('values of the wrong JSON type are SerializationException with AWS\'s wording', () => {
  assert.throws(() => parseKms('ListKeys', '{"Limit":"10"}'), serializationFailure('STRING_VALUE can not be converted to an Integer'));
  assert.throws(() => parseKms('DescribeKey', '{"KeyId":{"a":1}}'), serializationFailure('Start of structure or map found where not expected.'));
  assert.throws(() => parseKms('DescribeKey', '{"KeyId":["a"]}'), serializationFailure('Start of list found where not expected'));
  assert.throws(() => parseKms('DescribeKey', '{"KeyId":12}'), serializationFailure('NUMBER_VALUE can not be converted to a String'));
  assert.throws(() => parseKms('CreateKey', '{"BypassPolicyLockoutSafetyCheck":"true"}'), serializationFailure('STRING_VALUE can not be converted to a Boolean'));
  assert.throws(() => parseKms('CreateKey', '{"Tags":{"TagKey":"a"}}'), serializationFailure('Start of structure or map found where not expected.'));
  assert.throws(() => parseKms('Encrypt', '{"EncryptionContext":["a"]}'), serializationFailure('Start of list found where not expected'));
  assert.throws(() => parseKms('ListKeys', '[]'), serializationFailure('Start of list found where not expected'));
  assert.throws(() => parseKms('ListKeys', '{"Limit":3000000000}'), serializationFailure(/out of range of int/));
});

test('malformed JSON is SerializationException, 400', () => {
  for (const body of ['{', '{"a":}', 'nul', '{"KeyId":"a",}', '\u0000', '{"a":1}}']) {
    assert.throws(() => parseKms('DescribeKey', body), serializationFailure(/JSON/));
  }
});

test('blobs must be valid base64', () => {
  assert.deepStrictEqual(parseKms('Decrypt', '{"CiphertextBlob":"AAEC/w=="}'), { CiphertextBlob: Buffer.from([0, 1, 2, 255]) });
  for (const bad of ['"not base64!"', '"AAE"', '"A"', '12']) {
    assert.throws(() => parseKms('Decrypt', `{"CiphertextBlob":${bad}}`), (error: AwsError) => error.code === 'SerializationException' && error.status === 400);
  }
});

test('timestamps: epoch seconds (fractional), ISO 8601 strings; garbage is refused', () => {
  const trail = loadModel('cloudtrail');
  const parse = (body: string) => {
    const request = call('CloudTrail_20131101.LookupEvents', body);
    return jsonCodec.parse(trail, jsonCodec.operationOf(trail, request), request);
  };
  assert.deepStrictEqual(parse('{"StartTime":1735787045.25}'), { StartTime: new Date('2025-01-02T03:04:05.250Z') });
  assert.deepStrictEqual(parse('{"StartTime":"2025-01-02T03:04:05Z"}'), { StartTime: new Date('2025-01-02T03:04:05Z') });
  assert.throws(() => parse('{"StartTime":"yesterday"}'), (error: AwsError) => error.code === 'SerializationException');
  assert.throws(() => parse('{"StartTime":true}'), (error: AwsError) => error.code === 'SerializationException');
});

test('doubles accept the non-finite spellings Smithy uses and write them back as strings', () => {
  const request = call('GraniteServiceVersion20100801.PutMetricData', '{"Namespace":"n","MetricData":[{"MetricName":"m","Value":"NaN","Values":[1,"Infinity","-Infinity"]}]}', '1.0');
  const input = jsonCodec.parse(cloudwatch, jsonCodec.operationOf(cloudwatch, request), request) as { MetricData: { Value: number; Values: number[] }[] };
  assert.ok(Number.isNaN(input.MetricData[0].Value));
  assert.deepStrictEqual(input.MetricData[0].Values, [1, Infinity, -Infinity]);
  const response = jsonCodec.serialize(cloudwatch, cloudwatch.operations.GetMetricData, { MetricDataResults: [{ Id: 'a', Values: [NaN, 1.5, -Infinity] }] }, { requestId: 'r' });
  assert.deepStrictEqual(JSON.parse(String(response.body)).MetricDataResults[0].Values, ['NaN', 1.5, '-Infinity']);
});

test('map keys such as __proto__ stay ordinary keys', () => {
  const input = parseKms('Encrypt', '{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"__proto__":"x","constructor":"y"}}');
  const context = input.EncryptionContext as Record<string, unknown>;
  assert.deepStrictEqual(Object.keys(context), ['__proto__', 'constructor']);
  assert.equal(Object.getPrototypeOf(context), Object.prototype);
  assert.equal(context.constructor, 'y');
});

test('responses: the output as JSON with epoch-second timestamps and base64 blobs, absent members omitted', () => {
  const response = jsonCodec.serialize(kms, kms.operations.DescribeKey, {
    KeyMetadata: { KeyId: 'k', CreationDate: new Date('2024-01-01T00:00:00.5Z'), Enabled: true, Description: undefined, DeletionDate: null },
  }, { requestId: 'req-9' });
  assert.equal(response.status, 200);
  assert.equal(response.headers['content-type'], 'application/x-amz-json-1.1');
  assert.equal(response.headers['x-amzn-requestid'], 'req-9');
  assert.equal(response.body, '{"KeyMetadata":{"KeyId":"k","CreationDate":1704067200.5,"Enabled":true}}');
  const blob = jsonCodec.serialize(kms, kms.operations.GenerateRandom, { Plaintext: new Uint8Array([1, 2, 3]) }, { requestId: 'r' });
  assert.equal(blob.body, '{"Plaintext":"AQID"}');
});

test('errors: __type, message, modelled extra members, x-amzn-errortype, status from the shape or the common errors', () => {
  const organizations = loadModel('organizations');
  const constraint = jsonCodec.serializeError(organizations, new AwsError('ConstraintViolationException', 'too many', { fields: { Reason: 'ACCOUNT_NUMBER_LIMIT_EXCEEDED' } }), { requestId: 'r' });
  assert.equal(constraint.status, 400);
  assert.equal(constraint.headers['x-amzn-errortype'], 'ConstraintViolationException');
  assert.equal(constraint.headers['x-amzn-query-error'], undefined);
  assert.deepStrictEqual(JSON.parse(String(constraint.body)), { __type: 'ConstraintViolationException', Message: 'too many', Reason: 'ACCOUNT_NUMBER_LIMIT_EXCEEDED' });

  const denied = jsonCodec.serializeError(kms, new AwsError('AccessDeniedException', 'not allowed'), { requestId: 'r' });
  assert.equal(denied.status, 403);
  assert.deepStrictEqual(JSON.parse(String(denied.body)), { __type: 'AccessDeniedException', message: 'not allowed' });

  const internal = jsonCodec.serializeError(kms, new AwsError('KMSInternalException', 'oops'), { requestId: 'r' });
  assert.equal(internal.status, 500);
});
