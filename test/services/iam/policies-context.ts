// Calls the IAM handlers (policies, plus identities to create users, groups and roles)
// directly, with a memory store and a hand-built request context: the caller is the
// root user of the account a test names (the default account unless it says otherwise).
import assert from 'node:assert/strict';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { Operations } from '../../../src/protocol/types/iam.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { identityHandlers } from '../../../src/services/iam/identities.ts';
import { policyHandlers } from '../../../src/services/iam/policies.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';

type AnyHandler = (input: unknown, context: RequestContext) => unknown;
const handlers: Record<string, AnyHandler | undefined> = { ...identityHandlers, ...policyHandlers } as Record<string, AnyHandler>;

export interface Iam {
  store: Store;
  call<K extends keyof Operations>(operation: K, input: Operations[K]['input'], accountId?: string): Promise<Operations[K]['output']>;
  advance(ms: number): void;
}

export async function iam(): Promise<Iam> {
  const store = await openStore('memory:');
  let now = new Date('2024-05-01T12:00:00.000Z');
  return {
    store,
    async call(operation, input, accountId = ACCOUNT) {
      const handler = handlers[operation];
      assert.ok(handler, `no handler for ${operation}`);
      const context = {
        requestId: 'test-request',
        principal: { arn: `arn:aws:iam::${accountId}:root`, accountId, userId: accountId },
        accessKeyId: undefined,
        region: 'us-east-1',
        now,
        clock: new Clock(),
        store,
        defaultAccountId: ACCOUNT,
      } as unknown as RequestContext;
      return (await handler(input, context)) as Operations[typeof operation]['output'];
    },
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
  };
}

/**
 * For assert.rejects: the AwsError with this wire code (`NoSuchEntity`; handlers throw
 * the model's shape name, `NoSuchEntityException`) and, when given, this exact message.
 */
export function awsError(code: string, message?: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code.replace(/Exception$/, ''), code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  };
}

/** An identity policy allowing `actions` on everything. */
export function allow(...actions: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
}

/** A valid policy document of exactly `size` characters once white space is removed. */
export function documentOfSize(size: number): string {
  const base = allow('s3:GetObject');
  const padding = size - base.length;
  assert.ok(padding >= 0, 'size too small');
  // Pad the resource ARN: "*" -> "arn:aws:s3:::bbbb..." keeps the document valid.
  const resource = 'arn:aws:s3:::' + 'b'.repeat(padding + 1 - 'arn:aws:s3:::'.length);
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: resource }] });
  assert.equal(text.length, size);
  return text;
}

export const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
