// How handshakes are stored and read. A handshake outlives changes to the organization
// that sent it (the invited account is in no organization yet), so each one is its own
// document, found through two indexes: by the sending organization, and by the
// recipient (an account id or a lower-cased email address).
//
// A handshake's state is stored as its parties left it; expiry is read from Bulwark's
// clock (an unanswered handshake is EXPIRED from its ExpirationTimestamp on), and a
// handshake that ended more than 30 days ago is gone, as on AWS.
import type { Documents } from '../../store/store.ts';
import { handshakeNotFound } from './errors.ts';
import { randomText, type OrganizationRecord, type Tag } from './records.ts';

export const HANDSHAKE_COLLECTIONS = {
  /** HANDSHAKEID -> HandshakeRecord. */
  handshakes: 'organizations.handshakes',
  /** ORGID/HANDSHAKEID -> {}: the handshakes an organization sent. */
  byOrganization: 'organizations.handshakes-by-organization',
  /** RECIPIENT/HANDSHAKEID -> {}: RECIPIENT is an account id or a lower-cased email. */
  byRecipient: 'organizations.handshakes-by-recipient',
} as const;

export type HandshakeAction = 'INVITE' | 'ENABLE_ALL_FEATURES' | 'APPROVE_ALL_FEATURES' | 'TRANSFER_RESPONSIBILITY';
export type HandshakeState = 'REQUESTED' | 'OPEN' | 'CANCELED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED';
export type PartyType = 'ACCOUNT' | 'ORGANIZATION' | 'EMAIL';

export interface HandshakeParty {
  Id: string;
  Type: PartyType;
}

export interface HandshakeResource {
  Type: string;
  Value: string;
  Resources?: HandshakeResource[];
}

export interface HandshakeRecord {
  id: string;
  organizationId: string;
  /** For the ARN, which names the management account that sent the handshake. */
  managementAccountId: string;
  action: HandshakeAction;
  /** As the parties left it; read it through stateOf(), which knows about expiry. */
  state: HandshakeState;
  /** Who answers it: an account, or for an invitation by email the address. */
  recipient: HandshakeParty;
  parties: HandshakeParty[];
  resources: HandshakeResource[];
  requestedTimestamp: string;
  expirationTimestamp: string;
  /** When it was accepted, declined or canceled. */
  closedTimestamp?: string;
  /** For an APPROVE_ALL_FEATURES handshake: its ENABLE_ALL_FEATURES parent. */
  parentId?: string;
  /** Tags an invited account gets when it joins. */
  tags?: Tag[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** An unanswered handshake expires after 15 days. */
export const HANDSHAKE_LIFETIME_MS = 15 * DAY_MS;
/** A handshake that ended shows in API responses for 30 days, then is deleted. */
export const HANDSHAKE_RETENTION_MS = 30 * DAY_MS;

export const newHandshakeId = (): string => `h-${randomText(32)}`;

export function handshakeArn(handshake: HandshakeRecord): string {
  const type = handshake.action.toLowerCase();
  return `arn:aws:organizations::${handshake.managementAccountId}:handshake/${handshake.organizationId}/${type}/${handshake.id}`;
}

/** The stored state, or EXPIRED for an unanswered handshake past its expiration. */
export function stateOf(handshake: HandshakeRecord, now: Date): HandshakeState {
  const pending = handshake.state === 'REQUESTED' || handshake.state === 'OPEN';
  if (pending && now.getTime() >= Date.parse(handshake.expirationTimestamp)) return 'EXPIRED';
  return handshake.state;
}

export function isPending(handshake: HandshakeRecord, now: Date): boolean {
  const state = stateOf(handshake, now);
  return state === 'REQUESTED' || state === 'OPEN';
}

/** False once a handshake has been over for 30 days: AWS deletes it then. */
function isRetained(handshake: HandshakeRecord, now: Date): boolean {
  if (isPending(handshake, now)) return true;
  const endedAt = handshake.closedTimestamp ?? handshake.expirationTimestamp;
  return now.getTime() < Date.parse(endedAt) + HANDSHAKE_RETENTION_MS;
}

export function recipientKey(party: HandshakeParty): string {
  return party.Type === 'EMAIL' ? party.Id.toLowerCase() : party.Id;
}

export function handshakeShape(handshake: HandshakeRecord, now: Date) {
  return {
    Id: handshake.id,
    Arn: handshakeArn(handshake),
    Parties: handshake.parties,
    State: stateOf(handshake, now),
    RequestedTimestamp: new Date(handshake.requestedTimestamp),
    ExpirationTimestamp: new Date(handshake.expirationTimestamp),
    Action: handshake.action,
    Resources: handshake.resources,
  };
}

// --- reading and writing --------------------------------------------------------

/** A handshake that still exists; HandshakeNotFoundException otherwise. */
export async function requireHandshake(docs: Documents, id: string, now: Date): Promise<HandshakeRecord> {
  const handshake = await docs.get<HandshakeRecord>(HANDSHAKE_COLLECTIONS.handshakes, id);
  if (!handshake || !isRetained(handshake, now)) throw handshakeNotFound();
  return handshake;
}

/** Writes a new handshake and its index entries. */
export async function insertHandshake(docs: Documents, handshake: HandshakeRecord): Promise<void> {
  await docs.put(HANDSHAKE_COLLECTIONS.handshakes, handshake.id, handshake);
  await docs.put(HANDSHAKE_COLLECTIONS.byOrganization, `${handshake.organizationId}/${handshake.id}`, {});
  await docs.put(HANDSHAKE_COLLECTIONS.byRecipient, `${recipientKey(handshake.recipient)}/${handshake.id}`, {});
}

export async function saveHandshake(docs: Documents, handshake: HandshakeRecord): Promise<void> {
  await docs.put(HANDSHAKE_COLLECTIONS.handshakes, handshake.id, handshake);
}

/** The documents of `collection` that an index (keys OWNER/ID) lists under `owner/`, skipping any that are gone. */
export async function indexedDocuments<T>(docs: Documents, index: string, collection: string, owner: string): Promise<T[]> {
  const { items } = await docs.list(index, { prefix: `${owner}/` });
  const found: T[] = [];
  for (const { key } of items) {
    const document = await docs.get<T>(collection, key.slice(owner.length + 1));
    if (document) found.push(document);
  }
  return found;
}

/** The handshakes an index lists under `owner/`, without those AWS has deleted. */
async function listIndexed(docs: Documents, index: string, owner: string, now: Date): Promise<HandshakeRecord[]> {
  const handshakes = await indexedDocuments<HandshakeRecord>(docs, index, HANDSHAKE_COLLECTIONS.handshakes, owner);
  return handshakes.filter((handshake) => isRetained(handshake, now));
}

function oldestFirst(handshakes: HandshakeRecord[]): HandshakeRecord[] {
  return handshakes.sort((a, b) => a.requestedTimestamp.localeCompare(b.requestedTimestamp) || a.id.localeCompare(b.id));
}

export async function handshakesOfOrganization(docs: Documents, organizationId: string, now: Date): Promise<HandshakeRecord[]> {
  return oldestFirst(await listIndexed(docs, HANDSHAKE_COLLECTIONS.byOrganization, organizationId, now));
}

/** The handshakes sent to any of `recipients` (an account id, its email). */
export async function handshakesForRecipients(docs: Documents, recipients: string[], now: Date): Promise<HandshakeRecord[]> {
  const handshakes: HandshakeRecord[] = [];
  for (const recipient of new Set(recipients)) handshakes.push(...(await listIndexed(docs, HANDSHAKE_COLLECTIONS.byRecipient, recipient, now)));
  return oldestFirst(handshakes);
}

/** Moves a handshake to a final state. */
export function closeHandshake(handshake: HandshakeRecord, state: 'ACCEPTED' | 'DECLINED' | 'CANCELED', now: Date): void {
  handshake.state = state;
  handshake.closedTimestamp = now.toISOString();
}

/** The handshake's ARN for authorization, or '*' when there is no such handshake. */
/** The handshake an input member names, if it is one Bulwark knows. */
export async function handshakeNamed(docs: Documents, id: unknown): Promise<HandshakeRecord | undefined> {
  return typeof id === 'string' ? docs.get<HandshakeRecord>(HANDSHAKE_COLLECTIONS.handshakes, id) : undefined;
}

/** A new handshake from an organization, requested now and expiring in 15 days. */
export function newHandshake(
  org: OrganizationRecord,
  fields: Pick<HandshakeRecord, 'action' | 'state' | 'recipient' | 'parties' | 'resources'> & Partial<HandshakeRecord>,
  now: Date,
): HandshakeRecord {
  return {
    id: newHandshakeId(),
    organizationId: org.id,
    managementAccountId: org.managementAccountId,
    requestedTimestamp: now.toISOString(),
    expirationTimestamp: new Date(now.getTime() + HANDSHAKE_LIFETIME_MS).toISOString(),
    ...fields,
  };
}

/** The ORGANIZATION resource an invitation carries: who sends it and with which feature set. */
export function organizationResource(org: OrganizationRecord): HandshakeResource {
  const management = org.accounts[org.managementAccountId];
  return {
    Type: 'ORGANIZATION',
    Value: org.id,
    Resources: [
      { Type: 'MASTER_EMAIL', Value: org.managementAccountEmail },
      { Type: 'MASTER_NAME', Value: management?.name ?? org.managementAccountId },
      { Type: 'ORGANIZATION_FEATURE_SET', Value: org.featureSet },
    ],
  };
}

/** Cancels those of `handshakes` that still wait for an answer. */
export async function cancelPending(docs: Documents, handshakes: HandshakeRecord[], now: Date): Promise<void> {
  for (const handshake of handshakes) {
    if (!isPending(handshake, now)) continue;
    closeHandshake(handshake, 'CANCELED', now);
    await saveHandshake(docs, handshake);
  }
}

/** Cancels what an organization still waits on (DeleteOrganization: nobody can join it any more). */
export async function cancelPendingHandshakes(docs: Documents, organizationId: string, now: Date): Promise<void> {
  await cancelPending(docs, await handshakesOfOrganization(docs, organizationId, now), now);
}
