// Our CBOR subset against RFC 8949 Appendix A's examples, and the rpc-v2-cbor framing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCbor, encodeCbor, rpcV2CborCodec } from '../../../src/protocol/cbor.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

// [value, its encoding] pairs from RFC 8949 Appendix A that we both write and read.
const VECTORS: [unknown, string][] = [
  [0, '00'], [23, '17'], [24, '1818'], [100, '1864'], [1000, '1903e8'], [1000000, '1a000f4240'], [1000000000000, '1b000000e8d4a51000'],
  [-1, '20'], [-100, '3863'], [-1000, '3903e7'], [1.1, 'fb3ff199999999999a'], [-4.1, 'fbc010666666666666'],
  [false, 'f4'], [true, 'f5'], [null, 'f6'], ['', '60'], ['a', '6161'], ['IETF', '6449455446'], ['\u00fc', '62c3bc'], ['\u6c34', '63e6b0b4'],
  [Buffer.from([1, 2, 3, 4]), '4401020304'], [[], '80'], [[1, [2, 3], [4, 5]], '8301820203820405'],
  [{ a: 1, b: [2, 3] }, 'a26161016162820203'], [new Date(1363896240000), 'c11a514b67b0'], [new Date(1363896240500), 'c1fb41d452d9ec200000'],
];

test('encodes and decodes the RFC 8949 examples', () => {
  for (const [value, encoding] of VECTORS) {
    assert.equal(encodeCbor(value).toString('hex'), encoding, `encode ${String(value)}`);
    assert.deepStrictEqual(plain(decodeCbor(hex(encoding))), plain(value), `decode ${encoding}`);
  }
});

test('reads the encodings other encoders choose: half and single floats, indefinite lengths, undefined', () => {
  assert.equal(decodeCbor(hex('f93c00')), 1);
  assert.equal(decodeCbor(hex('f93e00')), 1.5);
  assert.equal(decodeCbor(hex('f97bff')), 65504);
  assert.equal(decodeCbor(hex('f90001')), 5.960464477539063e-8);
  assert.equal(decodeCbor(hex('f9fc00')), -Infinity);
  assert.ok(Number.isNaN(decodeCbor(hex('f97e00'))));
  assert.equal(decodeCbor(hex('fa47c35000')), 100000);
  assert.equal(decodeCbor(hex('f7')), null);
  assert.deepStrictEqual(decodeCbor(hex('5f42010243030405ff')), Buffer.from([1, 2, 3, 4, 5]));
  assert.equal(decodeCbor(hex('7f657374726561646d696e67ff')), 'streaming');
  assert.deepStrictEqual(decodeCbor(hex('9f018202039f0405ffff')), [1, [2, 3], [4, 5]]);
  assert.deepStrictEqual(plain(decodeCbor(hex('bf61610161629f0203ffff'))), { a: 1, b: [2, 3] });
});

test('malformed CBOR is SerializationException, 400', () => {
  for (const bad of ['', '18', '1c', '62c3', '62c328', '9f01', 'bf6161', 'ff', 'c201', '5f6161ff', 'a10102', '0000', 'c16161']) {
    assert.throws(() => decodeCbor(hex(bad)), (error: AwsError) => error.code === 'SerializationException' && error.status === 400, bad);
  }
});

test('rpc-v2-cbor routes /service/<Service>/operation/<Operation> and answers in CBOR with smithy-protocol', () => {
  const model = loadModel('cloudwatch');
  const request = {
    method: 'POST', path: '/service/GraniteServiceVersion20100801/operation/DescribeAlarms', rawQuery: '',
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' }, body: encodeCbor({ AlarmNames: ['a'], MaxRecords: 5 }),
  };
  const operation = rpcV2CborCodec.operationOf(model, request);
  assert.equal(operation.name, 'DescribeAlarms');
  assert.deepStrictEqual(rpcV2CborCodec.parse(model, operation, request), { AlarmNames: ['a'], MaxRecords: 5 });
  for (const path of ['/service/Other/operation/DescribeAlarms', '/service/GraniteServiceVersion20100801/operation/Nope', '/']) {
    assert.throws(() => rpcV2CborCodec.operationOf(model, { ...request, path }), (error: AwsError) => error.code === 'UnknownOperationException' && error.status === 404);
  }
  const response = rpcV2CborCodec.serialize(model, operation, { MetricAlarms: [{ AlarmName: 'a', StateUpdatedTimestamp: new Date(1500) }] }, { requestId: 'r' });
  assert.equal(response.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(response.headers['content-type'], 'application/cbor');
  assert.deepStrictEqual(plain(decodeCbor(response.body as Buffer)), { MetricAlarms: [{ AlarmName: 'a', StateUpdatedTimestamp: new Date(1500) }] });
});

/** Decoded maps have no prototype; compare them as plain objects. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
