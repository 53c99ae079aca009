// Starts a real Bulwark server for a test file: in-process, on a free loopback port,
// with an in-memory store. Call `stop()` in an `after` hook.
import { randomUUID } from 'node:crypto';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { awsEnv, CREDENTIALS } from './aws-env.ts';
import type { Settings } from '../../src/server/settings.ts';

export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';

/**
 * The store test servers use: memory, or with BULWARK_TEST_STORE=postgres a fresh schema
 * of the database BULWARK_TEST_POSTGRES_URL names (the suite's PostgreSQL leg).
 */
function testStore(): string {
  if (process.env.BULWARK_TEST_STORE !== 'postgres') return 'memory:';
  const url = new URL(process.env.BULWARK_TEST_POSTGRES_URL ?? '');
  url.searchParams.set('schema', `test_${randomUUID().replaceAll('-', '')}`);
  return url.toString();
}

export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent-bulwark-test-dir',
    store: testStore(),
    region: TEST_REGION,
    accountId: TEST_ACCOUNT,
    auth: 'permissive',
    iamMode: 'enforce',
    cloudTrailRecording: true,
    cloudTrailDeliveryMs: 5000,
    logLevel: 'silent',
    ...overrides,
  };
}

export function startTestServer(overrides: Partial<Settings> = {}): Promise<RunningServer> {
  return startServer(testSettings(overrides));
}

/** Credentials Bulwark did not issue: permissive mode takes them as the default account's root. */
export const DUMMY_CREDENTIALS = CREDENTIALS;
export { awsEnv };
