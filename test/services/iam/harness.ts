// Calls IAM's handlers directly, with a memory store and a hand-built request context,
// as the server would after authentication and authorization. The caller is the
// default account's root unless a test names another account (its root) or principal.
import assert from 'node:assert/strict';
import { rootPrincipal, type Principal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { Operations } from '../../../src/protocol/types/iam.ts';
import { iam as iamService } from '../../../src/services/iam/index.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';
export const ROOT = rootPrincipal(ACCOUNT);

/** Who calls: a principal, an account id (its root), or any ARN-bearing stand-in. */
export type Caller = Pick<Principal, 'arn' | 'accountId' | 'userId'> | Principal | string;

export interface Iam {
  store: Store;
  now(): Date;
  call<K extends keyof Operations>(operation: K, input: Operations[K]['input'], caller?: Caller): Promise<Operations[K]['output']>;
  /** Moves the test's clock forward. */
  advance(ms: number): void;
  /** Creates a user and returns the principal it signs requests as. */
  user(name: string): Promise<Principal>;
}

export async function iam(start = new Date('2024-05-01T12:00:00.000Z')): Promise<Iam> {
  const store = await openStore('memory:');
  let now = start;
  const api: Iam = {
    store,
    now: () => now,
    async call(operation, input, caller = ROOT) {
      const handler = iamService.handlers[operation];
      assert.ok(handler, `no IAM handler for ${operation}`);
      const principal = typeof caller === 'string' ? rootPrincipal(caller) : caller;
      const context = {
        requestId: 'test-request',
        principal: principal as Principal,
        accessKeyId: undefined,
        region: 'us-east-1',
        now,
        clock: new Clock(),
        store,
        defaultAccountId: ACCOUNT,
        sourceIp: undefined,
      } satisfies RequestContext;
      return (await handler(input, context)) as Operations[typeof operation]['output'];
    },
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
    async user(name) {
      const { User } = await api.call('CreateUser', { UserName: name });
      return { type: 'IAMUser', accountId: ACCOUNT, arn: User!.Arn, userId: User!.UserId, userName: name, path: User!.Path };
    },
  };
  return api;
}

/**
 * For assert.rejects: the AwsError with this code — the wire code (`NoSuchEntity`) or
 * the model's shape name (`NoSuchEntityException`) — and, when given, this message.
 */
export function awsError(code: string, message?: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code.replace(/Exception$/, ''), code.replace(/Exception$/, ''));
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  };
}

export const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
