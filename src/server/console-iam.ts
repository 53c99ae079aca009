// The console's server side acts on IAM the way the service itself does: through IAM's
// operation handlers, called with a context of the account's root user. Only the
// sign-in endpoint and `bulwark root-password` use this; the console's pages call the
// public API, signed and authorized like any client.
import { randomUUID } from 'node:crypto';
import { rootPrincipal, type Principal } from '../auth/principal.ts';
import { Clock } from '../lib/clock.ts';
import { AwsError } from '../protocol/errors.ts';
import { iam } from '../services/iam/index.ts';
import type { RequestContext } from '../services/service.ts';
import type { Store } from '../store/store.ts';

export interface IamCaller {
  store: Store;
  clock: Clock;
  region: string;
}

/** Calls an IAM operation as `principal` (the account's root user by default). */
export async function callIam<T>(
  caller: IamCaller,
  accountId: string,
  operation: string,
  input: Record<string, unknown>,
  principal: Principal = rootPrincipal(accountId),
): Promise<T> {
  const handler = iam.handlers[operation];
  if (!handler) throw new Error(`IAM has no handler for ${operation}`);
  const context: RequestContext = {
    requestId: randomUUID(),
    principal,
    accessKeyId: undefined,
    region: caller.region,
    now: caller.clock.now(),
    clock: caller.clock,
    store: caller.store,
    defaultAccountId: accountId,
    sourceIp: undefined,
  };
  return (await handler(input, context)) as T;
}

/** The value, or undefined when IAM answered NoSuchEntity. */
export async function unlessMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AwsError && error.code === 'NoSuchEntityException') return undefined;
    throw error;
  }
}
