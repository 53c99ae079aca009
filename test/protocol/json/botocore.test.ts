// What we serialize for the JSON protocols (and rpc-v2-cbor) is what botocore's own
// parsers read back: the output dicts, and for errors the code, message and query-era code.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCodec } from '../../../src/protocol/json.ts';
import { rpcV2CborCodec } from '../../../src/protocol/cbor.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import type { HttpResponse } from '../../../src/protocol/http.ts';
import type { ModelName } from '../../../src/protocol/model-names.ts';
import type { ProtocolCodec } from '../../../src/protocol/codec.ts';
import { asBotocore, botocore, type BotocoreCase } from './clients.ts';
import { fromTagged } from './fixtures.ts';

const context = { requestId: 'req-1234' };

function output(codec: ProtocolCodec, service: ModelName, operation: string, value: unknown): HttpResponse {
  const model = loadModel(service);
  return codec.serialize(model, model.operations[operation], value, context);
}

function failure(codec: ProtocolCodec, service: ModelName, error: AwsError): HttpResponse {
  return codec.serializeError(loadModel(service), error, context);
}

const encryptOutput = { CiphertextBlob: Buffer.from([0, 1, 2, 250, 255]), KeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
const describeKeyOutput = {
  KeyMetadata: {
    AWSAccountId: '123456789012', KeyId: 'k1', Arn: 'arn:aws:kms:us-east-1:123456789012:key/k1',
    CreationDate: new Date('2024-05-06T07:08:09.123Z'), Enabled: true, KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false, PendingDeletionWindowInDays: 7,
  },
};
const lookupEventsOutput = {
  Events: [{
    EventId: 'e1', EventName: 'ConsoleLogin', EventTime: new Date('2025-01-02T03:04:05Z'),
    Resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: 'alice' }], CloudTrailEvent: '{"eventVersion":"1.08"}',
  }],
  NextToken: 'n2',
};
const metricDataOutput = {
  MetricDataResults: [{
    Id: 'm1', Label: 'Latency', StatusCode: 'Complete',
    Timestamps: [new Date('2025-01-02T00:01:00Z'), new Date('2025-01-02T00:00:00.500Z')], Values: [12.5, 0.25],
  }],
  Messages: [],
};

interface Case {
  name: string;
  run: BotocoreCase;
  check: (result: Record<string, unknown>) => void;
}

const cases: Case[] = [
  {
    name: 'KMS Encrypt output: the ciphertext blob travels as base64 and comes back as the same bytes',
    run: { kind: 'parse', service: 'kms', operation: 'Encrypt', protocol: 'json', response: output(jsonCodec, 'kms', 'Encrypt', encryptOutput) },
    check: (result) => assert.deepStrictEqual(withoutMetadata(result), asBotocore(encryptOutput)),
  },
  {
    name: 'KMS DescribeKey output: nested structure, fractional epoch timestamp, booleans, integers and lists',
    run: { kind: 'parse', service: 'kms', operation: 'DescribeKey', protocol: 'json', response: output(jsonCodec, 'kms', 'DescribeKey', describeKeyOutput) },
    check: (result) => {
      assert.deepStrictEqual(withoutMetadata(result), asBotocore(describeKeyOutput));
      assert.equal((result.ResponseMetadata as { RequestId: string }).RequestId, 'req-1234');
    },
  },
  {
    name: 'CloudTrail LookupEvents output: timestamps inside a list of structures',
    run: { kind: 'parse', service: 'cloudtrail', operation: 'LookupEvents', protocol: 'json', response: output(jsonCodec, 'cloudtrail', 'LookupEvents', lookupEventsOutput) },
    check: (result) => assert.deepStrictEqual(withoutMetadata(result), asBotocore(lookupEventsOutput)),
  },
  {
    name: 'CloudWatch GetMetricData output over JSON 1.0: lists of timestamps and doubles',
    run: { kind: 'parse', service: 'cloudwatch', operation: 'GetMetricData', protocol: 'json', response: output(jsonCodec, 'cloudwatch', 'GetMetricData', metricDataOutput) },
    check: (result) => assert.deepStrictEqual(withoutMetadata(result), asBotocore(metricDataOutput)),
  },
  {
    name: 'KMS NotFoundException: botocore reads the code from __type and the message from "message"',
    run: { kind: 'parse', service: 'kms', operation: 'DescribeKey', protocol: 'json', response: failure(jsonCodec, 'kms', new AwsError('NotFoundException', 'Key k9 does not exist')) },
    check: (result) => assert.deepStrictEqual(result.Error, { Code: 'NotFoundException', Message: 'Key k9 does not exist' }),
  },
  {
    name: 'Organizations errors carry "Message" (the shape spells it so) and botocore reads it',
    run: {
      kind: 'parse', service: 'organizations', operation: 'DescribeOrganization', protocol: 'json',
      response: failure(jsonCodec, 'organizations', new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.')),
    },
    check: (result) => assert.deepStrictEqual(result.Error, { Code: 'AWSOrganizationsNotInUseException', Message: 'Your account is not a member of an organization.' }),
  },
  {
    name: 'CloudWatch errors over JSON map to the query-era code through x-amzn-query-error',
    run: {
      kind: 'parse', service: 'cloudwatch', operation: 'GetMetricData', protocol: 'json',
      response: failure(jsonCodec, 'cloudwatch', new AwsError('InvalidParameterValueException', 'The value 0 for parameter Period is not valid.')),
    },
    check: (result) => assert.deepStrictEqual(result.Error, {
      Code: 'InvalidParameterValue', Message: 'The value 0 for parameter Period is not valid.', QueryErrorCode: 'InvalidParameterValueException', Type: 'Sender',
    }),
  },
  {
    name: 'CloudWatch GetMetricData output over rpc-v2-cbor reads back in botocore',
    run: { kind: 'parse', service: 'cloudwatch', operation: 'GetMetricData', protocol: 'smithy-rpc-v2-cbor', response: output(rpcV2CborCodec, 'cloudwatch', 'GetMetricData', metricDataOutput) },
    check: (result) => assert.deepStrictEqual(withoutMetadata(result), asBotocore(metricDataOutput)),
  },
  {
    name: 'CloudWatch errors over rpc-v2-cbor carry the query-era code too',
    run: {
      kind: 'parse', service: 'cloudwatch', operation: 'DescribeAlarms', protocol: 'smithy-rpc-v2-cbor',
      response: failure(rpcV2CborCodec, 'cloudwatch', new AwsError('InvalidNextToken', 'The next token is not valid.')),
    },
    check: (result) => assert.deepStrictEqual(result.Error, { Code: 'InvalidNextToken', Message: 'The next token is not valid.', QueryErrorCode: 'InvalidNextToken', Type: 'Sender' }),
  },
];

const cborPutMetricData = {
  Namespace: 'App/Orders',
  MetricData: [{ MetricName: 'Latency', Timestamp: { $date: '2025-01-02T03:04:05Z' }, Values: [12.5, 40], Counts: [3, 1], Unit: 'Milliseconds' }],
};
const serializeCases: BotocoreCase[] = [
  { kind: 'serialize', service: 'cloudwatch', operation: 'PutMetricData', protocol: 'smithy-rpc-v2-cbor', params: cborPutMetricData },
];

let results: { ok?: Record<string, unknown>; error?: string }[] = [];
before(async () => {
  results = await botocore([...cases.map((c) => c.run), ...serializeCases]);
});

function withoutMetadata(result: Record<string, unknown>): Record<string, unknown> {
  const { ResponseMetadata: _metadata, ...rest } = result;
  return rest;
}

cases.forEach((c, index) => {
  test(c.name, () => {
    const result = results[index];
    assert.equal(result.error, undefined, result.error);
    c.check(result.ok!);
  });
});

test('a CloudWatch PutMetricData request botocore encodes as rpc-v2-cbor parses into the same typed input', () => {
  const result = results[cases.length];
  assert.equal(result.error, undefined, result.error);
  const serialized = result.ok as { method: string; path: string; headers: Record<string, string>; bodyBase64: string };
  const headers = Object.fromEntries(Object.entries(serialized.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const request = { method: serialized.method, path: serialized.path, rawQuery: '', headers, body: Buffer.from(serialized.bodyBase64, 'base64') };
  const model = loadModel('cloudwatch');
  const operation = rpcV2CborCodec.operationOf(model, request);
  assert.equal(operation.name, 'PutMetricData');
  assert.deepStrictEqual(rpcV2CborCodec.parse(model, operation, request), fromTagged(cborPutMetricData));
});
