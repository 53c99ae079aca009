// Calling Organizations handlers directly: a memory store and request contexts for the
// root user of any account.
import assert from 'node:assert/strict';
import { rootPrincipal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { organizationsHandlers } from '../../../src/services/organizations/index.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

export const MANAGEMENT = '123456789012';
export const OUTSIDER = '999999999999';
export const NOW = new Date('2025-06-01T12:00:00Z');

export function contextFor(store: Store, accountId: string): RequestContext {
  return {
    requestId: 'test-request',
    principal: rootPrincipal(accountId),
    accessKeyId: undefined,
    region: 'us-east-1',
    now: NOW,
    clock: new Clock(),
    store,
    defaultAccountId: MANAGEMENT,
    sourceIp: undefined,
  };
}

/** Calls an operation as the root user of `accountId` (the management account by default). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(store: Store, operation: string, input: object = {}, accountId = MANAGEMENT): Promise<any> {
  const handler = organizationsHandlers[operation];
  assert.ok(handler, `no handler for ${operation}`);
  return handler(input, contextFor(store, accountId));
}

/** Asserts the call fails with this AWS error code (and Reason, for ConstraintViolationException). */
export async function rejects(promise: Promise<unknown>, code: string, reason?: string, message?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (reason) assert.equal(error.fields.Reason, reason);
    if (message) assert.equal(error.message, message);
    return true;
  });
}

/**
 * A memory store in which the management account has made an organization (all
 * features unless `featureSet` says CONSOLIDATED_BILLING); its id and its root's.
 */
export async function storeWithOrganization(featureSet?: 'ALL' | 'CONSOLIDATED_BILLING'): Promise<{ store: Store; orgId: string; rootId: string }> {
  const store = await openStore('memory:');
  const { Organization } = await call(store, 'CreateOrganization', featureSet ? { FeatureSet: featureSet } : {});
  return { store, orgId: Organization.Id, rootId: (await call(store, 'ListRoots')).Roots[0].Id };
}

/** Creates a member account with CreateAccount and returns its id. */
export async function createMember(store: Store, email: string, name = email.split('@')[0]!): Promise<string> {
  const { CreateAccountStatus } = await call(store, 'CreateAccount', { Email: email, AccountName: name });
  const status = await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: CreateAccountStatus.Id });
  return status.CreateAccountStatus.AccountId;
}

/** Calls an operation as the root user of `accountId` at another moment than NOW (Bulwark's clock moved). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function callAt(store: Store, at: Date, operation: string, input: object = {}, accountId = MANAGEMENT): Promise<any> {
  const handler = organizationsHandlers[operation];
  assert.ok(handler, `no handler for ${operation}`);
  return handler(input, { ...contextFor(store, accountId), now: at });
}

/** The management account invites `accountId`, which accepts with its own credentials. */
export async function inviteAndJoin(store: Store, accountId: string): Promise<void> {
  const { Handshake } = await call(store, 'InviteAccountToOrganization', { Target: { Id: accountId, Type: 'ACCOUNT' } });
  await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, accountId);
}
