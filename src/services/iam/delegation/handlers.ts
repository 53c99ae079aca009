// The eight delegation request operations. A partner creates a request; a customer
// identity associates it, may forward it to an administrator (Update), and the request
// is accepted or rejected; sending the exchange token finalizes it. Every state expires
// on Bulwark's clock (states.ts).
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.ts';
import type { DelegationRequest, Operations } from '../../../protocol/types/iam.ts';
import type { Transaction } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { alreadyExists, decodeMarker, DEFAULT_MAX_ITEMS, encodeMarker, invalidInput, noSuchEntity } from '../common.ts';
import { COLLECTIONS, DELEGATION_STORE, type DelegationRequestRecord } from '../records.ts';
import { checkDelegatedPermissions } from './permission-check.ts';
import { isOwner, isOwnerAccount, mayAssociate, mayRead, notAuthorized, ROOT_MAX_SESSION_SECONDS } from './parties.ts';
import { currentState, enterState, TRANSITIONS } from './states.ts';
import { resolvePermissions } from './templates.ts';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function newDelegationRequestId(): string {
  const bytes = randomBytes(24);
  return `dr-${[...bytes].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('')}`;
}

/** Where the IAM console shows the request for approval (CreateDelegationRequest's ConsoleDeepLink). */
function consoleDeepLink(id: string): string {
  return `https://console.aws.amazon.com/iam/home#/delegation-requests/${id}`;
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:(\d{12}):[A-Za-z0-9_-]{1,256}$/;

/** Only SNS topics of the requestor's own account can receive the request's notifications. */
function checkNotificationChannel(channel: string, requestorAccountId: string): void {
  const topic = SNS_TOPIC_ARN.exec(channel);
  if (!topic) throw invalidInput(`NotificationChannel ${channel} is not an SNS topic ARN.`);
  if (topic[1] !== requestorAccountId) {
    throw invalidInput(`NotificationChannel ${channel} must be an SNS topic in the requestor account ${requestorAccountId}.`);
  }
}

function notFound(id: string): AwsError {
  return noSuchEntity(`The delegation request with id ${id} cannot be found.`);
}

function ownerIndexKey(record: DelegationRequestRecord): string {
  return `${record.ownerAccountId}/${record.createDate}/${record.id}`;
}

/** The request as the API returns it, in its state as of `now`. */
function toDelegationRequest(record: DelegationRequestRecord, now: Date): DelegationRequest {
  const state = currentState(record, now);
  const expiredJustNow = state === 'EXPIRED' && record.state !== 'EXPIRED';
  return {
    DelegationRequestId: record.id,
    ...(record.ownerAccountId !== undefined ? { OwnerAccountId: record.ownerAccountId } : {}),
    Description: record.description,
    ...(record.requestMessage !== undefined ? { RequestMessage: record.requestMessage } : {}),
    Permissions: record.permissions,
    PermissionPolicy: record.permissionPolicy,
    ...(record.rolePermissionRestrictionArns.length > 0 ? { RolePermissionRestrictionArns: record.rolePermissionRestrictionArns } : {}),
    ...(record.ownerId !== undefined ? { OwnerId: record.ownerId } : {}),
    ...(record.approverId !== undefined ? { ApproverId: record.approverId } : {}),
    State: state,
    ExpirationTime: new Date(record.expirationTime),
    RequestorId: record.requestorAccountId,
    ...(record.requestorName !== undefined ? { RequestorName: record.requestorName } : {}),
    CreateDate: new Date(record.createDate),
    SessionDuration: record.sessionDuration,
    ...(record.redirectUrl !== undefined ? { RedirectUrl: record.redirectUrl } : {}),
    ...(record.notes !== undefined ? { Notes: record.notes } : {}),
    ...(record.rejectionReason !== undefined ? { RejectionReason: record.rejectionReason } : {}),
    OnlySendByOwner: record.onlySendByOwner,
    // A request that expired on its own changed state when its time ran out.
    UpdatedTime: new Date(expiredJustNow ? record.expirationTime : record.updatedTime),
  };
}

type TransitionOperation = keyof typeof TRANSITIONS;

/**
 * Moves a request along its life cycle in one transaction: the caller must play its
 * part (`allowed`), the request must be in a state the operation leaves from, and
 * `change` adds what the operation records.
 */
async function transition(
  operation: TransitionOperation,
  id: string,
  context: RequestContext,
  allowed: (record: DelegationRequestRecord) => true | string,
  change: (record: DelegationRequestRecord, tx: Transaction) => DelegationRequestRecord | Promise<DelegationRequestRecord>,
): Promise<void> {
  const rule = TRANSITIONS[operation];
  await context.store.transaction(async (tx) => {
    const record = await tx.get<DelegationRequestRecord>(DELEGATION_STORE.requests, id);
    if (!record) throw notFound(id);
    const verdict = allowed(record);
    if (verdict !== true) throw notAuthorized(context.principal, operation, id, verdict);
    const state = currentState(record, context.now);
    if (!rule.from.includes(state)) {
      throw new AwsError(
        'ConcurrentModificationException',
        `The delegation request ${id} is ${state} and cannot be ${rule.verb}; it must be ${rule.from.join(' or ')}.`,
      );
    }
    await tx.put(DELEGATION_STORE.requests, id, await change(enterState(record, rule.to, context.now), tx));
  });
}

const OWNER_ACCOUNT_ONLY = 'only identities of the account that owns the delegation request may do this';

function ownerAccountOnly(context: RequestContext) {
  return (record: DelegationRequestRecord) => isOwnerAccount(record, context.principal) || OWNER_ACCOUNT_ONLY;
}

export const delegationHandlers: Handlers<Operations> = {
  async CreateDelegationRequest(input, context) {
    const requestor = context.principal.accountId;
    checkNotificationChannel(input.NotificationChannel, requestor);
    const resolved = await resolvePermissions(context.store, requestor, input.Permissions);
    const alias = await context.store.get<{ alias: string }>(COLLECTIONS.accountAliases, requestor);
    const id = newDelegationRequestId();
    const now = context.now.toISOString();
    const record = enterState(
      {
        id,
        requestorAccountId: requestor,
        ...(alias ? { requestorName: alias.alias.slice(0, 30) } : {}),
        requestorWorkflowId: input.RequestorWorkflowId,
        ...(input.OwnerAccountId !== undefined ? { ownerAccountId: input.OwnerAccountId } : {}),
        description: input.Description,
        ...(input.RequestMessage !== undefined ? { requestMessage: input.RequestMessage } : {}),
        permissions: input.Permissions,
        permissionPolicy: resolved.permissionPolicy,
        rolePermissionRestrictionArns: resolved.rolePermissionRestrictionArns,
        ...(input.RedirectUrl !== undefined ? { redirectUrl: input.RedirectUrl } : {}),
        notificationChannel: input.NotificationChannel,
        sessionDuration: input.SessionDuration,
        onlySendByOwner: input.OnlySendByOwner ?? false,
        state: 'UNASSIGNED',
        createDate: now,
        updatedTime: now,
        expirationTime: now,
      },
      'UNASSIGNED',
      context.now,
    );
    await context.store.transaction(async (tx) => {
      const workflowKey = `${requestor}/${input.RequestorWorkflowId}`;
      if (!(await tx.insert(DELEGATION_STORE.workflows, workflowKey, { requestId: id }))) {
        throw alreadyExists(`A delegation request with requestor workflow id ${input.RequestorWorkflowId} already exists.`);
      }
      await tx.put(DELEGATION_STORE.requests, id, record);
    });
    return { DelegationRequestId: id, ConsoleDeepLink: consoleDeepLink(id) };
  },

  async GetDelegationRequest(input, context) {
    const id = input.DelegationRequestId;
    const record = await context.store.get<DelegationRequestRecord>(DELEGATION_STORE.requests, id);
    if (!record) throw notFound(id);
    if (!mayRead(record, context.principal)) {
      throw notAuthorized(context.principal, 'GetDelegationRequest', id, 'the delegation request belongs to another account');
    }
    const output = { DelegationRequest: toDelegationRequest(record, context.now) };
    if (!input.DelegationPermissionCheck) return output;
    try {
      const result = await checkDelegatedPermissions(context.store, context.principal, record.permissionPolicy, context.now);
      return { ...output, PermissionCheckStatus: 'COMPLETE' as const, PermissionCheckResult: result };
    } catch {
      return { ...output, PermissionCheckStatus: 'FAILED' as const };
    }
  },

  async ListDelegationRequests(input, context) {
    const prefix = `${context.principal.accountId}/`;
    const after = decodeMarker(input.Marker);
    const index = await context.store.list(DELEGATION_STORE.byOwnerAccount, { prefix, ...(after !== undefined ? { after } : {}) });
    const maxItems = input.MaxItems ?? DEFAULT_MAX_ITEMS;
    const page: { key: string; record: DelegationRequestRecord }[] = [];
    let truncated = false;
    for (const entry of index.items) {
      const record = await context.store.get<DelegationRequestRecord>(DELEGATION_STORE.requests, entry.key.split('/')[2]!);
      // Requests without an owner are never listed, even when targeted at this account.
      if (!record?.ownerId) continue;
      if (input.OwnerId !== undefined && record.ownerId !== input.OwnerId) continue;
      if (page.length === maxItems) {
        truncated = true;
        break;
      }
      page.push({ key: entry.key, record });
    }
    return {
      DelegationRequests: page.map(({ record }) => toDelegationRequest(record, context.now)),
      isTruncated: truncated,
      ...(truncated ? { Marker: encodeMarker(page.at(-1)!.key) } : {}),
    };
  },

  async AssociateDelegationRequest(input, context) {
    const { principal } = context;
    await transition(
      'AssociateDelegationRequest',
      input.DelegationRequestId,
      context,
      (record) => mayAssociate(record, principal) || `the delegation request is for account ${record.ownerAccountId}`,
      async (record, tx) => {
        const owned = { ...record, ownerAccountId: principal.accountId, ownerId: principal.arn };
        await tx.put(DELEGATION_STORE.byOwnerAccount, ownerIndexKey(owned), {});
        return owned;
      },
    );
  },

  async UpdateDelegationRequest(input, context) {
    await transition('UpdateDelegationRequest', input.DelegationRequestId, context, ownerAccountOnly(context), (record) => ({
      ...record,
      ...(input.Notes !== undefined ? { notes: input.Notes } : {}),
    }));
  },

  async AcceptDelegationRequest(input, context) {
    const { principal } = context;
    await transition(
      'AcceptDelegationRequest',
      input.DelegationRequestId,
      context,
      (record) => {
        if (!isOwnerAccount(record, principal)) return OWNER_ACCOUNT_ONLY;
        if (principal.type === 'Root' && record.sessionDuration > ROOT_MAX_SESSION_SECONDS) {
          return `the root user can only approve delegation requests with a session duration of ${ROOT_MAX_SESSION_SECONDS} seconds (4 hours) or less`;
        }
        return true;
      },
      // The approver is the identity the delegated credentials will act for.
      (record) => ({ ...record, approverId: principal.arn }),
    );
  },

  async RejectDelegationRequest(input, context) {
    await transition('RejectDelegationRequest', input.DelegationRequestId, context, ownerAccountOnly(context), (record) => ({
      ...record,
      ...(input.Notes !== undefined ? { rejectionReason: input.Notes } : {}),
    }));
  },

  async SendDelegationToken(input, context) {
    const { principal } = context;
    await transition(
      'SendDelegationToken',
      input.DelegationRequestId,
      context,
      (record) => {
        if (!isOwnerAccount(record, principal)) return OWNER_ACCOUNT_ONLY;
        if (record.onlySendByOwner && !isOwner(record, principal)) return `only its owner ${record.ownerId} may send its token`;
        return true;
      },
      // AWS publishes the token to the partner's SNS topic; Bulwark keeps it on the request.
      (record) => ({ ...record, exchangeToken: randomBytes(48).toString('base64url'), tokenReleaseDate: context.now.toISOString() }),
    );
  },
};
