// Handshakes: InviteAccountToOrganization, AcceptHandshake, DeclineHandshake,
// CancelHandshake, DescribeHandshake, ListHandshakesForAccount and
// ListHandshakesForOrganization.
//
// The management account sends; the recipient answers with its own credentials. An
// invitation names an account id or an email address; accepting it makes the account a
// member in the root, joined by INVITED. The ENABLE_ALL_FEATURES handshake and its
// APPROVE_ALL_FEATURES children are in all-features.ts, TRANSFER_RESPONSIBILITY in
// responsibility-transfers.ts.
import type { Documents } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import { answerAllFeatures } from './all-features.ts';
import {
  accessDenied,
  constraintViolation,
  duplicateHandshake,
  handshakeAlreadyInState,
  handshakeConstraintViolation,
  handshakeNotFound,
  invalidHandshakeTransition,
  invalidInput,
} from './errors.ts';
import {
  closeHandshake,
  handshakesForRecipients,
  handshakeShape,
  handshakesOfOrganization,
  insertHandshake,
  isPending,
  newHandshake,
  organizationResource,
  recipientKey,
  requireHandshake,
  saveHandshake,
  stateOf,
  type HandshakeParty,
  type HandshakeRecord,
} from './handshake-records.ts';
import { ensureServiceLinkedRole } from './accounts.ts';
import { addMember } from './organization.ts';
import { ORG_COLLECTIONS, type MembershipRecord, type OrganizationRecord, type Tag } from './records.ts';
import { assertManagementAccount, callerOrganization, managedOrganization, organizationOf, page } from './shared.ts';
import { acceptTransfer } from './transfer-records.ts';
import { hasKnownEmail, identityOf, ownerOfEmail } from './standalone-accounts.ts';
import { MAX_TAGS } from './tags.ts';

/** AWS's quota of invitations an organization can send in a day. */
export const MAX_INVITATIONS_PER_DAY = 20;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The model's Email shape. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface PageInput {
  NextToken?: string;
  MaxResults?: number;
}

interface HandshakeFilter {
  ActionType?: string;
  ParentHandshakeId?: string;
}

function validateTarget(target: HandshakeParty): void {
  if (target.Type === 'ORGANIZATION') {
    throw invalidInput('INVALID_PARTY_TYPE_TARGET', 'You specified the wrong type of entity (account, organization, or email) as a party.');
  }
  if (target.Type === 'ACCOUNT' && !/^\d{12}$/.test(target.Id)) {
    throw invalidInput('INVALID_PATTERN', "You provided a value that doesn't match the required pattern.");
  }
  if (target.Type === 'EMAIL' && (!EMAIL.test(target.Id) || target.Id.length < 6)) {
    throw invalidInput('INVALID_EMAIL_ADDRESS_TARGET', 'You specified an invalid email address for the invited account owner.');
  }
}

/**
 * Refuses an invitation AWS would: during an all-features migration, to a member, to a
 * recipient with one pending already, or past the day's quota.
 */
async function assertMayInvite(tx: Documents, org: OrganizationRecord, target: HandshakeParty, now: Date): Promise<void> {
  const sent = await handshakesOfOrganization(tx, org.id, now);
  if (sent.some((handshake) => handshake.action === 'ENABLE_ALL_FEATURES' && isPending(handshake, now))) {
    throw handshakeConstraintViolation('INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES');
  }
  const accountId = target.Type === 'ACCOUNT' ? target.Id : await ownerOfEmail(tx, target.Id);
  if (accountId && accountId in org.accounts) throw handshakeConstraintViolation('ALREADY_IN_AN_ORGANIZATION');
  const invitations = sent.filter((handshake) => handshake.action === 'INVITE');
  const key = recipientKey(target);
  if (invitations.some((handshake) => isPending(handshake, now) && recipientKey(handshake.recipient) === key)) throw duplicateHandshake();
  const today = invitations.filter((handshake) => now.getTime() - Date.parse(handshake.requestedTimestamp) < DAY_MS);
  if (today.length >= MAX_INVITATIONS_PER_DAY) throw handshakeConstraintViolation('HANDSHAKE_RATE_LIMIT_EXCEEDED');
}

/**
 * Whether `accountId` is the one to answer: the account invited by id, or the owner of
 * the invited email. An email Bulwark cannot place belongs to whichever account without
 * a known email answers it first (the address becomes that account's).
 */
async function isRecipient(tx: Documents, handshake: HandshakeRecord, accountId: string): Promise<boolean> {
  const { recipient } = handshake;
  if (recipient.Type !== 'EMAIL') return recipient.Id === accountId;
  const owner = await ownerOfEmail(tx, recipient.Id);
  if (owner) return owner === accountId;
  return !(await tx.get(ORG_COLLECTIONS.members, accountId)) && !(await hasKnownEmail(tx, accountId));
}

/** ACCEPTED twice, DECLINED twice or CANCELED twice: HandshakeAlreadyInStateException; any other answer to a finished handshake is no transition. */
function assertPending(handshake: HandshakeRecord, wanted: 'ACCEPTED' | 'DECLINED' | 'CANCELED', now: Date): void {
  const state = stateOf(handshake, now);
  if (state === wanted) throw handshakeAlreadyInState();
  if (state !== 'REQUESTED' && state !== 'OPEN') throw invalidHandshakeTransition();
}

/**
 * Answers a handshake: the recipient accepts or declines, the sender's management
 * account cancels. Accepting an invitation joins the organization; answers in an
 * all-features migration move it on. All in one transaction, so a failure leaves the
 * handshake as it was.
 */
async function respond(context: RequestContext, handshakeId: string, state: 'ACCEPTED' | 'DECLINED' | 'CANCELED') {
  const now = context.now;
  const accountId = context.principal.accountId;
  const handshake = await context.store.transaction(async (tx) => {
    const handshake = await requireHandshake(tx, handshakeId, now);
    const sender = handshake.managementAccountId === accountId;
    if (state === 'CANCELED' ? !sender : !(await isRecipient(tx, handshake, accountId))) throw accessDenied();
    assertPending(handshake, state, now);
    closeHandshake(handshake, state, now);
    await saveHandshake(tx, handshake);
    if (handshake.action === 'TRANSFER_RESPONSIBILITY') {
      if (state === 'ACCEPTED') await acceptTransfer(tx, handshake, accountId, now);
    } else if (handshake.action !== 'INVITE') await answerAllFeatures(tx, handshake, now);
    else if (state === 'ACCEPTED') await join(tx, handshake, accountId, now);
    return handshake;
  });
  return { Handshake: handshakeShape(handshake, now) };
}

/** Accepting an invitation: the caller joins the organization's root. */
async function join(tx: Documents, handshake: HandshakeRecord, accountId: string, now: Date): Promise<void> {
  if (await tx.get<MembershipRecord>(ORG_COLLECTIONS.members, accountId)) throw handshakeConstraintViolation('ALREADY_IN_AN_ORGANIZATION');
  const org = await tx.get<OrganizationRecord>(ORG_COLLECTIONS.organizations, handshake.organizationId);
  if (!org) throw invalidHandshakeTransition();
  const identity = await identityOf(tx, accountId);
  const email = handshake.recipient.Type === 'EMAIL' ? handshake.recipient.Id : identity.email;
  await addMember(tx, org, {
    id: accountId,
    name: identity.name,
    email,
    joinedMethod: 'INVITED',
    joinedTimestamp: now.toISOString(),
    tags: handshake.tags ?? [],
  });
  await tx.put(ORG_COLLECTIONS.organizations, org.id, org);
}

function filtered(handshakes: HandshakeRecord[], filter: HandshakeFilter | undefined): HandshakeRecord[] {
  if (filter?.ActionType && filter.ParentHandshakeId) {
    throw invalidInput('MAX_FILTER_LIMIT_EXCEEDED', 'You can specify only one filter parameter for the operation.');
  }
  if (filter?.ActionType) return handshakes.filter((handshake) => handshake.action === filter.ActionType);
  if (filter?.ParentHandshakeId) return handshakes.filter((handshake) => handshake.parentId === filter.ParentHandshakeId);
  return handshakes;
}

function handshakePage(handshakes: HandshakeRecord[], input: { Filter?: HandshakeFilter } & PageInput, now: Date) {
  const { items, NextToken } = page(filtered(handshakes, input.Filter), input);
  return { Handshakes: items.map((handshake) => handshakeShape(handshake, now)), ...(NextToken ? { NextToken } : {}) };
}

/** The email the caller answers to: its organization's record of it, or what Bulwark knows of the standalone account. */
async function emailOf(tx: Documents, accountId: string): Promise<string> {
  const org = await organizationOf(tx, accountId);
  return org?.accounts[accountId]?.email ?? (await identityOf(tx, accountId)).email;
}

export const handshakeHandlers = {
  async InviteAccountToOrganization(input: { Target: HandshakeParty; Notes?: string; Tags?: Tag[] }, context: RequestContext) {
    validateTarget(input.Target);
    if ((input.Tags?.length ?? 0) > MAX_TAGS) throw constraintViolation('MAX_TAG_LIMIT_EXCEEDED');
    const now = context.now;
    const handshake = await context.store.transaction(async (tx) => {
      const org = await callerOrganization(tx, context);
      assertManagementAccount(org, context);
      await assertMayInvite(tx, org, input.Target, now);
      const target = { Id: input.Target.Id, Type: input.Target.Type };
      const handshake = newHandshake(
        org,
        {
          action: 'INVITE',
          state: 'OPEN',
          recipient: target,
          parties: [{ Id: org.id, Type: 'ORGANIZATION' }, target],
          resources: [
            organizationResource(org),
            { Type: target.Type, Value: target.Id },
            ...(input.Notes ? [{ Type: 'NOTES', Value: input.Notes }] : []),
          ],
          ...(input.Tags?.length ? { tags: input.Tags } : {}),
        },
        now,
      );
      await insertHandshake(tx, handshake);
      return handshake;
    });
    return { Handshake: handshakeShape(handshake, now) };
  },

  async AcceptHandshake(input: { HandshakeId: string }, context: RequestContext) {
    const answer = await respond(context, input.HandshakeId, 'ACCEPTED');
    // Joined an organization with all features: Organizations makes its service-linked role in the account.
    if (answer.Handshake.Action === 'INVITE' && (await organizationOf(context.store, context.principal.accountId))?.featureSet === 'ALL') {
      await ensureServiceLinkedRole(context, context.principal.accountId);
    }
    return answer;
  },
  DeclineHandshake: (input: { HandshakeId: string }, context: RequestContext) => respond(context, input.HandshakeId, 'DECLINED'),
  CancelHandshake: (input: { HandshakeId: string }, context: RequestContext) => respond(context, input.HandshakeId, 'CANCELED'),

  /** The recipient and the accounts of the sending organization see a handshake; to anyone else it does not exist. */
  async DescribeHandshake(input: { HandshakeId: string }, context: RequestContext) {
    const now = context.now;
    const accountId = context.principal.accountId;
    const handshake = await requireHandshake(context.store, input.HandshakeId, now);
    const membership = await context.store.get<MembershipRecord>(ORG_COLLECTIONS.members, accountId);
    const inSender = membership?.organizationId === handshake.organizationId;
    if (!inSender && !(await isRecipient(context.store, handshake, accountId))) throw handshakeNotFound();
    return { Handshake: handshakeShape(handshake, now) };
  },

  /** Any account, in an organization or not, lists what it was sent (by id or by its email). */
  async ListHandshakesForAccount(input: { Filter?: HandshakeFilter } & PageInput, context: RequestContext) {
    const accountId = context.principal.accountId;
    const email = (await emailOf(context.store, accountId)).toLowerCase();
    const handshakes = await handshakesForRecipients(context.store, [accountId, email], context.now);
    return handshakePage(handshakes, input, context.now);
  },

  async ListHandshakesForOrganization(input: { Filter?: HandshakeFilter } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    return handshakePage(await handshakesOfOrganization(context.store, org.id, context.now), input, context.now);
  },
};
