// The Recipient parameter through the AWS SDK: an enclave's attestation document (made
// by the test, under a root Bulwark is told to trust) gets the data key only as
// CiphertextForRecipient, and a key policy can require the enclave's image measurement.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateKeyCommand, DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';
import { attestationDocument, makeChain, makeEnclave, openForEnclave } from '../services/kms/attestation-fixture.ts';

describe('KMS Recipient (Nitro Enclaves) with the AWS SDK', () => {
  let server: RunningServer;
  let kms: KMSClient;
  let rootsDir: string;
  const chain = makeChain();
  const enclave = makeEnclave('the approved image');

  before(async () => {
    rootsDir = mkdtempSync(join(tmpdir(), 'bulwark-roots-'));
    writeFileSync(join(rootsDir, 'roots.pem'), chain.rootPem);
    server = await startTestServer({ kmsAttestationRoots: join(rootsDir, 'roots.pem') });
    kms = new KMSClient({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
  });
  after(async () => {
    await server.close();
    rmSync(rootsDir, { recursive: true, force: true });
  });

  it('a key policy that requires the image measurement: the approved enclave gets the data key, sealed to it; others are denied', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'enclave only', Effect: 'Deny', Principal: '*', Action: 'kms:GenerateDataKey', Resource: '*',
          Condition: { StringNotEqualsIgnoreCase: { 'kms:RecipientAttestation:ImageSha384': enclave.pcr0.toString('hex').toUpperCase() } },
        },
      ],
    });
    const keyId = (await kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.KeyId!;
    const sealed = await kms.send(new GenerateDataKeyCommand({
      KeyId: keyId, KeySpec: 'AES_256',
      Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: attestationDocument(chain, enclave) },
    }));
    assert.equal(sealed.Plaintext, undefined);
    const dataKey = openForEnclave(enclave, sealed.CiphertextForRecipient!);
    assert.deepEqual(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }))).Plaintext!), dataKey);

    const other = makeEnclave('another image');
    for (const Recipient of [undefined, { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' as const, AttestationDocument: attestationDocument(chain, other) }]) {
      await assert.rejects(
        kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', Recipient })),
        (error: Error) => error.name === 'AccessDeniedException',
      );
    }
  });
});
