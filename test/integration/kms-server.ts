// One Bulwark server for a KMS test file, with a KMS client signed as the account root:
// call in a describe block; the hooks start the server before its tests and stop it after.
import { after, before } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_REGION } from '../helpers/server.ts';

export interface KmsServer {
  server: RunningServer;
  kms: KMSClient;
}

export function kmsServer(): KmsServer {
  const running = {} as KmsServer;
  before(async () => {
    running.server = await startTestServer();
    running.kms = new KMSClient({ endpoint: running.server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
  });
  after(() => running.server.close());
  return running;
}
