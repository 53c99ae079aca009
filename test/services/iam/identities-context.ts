// Calls the identity handlers directly, with a memory store and a hand-built request
// context: the caller is the default account's root unless a test says otherwise.
import assert from 'node:assert/strict';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { Operations } from '../../../src/protocol/types/iam.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { identityHandlers } from '../../../src/services/iam/identities.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';

export interface CallerPrincipal {
  arn: string;
  accountId: string;
  userId: string;
}

export function rootOf(accountId: string): CallerPrincipal {
  return { arn: `arn:aws:iam::${accountId}:root`, accountId, userId: accountId };
}

export const ROOT = rootOf(ACCOUNT);

export const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export interface Iam {
  store: Store;
  call<K extends keyof Operations>(
    operation: K,
    input: Operations[K]['input'],
    principal?: CallerPrincipal,
  ): Promise<Operations[K]['output']>;
  /** Moves the test's clock forward. */
  advance(ms: number): void;
}

export async function iam(): Promise<Iam> {
  const store = await openStore('memory:');
  let now = new Date('2024-05-01T12:00:00.000Z');
  return {
    store,
    async call(operation, input, principal = ROOT) {
      const handler = identityHandlers[operation];
      assert.ok(handler, `no identity handler for ${operation}`);
      const context = {
        requestId: 'test-request',
        principal,
        accessKeyId: undefined,
        region: 'us-east-1',
        now,
        clock: new Clock(),
        store,
        defaultAccountId: ACCOUNT,
      } as unknown as RequestContext;
      return handler(input, context);
    },
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
  };
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

export function trustFor(principal: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });
}
