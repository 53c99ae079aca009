// Calls the IAM credential handlers (and the identity handlers, to make users)
// directly, with a memory store and a hand-built request context. The caller is the
// default account's root unless a test passes another principal.
import assert from 'node:assert/strict';
import { rootPrincipal, type Principal } from '../../../../src/auth/principal.ts';
import { Clock } from '../../../../src/lib/clock.ts';
import { AwsError } from '../../../../src/protocol/errors.ts';
import type { Operations } from '../../../../src/protocol/types/iam.ts';
import type { RequestContext } from '../../../../src/services/service.ts';
import { credentialHandlers } from '../../../../src/services/iam/credentials/index.ts';
import { identityHandlers } from '../../../../src/services/iam/identities.ts';
import { openStore, type Store } from '../../../../src/store/index.ts';

export const ACCOUNT = '123456789012';
export const ROOT = rootPrincipal(ACCOUNT);

export interface Iam {
  store: Store;
  now(): Date;
  call<K extends keyof Operations>(operation: K, input: Operations[K]['input'], principal?: Principal): Promise<Operations[K]['output']>;
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
    async call(operation, input, principal = ROOT) {
      const handler = credentialHandlers[operation] ?? identityHandlers[operation];
      assert.ok(handler, `no handler for ${operation}`);
      const context = {
        requestId: 'test-request',
        principal,
        accessKeyId: undefined,
        region: 'us-east-1',
        now,
        clock: new Clock(),
        store,
        defaultAccountId: ACCOUNT,
        sourceIp: undefined,
      } satisfies RequestContext;
      return handler(input as never, context) as Promise<Operations[typeof operation]['output']>;
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

/** For assert.rejects: the AwsError with this code and, when given, this exact message. */
export function awsError(code: string, message?: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  };
}
