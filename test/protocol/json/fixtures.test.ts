// Every captured request from boto3, the AWS CLI and the AWS SDK for JS v3 parses into
// exactly the input the client was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCodec } from '../../../src/protocol/json.ts';
import { restJsonCodec } from '../../../src/protocol/rest-json.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import type { ModelName } from '../../../src/protocol/model-names.ts';
import { fromTagged, loadFixtures, toHttpRequest } from './fixtures.ts';

for (const folder of ['json', 'rest-json'] as const) {
  const codec = folder === 'json' ? jsonCodec : restJsonCodec;
  for (const fixture of loadFixtures(folder)) {
    test(`${fixture.service} ${fixture.operation} from ${fixture.client} (${fixture.name}) parses into the input the client was given`, () => {
      const model = loadModel(fixture.service as ModelName);
      const request = toHttpRequest(fixture.request);
      const operation = codec.operationOf(model, request);
      assert.equal(operation.name, fixture.operation);
      assert.deepStrictEqual(codec.parse(model, operation, request), fromTagged(fixture.expected));
    });
  }
}

test('the captures cover every client for the JSON and rest-json protocols', () => {
  const clients = new Set([...loadFixtures('json'), ...loadFixtures('rest-json')].map((fixture) => fixture.client));
  assert.deepStrictEqual([...clients].sort(), ['boto3', 'cli', 'js']);
});
