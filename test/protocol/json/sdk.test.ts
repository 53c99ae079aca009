// The AWS SDK for JS v3 clients read what the JSON codec writes: outputs deserialize to
// the expected values and modelled errors surface as the SDK's typed exception classes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KMSClient, DescribeKeyCommand, EncryptCommand, NotFoundException, DisabledException } from '@aws-sdk/client-kms';
import { OrganizationsClient, DescribeOrganizationCommand, AWSOrganizationsNotInUseException } from '@aws-sdk/client-organizations';
import { CloudWatchClient, GetMetricDataCommand, InvalidParameterValueException, ResourceNotFound } from '@aws-sdk/client-cloudwatch';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { jsonCodec } from '../../../src/protocol/json.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import type { ModelName } from '../../../src/protocol/model-names.ts';
import { sdkConfig, startServer, type TestServer } from './clients.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

/** Answers every call with `answer` run through the JSON codec, after parsing the request with it. */
function answerWith(service: ModelName, answer: (input: Record<string, unknown>) => unknown): { inputs: Record<string, unknown>[] } {
  const model = loadModel(service);
  const seen = { inputs: [] as Record<string, unknown>[] };
  server.respond = (request) => {
    const context = { requestId: 'req-42' };
    try {
      const operation = jsonCodec.operationOf(model, request);
      const input = jsonCodec.parse(model, operation, request);
      seen.inputs.push(input);
      return jsonCodec.serialize(model, operation, answer(input), context);
    } catch (error) {
      if (error instanceof AwsError) return jsonCodec.serializeError(model, error, context);
      throw error;
    }
  };
  return seen;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number; requestId?: string } };
  }
  throw new Error('expected the call to fail');
}

test('KMS Encrypt through the JS SDK: blob input arrives as bytes, the ciphertext blob comes back as bytes', async () => {
  const ciphertext = Buffer.from([1, 2, 3, 0, 255, 254]);
  const seen = answerWith('kms', () => ({ CiphertextBlob: ciphertext, KeyId: 'k1', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }));
  const kms = new KMSClient(sdkConfig(server.endpoint));
  const result = await kms.send(new EncryptCommand({ KeyId: 'k1', Plaintext: Buffer.from('hi'), EncryptionContext: { a: 'b' } }));
  kms.destroy();
  assert.deepStrictEqual(Buffer.from(result.CiphertextBlob!), ciphertext);
  assert.equal(result.KeyId, 'k1');
  assert.equal(result.$metadata.requestId, 'req-42');
  assert.deepStrictEqual(seen.inputs[0], { KeyId: 'k1', Plaintext: Buffer.from('hi'), EncryptionContext: { a: 'b' } });
});

test('KMS DescribeKey through the JS SDK: nested metadata with a millisecond timestamp', async () => {
  const created = new Date('2024-05-06T07:08:09.123Z');
  answerWith('kms', (input) => ({ KeyMetadata: { KeyId: input.KeyId, CreationDate: created, Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } }));
  const kms = new KMSClient(sdkConfig(server.endpoint));
  const result = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }));
  kms.destroy();
  assert.deepStrictEqual(result.KeyMetadata, { KeyId: 'alias/app', CreationDate: created, Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] });
});

test('KMS NotFoundException surfaces as the SDK NotFoundException class with status 400 and the message', async () => {
  answerWith('kms', () => {
    throw new AwsError('NotFoundException', "Key 'arn:aws:kms:us-east-1:123456789012:key/k9' does not exist");
  });
  const kms = new KMSClient(sdkConfig(server.endpoint));
  const error = await rejection(kms.send(new DescribeKeyCommand({ KeyId: 'k9' })));
  kms.destroy();
  assert.ok(error instanceof NotFoundException, `got ${error.name}`);
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, "Key 'arn:aws:kms:us-east-1:123456789012:key/k9' does not exist");
});

test('KMS DisabledException keeps a status the service sets (409)', async () => {
  answerWith('kms', () => {
    throw new AwsError('DisabledException', 'key is disabled', { status: 409 });
  });
  const kms = new KMSClient(sdkConfig(server.endpoint));
  const error = await rejection(kms.send(new EncryptCommand({ KeyId: 'k1', Plaintext: Buffer.from('x') })));
  kms.destroy();
  assert.ok(error instanceof DisabledException, `got ${error.name}`);
  assert.equal(error.$metadata.httpStatusCode, 409);
});

test('Organizations AWSOrganizationsNotInUseException (a "Message" member) surfaces typed with its message', async () => {
  answerWith('organizations', () => {
    throw new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  });
  const client = new OrganizationsClient(sdkConfig(server.endpoint));
  const error = await rejection(client.send(new DescribeOrganizationCommand({})));
  client.destroy();
  assert.ok(error instanceof AWSOrganizationsNotInUseException, `got ${error.name}`);
  assert.equal(error.message, 'Your account is not a member of an organization.');
});

test('Organizations DescribeOrganization output deserializes in the JS SDK', async () => {
  const organization = { Id: 'o-abc123', Arn: 'arn:aws:organizations::123456789012:organization/o-abc123', FeatureSet: 'ALL', AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] };
  answerWith('organizations', () => ({ Organization: organization }));
  const client = new OrganizationsClient(sdkConfig(server.endpoint));
  const result = await client.send(new DescribeOrganizationCommand({}));
  client.destroy();
  assert.deepStrictEqual(result.Organization, organization);
});

test('CloudTrail LookupEvents: timestamps in and out as epoch seconds', async () => {
  const eventTime = new Date('2025-01-02T03:04:05.678Z');
  const seen = answerWith('cloudtrail', () => ({ Events: [{ EventId: 'e1', EventName: 'ConsoleLogin', EventTime: eventTime }] }));
  const client = new CloudTrailClient(sdkConfig(server.endpoint));
  const start = new Date('2025-01-01T00:00:00.250Z');
  const result = await client.send(new LookupEventsCommand({ StartTime: start, MaxResults: 5 }));
  client.destroy();
  assert.deepStrictEqual(result.Events, [{ EventId: 'e1', EventName: 'ConsoleLogin', EventTime: eventTime }]);
  assert.deepStrictEqual(seen.inputs[0], { StartTime: start, MaxResults: 5 });
});

test('CloudWatch GetMetricData over JSON 1.0 (x-amzn-query-mode) deserializes timestamps and values', async () => {
  const timestamps = [new Date('2025-01-02T00:01:00Z'), new Date('2025-01-02T00:00:00Z')];
  answerWith('cloudwatch', () => ({ MetricDataResults: [{ Id: 'm1', Label: 'Latency', Timestamps: timestamps, Values: [1.5, 2], StatusCode: 'Complete' }] }));
  const client = new CloudWatchClient(sdkConfig(server.endpoint));
  const result = await client.send(new GetMetricDataCommand({
    MetricDataQueries: [{ Id: 'm1', Expression: 'SEARCH(1)' }], StartTime: new Date('2025-01-02T00:00:00Z'), EndTime: new Date('2025-01-02T01:00:00Z'),
  }));
  client.destroy();
  assert.deepStrictEqual(result.MetricDataResults, [{ Id: 'm1', Label: 'Latency', Timestamps: timestamps, Values: [1.5, 2], StatusCode: 'Complete' }]);
});

test('CloudWatch errors over JSON surface as the SDK class with the query-era code (InvalidParameterValue)', async () => {
  answerWith('cloudwatch', () => {
    throw new AwsError('InvalidParameterValueException', 'The parameter Period must be a multiple of 60.');
  });
  const client = new CloudWatchClient(sdkConfig(server.endpoint));
  const error = await rejection(client.send(new GetMetricDataCommand({ MetricDataQueries: [], StartTime: new Date(0), EndTime: new Date(1000) })));
  client.destroy();
  assert.ok(error instanceof InvalidParameterValueException, `got ${error.name}`);
  assert.equal((error as unknown as { Code: string }).Code, 'InvalidParameterValue');
  assert.equal(error.message, 'The parameter Period must be a multiple of 60.');
  assert.equal(error.$metadata.httpStatusCode, 400);
});

test('CloudWatch ResourceNotFound (a 404 modelled error) surfaces as ResourceNotFound', async () => {
  answerWith('cloudwatch', () => {
    throw new AwsError('ResourceNotFound', 'Dashboard ops does not exist');
  });
  const client = new CloudWatchClient(sdkConfig(server.endpoint));
  const error = await rejection(client.send(new GetMetricDataCommand({ MetricDataQueries: [], StartTime: new Date(0), EndTime: new Date(1000) })));
  client.destroy();
  assert.ok(error instanceof ResourceNotFound, `got ${error.name}`);
  assert.equal(error.$metadata.httpStatusCode, 404);
});
