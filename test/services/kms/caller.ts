// Calls KMS handlers directly, as the account root, on a store the test opens: the
// request context a server would build, with a fresh request id per call.
import assert from 'node:assert/strict';
import type { Principal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { kms } from '../../../src/services/kms/index.ts';
import type { Store } from '../../../src/store/store.ts';

export const ACCOUNT = '123456789012';
export const ROOT: Principal = { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };

export interface CallOptions {
  region?: string;
  now?: Date;
}

let requests = 0;

/** The request id of the latest call. */
export function lastRequestId(): string {
  return `request-${requests}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function callKms(store: Store, operation: string, input: Record<string, unknown>, options: CallOptions = {}): Promise<any> {
  const context: RequestContext = {
    requestId: `request-${++requests}`, principal: ROOT, accessKeyId: undefined, region: options.region ?? 'us-east-1',
    now: options.now ?? new Date(), clock: new Clock(), store, defaultAccountId: ACCOUNT, sourceIp: undefined,
  };
  return kms.handlers[operation]!(input, context);
}

/** For assert.rejects: the call failed with this AWS error code (and a message matching `message`). */
export function fails(code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, String(error));
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  };
}
