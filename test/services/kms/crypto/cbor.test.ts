// The attestation documents' CBOR decoder: integer map keys and tags are read;
// truncated input, trailing bytes, indefinite lengths and floats are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCbor } from '../../../../src/services/kms/crypto/cbor.ts';
import { cbor, type Cbor } from '../attestation-fixture.ts';

const refused = (error: unknown) => (error as { kmsCode?: string }).kmsCode === 'ValidationException';

describe('attestation CBOR', () => {
  it('reads integer map keys, byte and text strings, negative and 64-bit integers, and tags', () => {
    const encoded = cbor(new Map<number | string, Cbor>([[1, -35], ['pcrs', new Map([[0, Buffer.from([7])]])], ['t', 2 ** 40]]));
    const decoded = decodeCbor(encoded) as Map<unknown, unknown>;
    assert.equal(decoded.get(1), -35);
    assert.deepEqual((decoded.get('pcrs') as Map<unknown, unknown>).get(0), Buffer.from([7]));
    assert.equal(decoded.get('t'), 2 ** 40);
    assert.deepEqual(decodeCbor(Buffer.concat([Buffer.from([0xd2]), cbor([])])), { tag: 18, value: [] });
  });

  it('refuses truncated input, trailing bytes, indefinite lengths and floats', () => {
    const text = cbor('attestation');
    assert.throws(() => decodeCbor(text.subarray(0, 5)), refused);
    assert.throws(() => decodeCbor(Buffer.concat([text, Buffer.from([0])])), refused);
    assert.throws(() => decodeCbor(Buffer.from([0x9f, 0x01, 0xff])), refused);
    assert.throws(() => decodeCbor(Buffer.from([0xfb, 0, 0, 0, 0, 0, 0, 0, 0])), refused);
  });
});
