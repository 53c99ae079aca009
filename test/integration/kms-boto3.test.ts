// KMS with boto3 and the AWS CLI against a real Bulwark server: the same keys and
// ciphertexts as the JavaScript SDK sees, over botocore's own serialization.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server/server.ts';
import { awsEnv, startTestServer } from '../helpers/server.ts';

const run = promisify(execFile);

const BOTO3_SCRIPT = `
import base64, json, sys, boto3
from botocore.exceptions import ClientError
kms = boto3.client('kms', endpoint_url=sys.argv[1])
out = {}
key = kms.create_key(Description='boto3 key')['KeyMetadata']
out['state'] = key['KeyState']
kms.create_alias(AliasName='alias/boto3', TargetKeyId=key['KeyId'])
blob = kms.encrypt(KeyId='alias/boto3', Plaintext=b'from python', EncryptionContext={'lang': 'py'})['CiphertextBlob']
out['plaintext'] = kms.decrypt(CiphertextBlob=blob, EncryptionContext={'lang': 'py'})['Plaintext'].decode()
try:
    kms.decrypt(CiphertextBlob=blob, EncryptionContext={'lang': 'js'})
    out['wrong_context'] = 'decrypted'
except ClientError as e:
    out['wrong_context'] = e.response['Error']['Code']
signer = kms.create_key(KeySpec='ECC_NIST_P384', KeyUsage='SIGN_VERIFY')['KeyMetadata']
sig = kms.sign(KeyId=signer['KeyId'], Message=b'm', SigningAlgorithm='ECDSA_SHA_384')['Signature']
out['valid'] = kms.verify(KeyId=signer['KeyId'], Message=b'm', Signature=sig, SigningAlgorithm='ECDSA_SHA_384')['SignatureValid']
try:
    kms.verify(KeyId=signer['KeyId'], Message=b'x', Signature=sig, SigningAlgorithm='ECDSA_SHA_384')
except ClientError as e:
    out['bad_signature'] = e.response['Error']['Code']
kms.disable_key(KeyId=key['KeyId'])
try:
    kms.encrypt(KeyId=key['KeyId'], Plaintext=b'x')
except ClientError as e:
    out['disabled'] = e.response['Error']['Code']
out['aliases'] = [a['AliasName'] for a in kms.list_aliases(KeyId=key['KeyId'])['Aliases']]
out['key_count'] = len(kms.get_paginator('list_keys').paginate(PaginationConfig={'PageSize': 1}).build_full_result()['Keys'])
print(json.dumps(out))
`;

describe('KMS with boto3 and the AWS CLI', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('boto3: encrypt/decrypt with a context, wrong context fails, sign/verify, disabled key, aliases, paginated ListKeys', async () => {
    const { stdout } = await run('python3', ['-c', BOTO3_SCRIPT, server.url], { env: awsEnv() });
    assert.deepEqual(JSON.parse(stdout), {
      state: 'Enabled',
      plaintext: 'from python',
      wrong_context: 'InvalidCiphertextException',
      valid: true,
      bad_signature: 'KMSInvalidSignatureException',
      disabled: 'DisabledException',
      aliases: ['alias/boto3'],
      key_count: 2,
    });
  });

  it('the AWS CLI: create-key, encrypt, decrypt, get-key-last-usage, and an AWS managed key', async () => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', server.url, '--output', 'json', 'kms', ...args], { env: awsEnv() });
    const key = JSON.parse((await aws('create-key', '--description', 'cli key')).stdout).KeyMetadata;
    assert.equal(key.Description, 'cli key');
    const encrypted = JSON.parse((await aws('encrypt', '--key-id', key.KeyId, '--plaintext', 'from the cli', '--encryption-context', 'via=cli')).stdout);
    assert.equal(encrypted.KeyId, key.Arn);
    // The CLI (v1) takes a blob argument's text as the bytes themselves: binary goes through fileb://.
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-kms-cli-'));
    try {
      const blobFile = join(dir, 'ciphertext.bin');
      writeFileSync(blobFile, Buffer.from(encrypted.CiphertextBlob, 'base64'));
      const decrypted = JSON.parse((await aws('decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'via=cli')).stdout);
      assert.equal(Buffer.from(decrypted.Plaintext, 'base64').toString(), 'from the cli');
      const usage = JSON.parse((await aws('get-key-last-usage', '--key-id', key.KeyId)).stdout);
      assert.equal(usage.KeyLastUsage.Operation, 'Decrypt');
      const managed = JSON.parse((await aws('describe-key', '--key-id', 'alias/aws/s3')).stdout).KeyMetadata;
      assert.equal(managed.KeyManager, 'AWS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
