// How billing responsibility transfers are stored and shown. A transfer joins two
// organizations (the managing one invites, the managed one accepts), so each is its own
// document, found through two indexes: by the inviting organization (its inbound
// transfers) and by the invited management account (id or email: its outbound ones).
// Until it is accepted, a transfer's status is its handshake's.
import type { Documents } from '../../store/store.ts';
import { accessDenied } from './errors.ts';
import { HANDSHAKE_COLLECTIONS, indexedDocuments, recipientKey, stateOf, type HandshakeParty, type HandshakeRecord } from './handshake-records.ts';
import { randomText, type OrganizationRecord, type Tag } from './records.ts';
import { organizationOf } from './shared.ts';

export const TRANSFER_COLLECTIONS = {
  /** TRANSFERID -> TransferRecord. */
  transfers: 'organizations.transfers',
  /** ORGID/TRANSFERID -> {}: the transfers an organization invited (its inbound ones). */
  inbound: 'organizations.transfers-inbound',
  /** RECIPIENT/TRANSFERID -> {}: RECIPIENT is the invited account id or lower-cased email. */
  outbound: 'organizations.transfers-outbound',
} as const;

export type Direction = 'inbound' | 'outbound';
export type TransferStatus = 'REQUESTED' | 'DECLINED' | 'CANCELED' | 'EXPIRED' | 'ACCEPTED' | 'WITHDRAWN';

interface Participant {
  organizationId?: string;
  managementAccountId?: string;
  managementAccountEmail?: string;
}

export interface TransferRecord {
  id: string;
  type: 'BILLING';
  name: string;
  handshakeId: string;
  /** The organization that manages and pays (it sent the invitation). */
  target: Required<Participant>;
  /** The organization whose bill is transferred: its management account as invited; its organization once it accepts. */
  source: Participant & { party: HandshakeParty };
  startTimestamp: string;
  endTimestamp?: string;
  acceptedTimestamp?: string;
  withdrawnTimestamp?: string;
  tags: Tag[];
}

/** An invitation must be accepted at least 24 hours before the transfer starts. */
const ACCEPTANCE_LEAD_MS = 24 * 60 * 60 * 1000;

export const newTransferId = (): string => `rt-${randomText(16)}`;

/** The last moment the invitation can be accepted. */
export function acceptanceDeadline(transfer: { startTimestamp: string }): number {
  return Date.parse(transfer.startTimestamp) - ACCEPTANCE_LEAD_MS;
}

export async function handshakeOf(docs: Documents, transfer: TransferRecord): Promise<HandshakeRecord | undefined> {
  return docs.get<HandshakeRecord>(HANDSHAKE_COLLECTIONS.handshakes, transfer.handshakeId);
}

/** Accepted and withdrawn transfers say so; before that the handshake tells (a handshake AWS has deleted was never answered in time). */
export async function statusOf(docs: Documents, transfer: TransferRecord, now: Date): Promise<TransferStatus> {
  if (transfer.withdrawnTimestamp) return 'WITHDRAWN';
  if (transfer.acceptedTimestamp) return 'ACCEPTED';
  const handshake = await handshakeOf(docs, transfer);
  const state = handshake ? stateOf(handshake, now) : 'EXPIRED';
  return state === 'OPEN' || state === 'REQUESTED' ? 'REQUESTED' : state === 'ACCEPTED' ? 'ACCEPTED' : state;
}

/** The transfers an index (inbound or outbound) lists under `owner/`. */
export function listIndexed(docs: Documents, index: string, owner: string): Promise<TransferRecord[]> {
  return indexedDocuments<TransferRecord>(docs, index, TRANSFER_COLLECTIONS.transfers, owner);
}

/** The caller's view of a transfer: inbound for the organization that manages, outbound for the one managed. */
export function directionFor(transfer: TransferRecord, org: OrganizationRecord): Direction | undefined {
  if (transfer.target.organizationId === org.id) return 'inbound';
  if (transfer.source.organizationId === org.id) return 'outbound';
  const invited = recipientKey(transfer.source.party);
  const invitedHere = invited === org.managementAccountId || invited === org.managementAccountEmail.toLowerCase();
  return !transfer.acceptedTimestamp && invitedHere ? 'outbound' : undefined;
}

/** The transfers the organization's management account was invited to, by its id or by its email. */
export async function outboundTransfers(docs: Documents, org: OrganizationRecord): Promise<TransferRecord[]> {
  return [
    ...(await listIndexed(docs, TRANSFER_COLLECTIONS.outbound, org.managementAccountId)),
    ...(await listIndexed(docs, TRANSFER_COLLECTIONS.outbound, org.managementAccountEmail.toLowerCase())),
  ];
}

export function transferArn(transfer: TransferRecord, org: OrganizationRecord, direction: Direction): string {
  return `arn:aws:organizations::${org.managementAccountId}:transfer/${org.id}/${transfer.type.toLowerCase()}/${direction}/${transfer.id}`;
}

export async function transferShape(docs: Documents, transfer: TransferRecord, org: OrganizationRecord, direction: Direction, now: Date) {
  const participant = (p: Participant) => ({
    ...(p.managementAccountId ? { ManagementAccountId: p.managementAccountId } : {}),
    ...(p.managementAccountEmail ? { ManagementAccountEmail: p.managementAccountEmail } : {}),
  });
  return {
    Arn: transferArn(transfer, org, direction),
    Name: transfer.name,
    Id: transfer.id,
    Type: transfer.type,
    Status: await statusOf(docs, transfer, now),
    Source: participant(transfer.source),
    Target: participant(transfer.target),
    StartTimestamp: new Date(transfer.startTimestamp),
    ...(transfer.endTimestamp ? { EndTimestamp: new Date(transfer.endTimestamp) } : {}),
    ActiveHandshakeId: transfer.handshakeId,
  };
}

/**
 * AcceptHandshake of a TRANSFER_RESPONSIBILITY handshake (handshakes.ts): only the
 * management account of an organization accepts, and the transfer records which one.
 */
export async function acceptTransfer(tx: Documents, handshake: HandshakeRecord, accountId: string, now: Date): Promise<void> {
  const org = await organizationOf(tx, accountId);
  if (!org || org.managementAccountId !== accountId) throw accessDenied();
  const transferId = handshake.resources.find((resource) => resource.Type === 'RESPONSIBILITY_TRANSFER')?.Value;
  const transfer = transferId && (await tx.get<TransferRecord>(TRANSFER_COLLECTIONS.transfers, transferId));
  if (!transfer) return;
  transfer.source = { ...transfer.source, organizationId: org.id, managementAccountId: accountId, managementAccountEmail: org.managementAccountEmail };
  transfer.acceptedTimestamp = now.toISOString();
  await tx.put(TRANSFER_COLLECTIONS.transfers, transfer.id, transfer);
}

/**
 * Whether an organization takes part in a transfer that is not over: an invitation
 * waiting for an answer, or a transfer accepted and not yet ended.
 */
export async function hasOngoingTransfer(docs: Documents, org: OrganizationRecord, now: Date): Promise<boolean> {
  const transfers = [...(await listIndexed(docs, TRANSFER_COLLECTIONS.inbound, org.id)), ...(await outboundTransfers(docs, org))];
  for (const transfer of transfers) {
    const status = await statusOf(docs, transfer, now);
    if (status === 'REQUESTED' || status === 'ACCEPTED') return true;
    if (status === 'WITHDRAWN' && Date.parse(transfer.endTimestamp!) > now.getTime()) return true;
  }
  return false;
}
