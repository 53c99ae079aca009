// Codec work must leave room for everything else a request does: the brief asks the whole
// server for 5,000 small requests a second, so the codecs alone must be far faster. The
// bound here is loose (10,000 round trips a second on a shared, busy machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCodec } from '../../../src/protocol/json.ts';
import { restJsonCodec } from '../../../src/protocol/rest-json.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import type { HttpRequest } from '../../../src/protocol/http.ts';

function roundTripsPerSecond(roundTrip: () => void): number {
  for (let i = 0; i < 1000; i++) roundTrip();
  const count = 20_000;
  const start = performance.now();
  for (let i = 0; i < count; i++) roundTrip();
  return (count / (performance.now() - start)) * 1000;
}

test('a KMS DescribeKey parse + serialize round trip runs well over 10,000 times a second', () => {
  const kms = loadModel('kms');
  const request: HttpRequest = { method: 'POST', path: '/', rawQuery: '', headers: { 'x-amz-target': 'TrentService.DescribeKey' }, body: Buffer.from('{"KeyId":"alias/app"}') };
  const output = { KeyMetadata: { KeyId: 'k', CreationDate: new Date(), Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } };
  const rate = roundTripsPerSecond(() => {
    const operation = jsonCodec.operationOf(kms, request);
    jsonCodec.parse(kms, operation, request);
    jsonCodec.serialize(kms, operation, output, { requestId: 'r' });
  });
  assert.ok(rate > 10_000, `${Math.round(rate)} round trips/s`);
});

test('a GuardDuty ListFindings route + parse + serialize round trip runs well over 10,000 times a second', () => {
  const guardduty = loadModel('guardduty');
  const request: HttpRequest = { method: 'POST', path: '/detector/abc/findings', rawQuery: '', headers: {}, body: Buffer.from('{"findingCriteria":{"criterion":{"severity":{"gte":4}}}}') };
  const rate = roundTripsPerSecond(() => {
    const operation = restJsonCodec.operationOf(guardduty, request);
    restJsonCodec.parse(guardduty, operation, request);
    restJsonCodec.serialize(guardduty, operation, { FindingIds: ['a', 'b'] }, { requestId: 'r' });
  });
  assert.ok(rate > 10_000, `${Math.round(rate)} round trips/s`);
});
