// Billing responsibility transfers: InviteOrganizationToTransferResponsibility,
// DescribeResponsibilityTransfer, ListInbound/OutboundResponsibilityTransfers,
// UpdateResponsibilityTransfer, TerminateResponsibilityTransfer.
//
// The management account that will manage and pay another organization's bill (the
// transfer's Target, "inbound" for it) invites that organization's management account
// (the Source, "outbound" for it) with a TRANSFER_RESPONSIBILITY handshake, which only a
// management account can accept, at least 24 hours before the start: the first instant
// of a month (UTC). Until then the transfer's status follows its handshake (REQUESTED,
// DECLINED, CANCELED, EXPIRED); accepted it is ACCEPTED, and terminated WITHDRAWN, ending
// at the last instant of a month.
import type { Documents } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import {
  accessDenied,
  duplicateHandshake,
  invalidInput,
  invalidResponsibilityTransferTransition,
  responsibilityTransferAlreadyInStatus,
  responsibilityTransferNotFound,
} from './errors.ts';
import {
  HANDSHAKE_LIFETIME_MS,
  handshakeShape,
  insertHandshake,
  isPending,
  newHandshake,
  recipientKey,
  type HandshakeParty,
  type HandshakeRecord,
} from './handshake-records.ts';
import type { OrganizationRecord, Tag } from './records.ts';
import { assertManagementAccount, callerOrganization, page } from './shared.ts';
import { identityOf, ownerOfEmail } from './standalone-accounts.ts';
import {
  acceptanceDeadline,
  directionFor,
  handshakeOf,
  listIndexed,
  newTransferId,
  outboundTransfers,
  statusOf,
  TRANSFER_COLLECTIONS,
  transferArn,
  transferShape,
  type TransferRecord,
} from './transfer-records.ts';

// --- dates -------------------------------------------------------------------------

function isStartOfMonth(date: Date): boolean {
  return date.getUTCDate() === 1 && isStartOfDay(date);
}

function isStartOfDay(date: Date): boolean {
  return date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0;
}

/** 23:59:59.999 UTC on the last day of `date`'s month. */
function endOfMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - 1);
}

function assertValidStart(start: Date, now: Date): void {
  if (!isStartOfDay(start)) {
    throw invalidInput('START_DATE_NOT_BEGINNING_OF_DAY', 'You provided an invalid start date. The start date must be the beginning of the day (00:00:00.000).');
  }
  if (!isStartOfMonth(start)) {
    throw invalidInput('START_DATE_NOT_BEGINNING_OF_MONTH', 'You provided an invalid start date. The start date must be the first day of the month.');
  }
  if (now.getTime() >= acceptanceDeadline({ startTimestamp: start.toISOString() })) {
    throw invalidInput('START_DATE_TOO_EARLY', 'You provided an invalid start date. The start date is too early.');
  }
}

/** The end asked for, or by default the end of the month the transfer is in (or starts in). */
function endOf(transfer: TransferRecord, asked: Date | undefined, now: Date): Date {
  const start = new Date(transfer.startTimestamp);
  const end = asked ?? endOfMonth(now.getTime() > start.getTime() ? now : start);
  if (end.getTime() !== endOfMonth(end).getTime()) {
    throw invalidInput('END_DATE_NOT_END_OF_MONTH', 'You provided an invalid end date. The end date must be the end of the last day of the month (23.59.59.999).');
  }
  if (end.getTime() < endOfMonth(now).getTime() || end.getTime() < start.getTime()) {
    throw invalidInput('END_DATE_TOO_EARLY', 'You provided an invalid end date. It is too early for the transfer to end.');
  }
  return end;
}

/** The caller's organization, for its management account only (transfers are between management accounts). */
async function managementCaller(docs: Documents, context: RequestContext): Promise<OrganizationRecord> {
  const org = await callerOrganization(docs, context);
  assertManagementAccount(org, context);
  return org;
}

/** A transfer the caller's organization takes part in, with its direction; ResponsibilityTransferNotFoundException otherwise. */
async function requireTransfer(docs: Documents, context: RequestContext, id: string) {
  const org = await managementCaller(docs, context);
  const transfer = await docs.get<TransferRecord>(TRANSFER_COLLECTIONS.transfers, id);
  const direction = transfer && directionFor(transfer, org);
  if (!transfer || !direction) throw responsibilityTransferNotFound();
  return { org, transfer, direction };
}

/** The transfer's ARN as the caller sees it, for authorization; '*' when it names none of the caller's. */
export async function transferArnOf(context: RequestContext, id: unknown): Promise<string> {
  if (typeof id !== 'string') return '*';
  try {
    const { org, transfer, direction } = await requireTransfer(context.store, context, id);
    return transferArn(transfer, org, direction);
  } catch {
    return '*'; // the handler answers with the error
  }
}

interface InviteInput {
  Type: 'BILLING';
  Target: HandshakeParty;
  Notes?: string;
  StartTimestamp: Date;
  SourceName: string;
  Tags?: Tag[];
}

/**
 * The TRANSFER_RESPONSIBILITY handshake of a new transfer: it names the transfer and the
 * managing side, and expires in 15 days or 24 hours before the start, whichever is first.
 */
function transferHandshake(org: OrganizationRecord, transferId: string, target: HandshakeParty, input: InviteInput, now: Date): HandshakeRecord {
  const start = new Date(input.StartTimestamp);
  const management = org.accounts[org.managementAccountId];
  const expiration = Math.min(now.getTime() + HANDSHAKE_LIFETIME_MS, acceptanceDeadline({ startTimestamp: start.toISOString() }));
  return newHandshake(
    org,
    {
      action: 'TRANSFER_RESPONSIBILITY',
      state: 'OPEN',
      recipient: target,
      parties: [{ Id: org.id, Type: 'ORGANIZATION' }, target],
      resources: [
        {
          Type: 'RESPONSIBILITY_TRANSFER',
          Value: transferId,
          Resources: [
            { Type: 'TRANSFER_TYPE', Value: input.Type },
            { Type: 'TRANSFER_START_TIMESTAMP', Value: start.toISOString() },
            { Type: 'MANAGEMENT_ACCOUNT', Value: org.managementAccountId },
            { Type: 'MANAGEMENT_EMAIL', Value: org.managementAccountEmail },
            { Type: 'MANAGEMENT_NAME', Value: management?.name ?? org.managementAccountId },
          ],
        },
        ...(input.Notes ? [{ Type: 'NOTES', Value: input.Notes }] : []),
      ],
      expirationTimestamp: new Date(expiration).toISOString(),
    },
    now,
  );
}

interface ListInput {
  Type: 'BILLING';
  Id?: string;
  NextToken?: string;
  MaxResults?: number;
}

export const responsibilityTransferHandlers = {
  async InviteOrganizationToTransferResponsibility(input: InviteInput, context: RequestContext) {
    const now = context.now;
    if (input.Target.Type === 'ORGANIZATION') {
      throw invalidInput('INVALID_PARTY_TYPE_TARGET', 'You specified the wrong type of entity (account, organization, or email) as a party.');
    }
    const start = new Date(input.StartTimestamp);
    assertValidStart(start, now);
    const handshake = await context.store.transaction(async (tx) => {
      const org = await managementCaller(tx, context);
      const target = { Id: input.Target.Id, Type: input.Target.Type };
      const invitedAccount = target.Type === 'ACCOUNT' ? target.Id : await ownerOfEmail(tx, target.Id);
      if (invitedAccount && invitedAccount in org.accounts) {
        throw invalidInput('INVALID_PARTY_TYPE_TARGET', 'You specified the wrong type of entity (account, organization, or email) as a party.');
      }
      const sent = await listIndexed(tx, TRANSFER_COLLECTIONS.inbound, org.id);
      for (const transfer of sent) {
        const pending = await handshakeOf(tx, transfer);
        if (pending && isPending(pending, now) && recipientKey(transfer.source.party) === recipientKey(target)) throw duplicateHandshake();
      }
      const transferId = newTransferId();
      const handshake = transferHandshake(org, transferId, target, input, now);
      const transfer: TransferRecord = {
        id: transferId,
        type: input.Type,
        name: input.SourceName,
        handshakeId: handshake.id,
        target: { organizationId: org.id, managementAccountId: org.managementAccountId, managementAccountEmail: org.managementAccountEmail },
        source: {
          party: target,
          ...(invitedAccount ? { managementAccountId: invitedAccount } : {}),
          managementAccountEmail: target.Type === 'EMAIL' ? target.Id : (await identityOf(tx, target.Id)).email,
        },
        startTimestamp: start.toISOString(),
        tags: input.Tags ?? [],
      };
      await insertHandshake(tx, handshake);
      await tx.put(TRANSFER_COLLECTIONS.transfers, transfer.id, transfer);
      await tx.put(TRANSFER_COLLECTIONS.inbound, `${org.id}/${transfer.id}`, {});
      await tx.put(TRANSFER_COLLECTIONS.outbound, `${recipientKey(target)}/${transfer.id}`, {});
      return handshake;
    });
    return { Handshake: handshakeShape(handshake, now) };
  },

  async DescribeResponsibilityTransfer(input: { Id: string }, context: RequestContext) {
    const { org, transfer, direction } = await requireTransfer(context.store, context, input.Id);
    return { ResponsibilityTransfer: await transferShape(context.store, transfer, org, direction, context.now) };
  },

  /** Transfers that let the caller's organization manage another's bill; Id narrows to one (ResponsibilityTransferNotFoundException if it is not among them). */
  async ListInboundResponsibilityTransfers(input: ListInput, context: RequestContext) {
    const org = await managementCaller(context.store, context);
    let transfers = (await listIndexed(context.store, TRANSFER_COLLECTIONS.inbound, org.id)).filter((t) => t.type === input.Type);
    if (input.Id !== undefined) {
      transfers = transfers.filter((transfer) => transfer.id === input.Id);
      if (transfers.length === 0) throw responsibilityTransferNotFound();
    }
    const { items, NextToken } = page(transfers, input);
    const shapes = await Promise.all(items.map((transfer) => transferShape(context.store, transfer, org, 'inbound', context.now)));
    return { ResponsibilityTransfers: shapes, ...(NextToken ? { NextToken } : {}) };
  },

  /** Transfers (and invitations) that let another organization manage the caller's organization's bill. */
  async ListOutboundResponsibilityTransfers(input: ListInput, context: RequestContext) {
    const org = await managementCaller(context.store, context);
    const transfers = await outboundTransfers(context.store, org);
    const mine = transfers.filter((transfer) => transfer.type === input.Type && directionFor(transfer, org) === 'outbound');
    const { items, NextToken } = page(mine, input);
    const shapes = await Promise.all(items.map((transfer) => transferShape(context.store, transfer, org, 'outbound', context.now)));
    return { ResponsibilityTransfers: shapes, ...(NextToken ? { NextToken } : {}) };
  },

  /** Only the managing (inbound) side names the transfer. */
  async UpdateResponsibilityTransfer(input: { Id: string; Name: string }, context: RequestContext) {
    return context.store.transaction(async (tx) => {
      const { org, transfer, direction } = await requireTransfer(tx, context, input.Id);
      if (direction !== 'inbound') throw accessDenied();
      transfer.name = input.Name;
      await tx.put(TRANSFER_COLLECTIONS.transfers, transfer.id, transfer);
      return { ResponsibilityTransfer: await transferShape(tx, transfer, org, direction, context.now) };
    });
  },

  /** Either side withdraws an accepted transfer; it ends at the last instant of a month. */
  async TerminateResponsibilityTransfer(input: { Id: string; EndTimestamp?: Date }, context: RequestContext) {
    const now = context.now;
    return context.store.transaction(async (tx) => {
      const { org, transfer, direction } = await requireTransfer(tx, context, input.Id);
      const status = await statusOf(tx, transfer, now);
      if (status === 'WITHDRAWN') throw responsibilityTransferAlreadyInStatus();
      if (status !== 'ACCEPTED') throw invalidResponsibilityTransferTransition();
      transfer.endTimestamp = endOf(transfer, input.EndTimestamp && new Date(input.EndTimestamp), now).toISOString();
      transfer.withdrawnTimestamp = now.toISOString();
      await tx.put(TRANSFER_COLLECTIONS.transfers, transfer.id, transfer);
      return { ResponsibilityTransfer: await transferShape(tx, transfer, org, direction, now) };
    });
  },
};
