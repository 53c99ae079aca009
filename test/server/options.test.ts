// `bulwark start` options: flags, BULWARK_* variables, defaults, and clear errors.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { readSettings, UsageError } from '../../src/cli/options.ts';

describe('bulwark start options', () => {
  it('defaults to 127.0.0.1:4566, SQLite under ./.bulwark, permissive auth, CloudTrail recording on', () => {
    const s = readSettings([], {});
    assert.equal(s.port, 4566);
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.dataDir, resolve('.bulwark'));
    assert.equal(s.store, `sqlite:${resolve('.bulwark/bulwark.db')}`);
    assert.equal(s.region, 'us-east-1');
    assert.equal(s.accountId, '123456789012');
    assert.equal(s.auth, 'permissive');
    assert.equal(s.iamMode, 'enforce');
    assert.equal(s.cloudTrailRecording, true);
    assert.equal(s.cloudTrailDeliveryMs, 5000);
    assert.equal(s.kmsAttestationRoots, undefined);
    assert.equal(s.logLevel, 'info');
  });

  it('turns CloudTrail recording off with --cloudtrail-recording off or BULWARK_CLOUDTRAIL_RECORDING=off', () => {
    assert.equal(readSettings(['--cloudtrail-recording', 'off'], {}).cloudTrailRecording, false);
    assert.equal(readSettings([], { BULWARK_CLOUDTRAIL_RECORDING: 'off' }).cloudTrailRecording, false);
    assert.equal(readSettings(['--cloudtrail-recording', 'on'], { BULWARK_CLOUDTRAIL_RECORDING: 'off' }).cloudTrailRecording, true);
  });

  it('reads every setting from its BULWARK_* variable', () => {
    const s = readSettings([], {
      BULWARK_PORT: '5000',
      BULWARK_HOST: '0.0.0.0',
      BULWARK_DATA_DIR: '/tmp/bw',
      BULWARK_STORE: 'memory:',
      BULWARK_REGION: 'eu-west-2',
      BULWARK_ACCOUNT_ID: '111122223333',
      BULWARK_AUTH: 'strict',
      BULWARK_IAM_MODE: 'soft',
      BULWARK_CLOUDTRAIL_RECORDING: 'off',
      BULWARK_CLOUDTRAIL_DELIVERY_MS: '250',
      BULWARK_KMS_ATTESTATION_ROOTS: '/etc/bulwark/roots.pem',
      BULWARK_LOG_LEVEL: 'warn',
    });
    assert.deepEqual(s, {
      port: 5000,
      host: '0.0.0.0',
      dataDir: '/tmp/bw',
      store: 'memory:',
      region: 'eu-west-2',
      accountId: '111122223333',
      auth: 'strict',
      iamMode: 'soft',
      cloudTrailRecording: false,
      cloudTrailDeliveryMs: 250,
      kmsAttestationRoots: '/etc/bulwark/roots.pem',
      logLevel: 'warn',
    });
  });

  it('lets a flag win over its variable, and derives the store from --data-dir', () => {
    const s = readSettings(['--port', '6000', '--data-dir', '/tmp/x'], { BULWARK_PORT: '5000' });
    assert.equal(s.port, 6000);
    assert.equal(s.store, 'sqlite:/tmp/x/bulwark.db');
  });

  for (const [args, pattern] of [
    [['--port', 'abc'], /--port must be a number/],
    [['--port', '70000'], /--port must be a number/],
    [['--auth', 'lax'], /--auth must be one of permissive, strict/],
    [['--iam-mode', 'maybe'], /--iam-mode must be one of enforce, soft, off/],
    [['--account-id', '123'], /--account-id must be 12 digits/],
    [['--region', 'moon'], /--region must look like us-east-1/],
    [['--store', 'mysql://x'], /--store must be sqlite:PATH or memory:/],
    [['--log-level', 'loud'], /--log-level must be one of/],
    [['--cloudtrail-delivery-ms', '0'], /--cloudtrail-delivery-ms must be a positive whole number/],
    [['--cloudtrail-delivery-ms', '1.5'], /--cloudtrail-delivery-ms must be a positive whole number/],
    [['--bogus', '1'], /Unknown option '--bogus'/],
  ] as const) {
    it(`rejects ${args.join(' ')} with a message naming the problem`, () => {
      assert.throws(() => readSettings([...args], {}), (e: Error) => e instanceof UsageError && pattern.test(e.message));
    });
  }
});
