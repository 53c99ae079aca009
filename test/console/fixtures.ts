// What the console tests share: a server with CloudTrail recording on, IAM set up
// through the public API (as the default account's root, with credentials Bulwark did
// not issue), sign-in calls, and MFA codes computed here from the device's seed.
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { base32Decode, hotp } from '../../src/services/iam/credentials/totp.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_REGION } from '../helpers/server.ts';

export function startConsoleServer(): Promise<RunningServer> {
  return startTestServer({ cloudTrailRecording: true });
}

export function iamAsRoot(server: RunningServer): IAMClient {
  return new IAMClient({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface SignInAnswer {
  status: number;
  body: {
    status: string;
    error?: string;
    message?: string;
    credentials?: Credentials & { expiration: string };
    identity?: { type: string; arn: string; accountId: string; userName?: string };
    mfaUsed?: boolean;
  };
}

export async function postJson(server: RunningServer, path: string, body: unknown): Promise<SignInAnswer> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as SignInAnswer['body'] };
}

export function signIn(server: RunningServer, body: Record<string, unknown>): Promise<SignInAnswer> {
  return postJson(server, '/console/api/signin', body);
}

/** A user with a console password. */
export async function consoleUser(server: RunningServer, userName: string, password: string, resetRequired = false): Promise<void> {
  const iam = iamAsRoot(server);
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: password, PasswordResetRequired: resetRequired }));
}

const STEP_MS = 30_000;

/**
 * Gives the user a virtual MFA device, enabled with the codes of the two previous time
 * steps (so the current step's code is still unused), and returns a code generator.
 */
export async function enableMfa(server: RunningServer, userName: string): Promise<() => string> {
  const iam = iamAsRoot(server);
  const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${userName}-mfa` }));
  const seed = base32Decode(new TextDecoder().decode(VirtualMFADevice!.Base32StringSeed));
  const step = () => Math.floor(server.clock.nowMs() / STEP_MS);
  const now = step();
  await iam.send(
    new EnableMFADeviceCommand({
      UserName: userName,
      SerialNumber: VirtualMFADevice!.SerialNumber,
      AuthenticationCode1: hotp(seed, now - 2),
      AuthenticationCode2: hotp(seed, now - 1),
    }),
  );
  return () => hotp(seed, step());
}

/** The account's records of one event name, newest first (CloudTrail's own JSON), looked up as root. */
export async function recordsOf(server: RunningServer, eventName: string): Promise<Record<string, any>[]> {
  const cloudtrail = new CloudTrailClient({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
  const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }));
  return (Events ?? []).map((event) => JSON.parse(event.CloudTrailEvent!));
}

export function consoleLogins(server: RunningServer): Promise<Record<string, any>[]> {
  return recordsOf(server, 'ConsoleLogin');
}
