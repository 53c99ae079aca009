// What boto3, the AWS CLI and the AWS SDK for JS v3 really send (captured by
// capture-fixtures.ts) parses into exactly the input each client was given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadModel } from '../../../src/protocol/model.ts';
import { queryCodec } from '../../../src/protocol/query.ts';
import { isoSeconds } from '../../../src/protocol/xml.ts';
import { loadFixtures } from './support.ts';

/** The input as the clients were given it: timestamps as ISO 8601 strings. */
function asClientParams(value: unknown): unknown {
  if (value instanceof Date) return isoSeconds(value);
  if (Array.isArray(value)) return value.map(asClientParams);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, asClientParams(v)]));
  }
  return value;
}

const fixtures = loadFixtures('query');

describe('query requests captured from the real clients', () => {
  it('covers boto3, the AWS CLI and the JS SDK for IAM, STS and CloudWatch', () => {
    assert.deepEqual(new Set(fixtures.map((f) => f.client)), new Set(['boto3', 'cli', 'js']));
    assert.deepEqual(new Set(fixtures.map((f) => f.service)), new Set(['iam', 'sts', 'cloudwatch']));
  });

  for (const fixture of fixtures) {
    it(`${fixture.client} ${fixture.service} ${fixture.operation} (${fixture.file}) parses to the client's input`, () => {
      const model = loadModel(fixture.service);
      const operation = queryCodec.operationOf(model, fixture.request);
      assert.equal(operation.name, fixture.operation);
      const input = queryCodec.parse(model, operation, fixture.request);
      assert.deepEqual(asClientParams(input), fixture.expected);
    });
  }

  it('CloudWatch PutMetricData over query gives typed values: Date timestamps, number lists', () => {
    const fixture = fixtures.find((f) => f.file === 'cloudwatch-put-metric-data.boto3.json');
    assert.ok(fixture);
    const model = loadModel('cloudwatch');
    const input = queryCodec.parse(model, model.operations.PutMetricData, fixture.request) as {
      MetricData: { Timestamp?: unknown; Values?: unknown[]; StorageResolution?: unknown }[];
    };
    const [latency] = input.MetricData;
    assert.ok(latency.Timestamp instanceof Date);
    assert.equal(latency.Timestamp.toISOString(), '2025-01-02T03:04:05.000Z');
    assert.deepEqual(latency.Values, [12.5, 40, 0.001]);
    assert.equal(latency.StorageResolution, 1);
  });

  it('an empty list arrives as `Name=` and parses to []', () => {
    const fixture = fixtures.find((f) => f.file === 'iam-create-oidc-provider-empty-list.boto3.json');
    assert.ok(fixture);
    assert.match(fixture.request.body.toString(), /(^|&)ClientIDList=(&|$)/);
    const model = loadModel('iam');
    const input = queryCodec.parse(model, model.operations.CreateOpenIDConnectProvider, fixture.request);
    assert.deepEqual(input.ClientIDList, []);
  });
});
