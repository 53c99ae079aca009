// Assigning a virtual MFA device to the root user. IAM's EnableMFADevice requires a
// UserName, so the API cannot name the root user; AWS's console does it for root itself.
// So does this endpoint: the caller proves it holds a live root session of the console
// (its access key id and session token), the device is enabled with two consecutive
// codes as EnableMFADevice would, and the call is recorded as IAM's EnableMFADevice.
import { randomUUID } from 'node:crypto';
import { signaturesMatch } from '../auth/sigv4.ts';
import type { EventBus } from '../events/bus.ts';
import { AwsError } from '../protocol/errors.ts';
import { ACCESS_KEYS, type StoredCredential } from '../services/credentials.ts';
import { enableRootMfaDevice } from '../services/iam/credentials/index.ts';
import type { IamCaller } from './console-iam.ts';

export interface RootMfaRequest {
  accessKeyId: string;
  sessionToken: string;
  serialNumber: string;
  authenticationCode1: string;
  authenticationCode2: string;
}

export type RootMfaResult = { ok: true } | { ok: false; status: number; error: string; message: string };

export async function enableRootMfa(deps: IamCaller & { events: EventBus }, request: RootMfaRequest, sourceIp?: string, userAgent?: string): Promise<RootMfaResult> {
  const stored = await deps.store.get<StoredCredential>(ACCESS_KEYS, request.accessKeyId);
  const now = deps.clock.now();
  const live =
    stored?.sessionToken !== undefined &&
    stored.active &&
    signaturesMatch(stored.sessionToken, request.sessionToken) &&
    (!stored.expiresAt || Date.parse(stored.expiresAt) > now.getTime());
  if (!stored || !live) return { ok: false, status: 403, error: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  if (stored.principal.type !== 'Root') {
    return { ok: false, status: 403, error: 'AccessDenied', message: "Only the root user assigns the root user's MFA device." };
  }
  const accountId = stored.principal.accountId;
  let error: AwsError | undefined;
  try {
    await enableRootMfaDevice(deps.store, accountId, request.serialNumber, request.authenticationCode1, request.authenticationCode2, now);
  } catch (failure) {
    if (!(failure instanceof AwsError)) throw failure;
    error = failure;
  }
  await deps.events.publish({
    requestId: randomUUID(),
    eventTime: now,
    service: 'iam',
    eventSource: 'iam.amazonaws.com',
    operation: 'EnableMFADevice',
    region: deps.region,
    principal: stored.principal,
    accessKeyId: request.accessKeyId,
    sessionCredentials: true,
    mfaAuthenticated: stored.mfaAuthenticated ?? false,
    sourceIp,
    userAgent,
    input: { SerialNumber: request.serialNumber },
    status: error ? (error.status ?? 400) : 200,
    ...(error && { error: { code: error.code, message: error.message } }),
    authorization: [],
  });
  return error ? { ok: false, status: error.status ?? 400, error: error.code, message: error.message } : { ok: true };
}
