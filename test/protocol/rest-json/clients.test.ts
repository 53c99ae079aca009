// What the rest-json codec writes is what the real clients read: botocore's rest-json
// parser, and the GuardDuty client of the AWS SDK for JS v3 against a loopback server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GuardDutyClient, BadRequestException, CreateDetectorCommand, GetDetectorCommand, ListDetectorsCommand, ListFindingsCommand, TagResourceCommand,
  InternalServerErrorException,
} from '@aws-sdk/client-guardduty';
import { restJsonCodec } from '../../../src/protocol/rest-json.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import type { ModelName } from '../../../src/protocol/model-names.ts';
import { asBotocore, botocore, sdkConfig, startServer, type TestServer } from '../json/clients.ts';

const context = { requestId: 'req-7' };
const guardduty = loadModel('guardduty');
const analyzer = loadModel('accessanalyzer');

const detector = {
  CreatedAt: '2025-01-02T03:04:05.000Z', FindingPublishingFrequency: 'SIX_HOURS', ServiceRole: 'arn:aws:iam::123456789012:role/aws-service-role/guardduty',
  Status: 'ENABLED', Tags: { team: 'red' }, Features: [{ Name: 'S3_DATA_EVENTS', Status: 'ENABLED', UpdatedAt: new Date('2025-01-02T03:04:05Z') }],
};
const analyzerSummary = {
  analyzer: { arn: 'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/main', name: 'main', type: 'ACCOUNT', createdAt: new Date('2025-01-02T03:04:05.123Z'), status: 'ACTIVE', tags: { a: 'b' } },
};

let results: { ok?: Record<string, unknown>; error?: string }[] = [];
let server: TestServer;
before(async () => {
  results = await botocore([
    { kind: 'parse', service: 'guardduty', operation: 'GetDetector', protocol: 'rest-json', response: restJsonCodec.serialize(guardduty, guardduty.operations.GetDetector, detector, context) },
    { kind: 'parse', service: 'accessanalyzer', operation: 'GetAnalyzer', protocol: 'rest-json', response: restJsonCodec.serialize(analyzer, analyzer.operations.GetAnalyzer, analyzerSummary, context) },
    { kind: 'parse', service: 'guardduty', operation: 'GetDetector', protocol: 'rest-json', response: restJsonCodec.serializeError(guardduty, new AwsError('BadRequestException', 'The request is rejected because the input detectorId is not owned by the current account.'), context) },
    { kind: 'parse', service: 'accessanalyzer', operation: 'GetAnalyzer', protocol: 'rest-json', response: restJsonCodec.serializeError(analyzer, new AwsError('ResourceNotFoundException', 'Analyzer not found', { fields: { resourceId: 'main', resourceType: 'AWS::AccessAnalyzer::Analyzer' } }), context) },
  ]);
  server = await startServer();
});
after(() => server.close());

function withoutMetadata(result: Record<string, unknown> | undefined): Record<string, unknown> {
  const { ResponseMetadata: _metadata, ...rest } = result ?? {};
  return rest;
}

test('botocore reads a GuardDuty GetDetector body written with locationName keys', () => {
  assert.equal(results[0].error, undefined, results[0].error);
  assert.deepStrictEqual(withoutMetadata(results[0].ok), asBotocore(detector));
});

test('botocore reads Access Analyzer ISO 8601 timestamps (the shape says iso8601) with milliseconds', () => {
  assert.equal(results[1].error, undefined, results[1].error);
  assert.deepStrictEqual(withoutMetadata(results[1].ok), asBotocore(analyzerSummary));
});

test('botocore reads a GuardDuty BadRequestException code and message', () => {
  assert.deepStrictEqual(results[2].ok?.Error, { Code: 'BadRequestException', Message: 'The request is rejected because the input detectorId is not owned by the current account.' });
});

test('botocore reads an Access Analyzer ResourceNotFoundException (404) with its extra fields in the body', () => {
  assert.deepStrictEqual(results[3].ok?.Error, { Code: 'ResourceNotFoundException', Message: 'Analyzer not found' });
});

/** Answers every GuardDuty call through the rest-json codec, recording the parsed inputs. */
function answerWith(service: ModelName, answer: (operation: string, input: Record<string, unknown>) => unknown) {
  const model = loadModel(service);
  const seen: { operation: string; input: Record<string, unknown> }[] = [];
  server.respond = (request) => {
    try {
      const operation = restJsonCodec.operationOf(model, request);
      const input = restJsonCodec.parse(model, operation, request);
      seen.push({ operation: operation.name, input });
      return restJsonCodec.serialize(model, operation, answer(operation.name, input), context);
    } catch (error) {
      if (error instanceof AwsError) return restJsonCodec.serializeError(model, error, context);
      throw error;
    }
  };
  return seen;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

test('GuardDuty CreateDetector and GetDetector round trip through the JS SDK', async () => {
  const seen = answerWith('guardduty', (operation) => (operation === 'CreateDetector' ? { DetectorId: 'd123' } : detector));
  const client = new GuardDutyClient(sdkConfig(server.endpoint));
  const created = await client.send(new CreateDetectorCommand({ Enable: true, Tags: { team: 'red' }, ClientToken: 't1' }));
  const fetched = await client.send(new GetDetectorCommand({ DetectorId: 'd123' }));
  client.destroy();
  assert.equal(created.DetectorId, 'd123');
  assert.deepStrictEqual(seen[0].input, { Enable: true, Tags: { team: 'red' }, ClientToken: 't1' });
  assert.deepStrictEqual(seen[1], { operation: 'GetDetector', input: { DetectorId: 'd123' } });
  const { $metadata: _metadata, ...output } = fetched;
  assert.deepStrictEqual(output, detector);
});

test('GuardDuty ListDetectors sends its paging in the query string and reads the list back', async () => {
  const seen = answerWith('guardduty', () => ({ DetectorIds: ['d1', 'd2'], NextToken: 'n/2' }));
  const client = new GuardDutyClient(sdkConfig(server.endpoint));
  const result = await client.send(new ListDetectorsCommand({ MaxResults: 2, NextToken: 'a b&c' }));
  client.destroy();
  assert.deepStrictEqual(seen[0].input, { MaxResults: 2, NextToken: 'a b&c' });
  assert.deepStrictEqual(result.DetectorIds, ['d1', 'd2']);
  assert.equal(result.NextToken, 'n/2');
});

test('GuardDuty TagResource: the ARN label survives its slashes and the 204 answer is accepted', async () => {
  const seen = answerWith('guardduty', () => ({}));
  const client = new GuardDutyClient(sdkConfig(server.endpoint));
  const arn = 'arn:aws:guardduty:us-east-1:123456789012:detector/d123';
  const result = await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'prod' } }));
  client.destroy();
  assert.equal(result.$metadata.httpStatusCode, 204);
  assert.deepStrictEqual(seen[0].input, { ResourceArn: arn, Tags: { env: 'prod' } });
});

test('GuardDuty BadRequestException surfaces as the SDK BadRequestException class, status 400, with message and Type', async () => {
  answerWith('guardduty', () => {
    throw new AwsError('BadRequestException', 'The request is rejected because an invalid or out-of-range value is specified.', { fields: { Type: 'InvalidInputException' } });
  });
  const client = new GuardDutyClient(sdkConfig(server.endpoint));
  const error = await rejection(client.send(new ListFindingsCommand({ DetectorId: 'd123', FindingCriteria: { Criterion: { severity: { GreaterThanOrEqual: 4 } } } })));
  client.destroy();
  assert.ok(error instanceof BadRequestException, `got ${error.name}`);
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'The request is rejected because an invalid or out-of-range value is specified.');
  assert.equal((error as BadRequestException).Type, 'InvalidInputException');
});

test('GuardDuty InternalServerErrorException (500) surfaces typed as a server fault', async () => {
  answerWith('guardduty', () => {
    throw new AwsError('InternalServerErrorException', 'Internal server error');
  });
  const client = new GuardDutyClient(sdkConfig(server.endpoint));
  const error = await rejection(client.send(new GetDetectorCommand({ DetectorId: 'd123' })));
  client.destroy();
  assert.ok(error instanceof InternalServerErrorException, `got ${error.name}`);
  assert.equal(error.$metadata.httpStatusCode, 500);
  assert.equal((error as InternalServerErrorException).$fault, 'server');
});
