// The AWS Encryption SDK for JavaScript against a real Bulwark server: its KMS keyring
// wraps a data key with GenerateDataKey and unwraps it with Decrypt, binding the
// message's encryption context, so a message round-trips only while the key is usable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildClient, CommitmentPolicy, getClient, KMS, KmsKeyringNode } from '@aws-crypto/client-node';
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_REGION } from '../helpers/server.ts';

describe('KMS with the AWS Encryption SDK for JavaScript', () => {
  let server: RunningServer;
  let kms: KMSClient;
  const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

  before(async () => {
    server = await startTestServer();
    kms = new KMSClient({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
  });
  after(() => {
    kms.destroy();
    return server.close();
  });

  /** A keyring on `keyArn` whose KMS calls, in any region, go to the test server. */
  function keyringFor(keyArn: string) {
    const clientProvider = getClient(KMS, { endpoint: server.url, credentials: DUMMY_CREDENTIALS });
    return new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider });
  }

  async function symmetricKeyArn() {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'encryption-sdk' }));
    return KeyMetadata!.Arn!;
  }

  it('encrypts and decrypts a message under a KMS key, returning its encryption context', async () => {
    const keyArn = await symmetricKeyArn();
    const keyring = keyringFor(keyArn);
    const plaintext = Buffer.from('a message for the Encryption SDK, sealed by a Bulwark KMS key');
    const context = { tenant: 'acme', purpose: 'integration-test' };

    const { result } = await encrypt(keyring, plaintext, { encryptionContext: context });
    assert.ok(!result.includes(plaintext), 'the message must not carry the plaintext');

    const { plaintext: decrypted, messageHeader } = await decrypt(keyring, result);
    assert.deepEqual(Buffer.from(decrypted), plaintext);
    for (const [key, value] of Object.entries(context)) assert.equal(messageHeader.encryptionContext[key], value);
    assert.equal(messageHeader.encryptedDataKeys.length, 1);
    assert.equal(messageHeader.encryptedDataKeys[0].providerId, 'aws-kms');
    assert.equal(messageHeader.encryptedDataKeys[0].providerInfo, keyArn);
  });

  it('cannot decrypt a message once its KMS key is disabled: Decrypt answers DisabledException', async () => {
    const keyArn = await symmetricKeyArn();
    const keyring = keyringFor(keyArn);
    const { result } = await encrypt(keyring, Buffer.from('sealed before the key was disabled'), {
      encryptionContext: { stage: 'before-disable' },
    });
    await kms.send(new DisableKeyCommand({ KeyId: keyArn }));

    await assert.rejects(decrypt(keyring, result), (error: any) => {
      // The keyring gathers each KMS failure into its own error's message.
      assert.match(String(error.message), /DisabledException|is disabled/, error.message);
      return true;
    });
  });
});
