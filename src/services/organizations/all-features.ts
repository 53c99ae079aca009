// EnableAllFeatures: moving an organization made with FeatureSet CONSOLIDATED_BILLING to
// ALL. AWS runs it as handshakes: a parent ENABLE_ALL_FEATURES handshake that the
// management account finally accepts, and one APPROVE_ALL_FEATURES child for each
// invited member account (created accounts are not asked). The parent is REQUESTED
// until every invited member still in the organization has accepted its child, then
// OPEN; accepting it then switches the organization to ALL. Declining or canceling the
// parent cancels the children still waiting; a member that declines leaves the parent
// REQUESTED (the management account cancels it, or removes that account).
import type { Documents } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import { handshakeConstraintViolation, invalidHandshakeTransition } from './errors.ts';
import {
  cancelPending,
  HANDSHAKE_COLLECTIONS,
  handshakeShape,
  handshakesOfOrganization,
  insertHandshake,
  isPending,
  newHandshake,
  organizationResource,
  saveHandshake,
  type HandshakeRecord,
} from './handshake-records.ts';
import { ORG_COLLECTIONS, type OrganizationRecord } from './records.ts';
import { assertManagementAccount, callerOrganization } from './shared.ts';

async function childrenOf(tx: Documents, parent: HandshakeRecord, now: Date): Promise<HandshakeRecord[]> {
  return (await handshakesOfOrganization(tx, parent.organizationId, now)).filter((handshake) => handshake.parentId === parent.id);
}

/** Every invited member still in the organization has approved. */
async function allApproved(tx: Documents, org: OrganizationRecord, parent: HandshakeRecord, now: Date): Promise<boolean> {
  const children = await childrenOf(tx, parent, now);
  return children.every((child) => child.state === 'ACCEPTED' || !(child.recipient.Id in org.accounts));
}

async function requireOrganization(tx: Documents, id: string): Promise<OrganizationRecord> {
  const org = await tx.get<OrganizationRecord>(ORG_COLLECTIONS.organizations, id);
  if (!org) throw invalidHandshakeTransition();
  return org;
}

/** A REQUESTED parent becomes OPEN once everyone has approved. */
async function settleParent(tx: Documents, org: OrganizationRecord, parentId: string, now: Date): Promise<void> {
  const parent = await tx.get<HandshakeRecord>(HANDSHAKE_COLLECTIONS.handshakes, parentId);
  if (!parent || parent.state !== 'REQUESTED' || !isPending(parent, now)) return;
  if (!(await allApproved(tx, org, parent, now))) return;
  parent.state = 'OPEN';
  await saveHandshake(tx, parent);
}

/**
 * What an answer (already recorded on `handshake`) does: accepting the OPEN parent
 * enables all features; a child's approval may open the parent; ending the parent
 * otherwise cancels the children still waiting.
 */
export async function answerAllFeatures(tx: Documents, handshake: HandshakeRecord, now: Date): Promise<void> {
  const org = await requireOrganization(tx, handshake.organizationId);
  if (handshake.action === 'APPROVE_ALL_FEATURES') {
    if (handshake.state === 'ACCEPTED' && handshake.parentId) await settleParent(tx, org, handshake.parentId, now);
    return;
  }
  if (handshake.state === 'ACCEPTED') {
    if (!(await allApproved(tx, org, handshake, now))) throw invalidHandshakeTransition();
    org.featureSet = 'ALL';
    await tx.put(ORG_COLLECTIONS.organizations, org.id, org);
    return;
  }
  await cancelPending(tx, await childrenOf(tx, handshake, now), now);
}

/** An account leaving the organization is no longer asked to approve; the parent may open without it. */
export async function withdrawApproval(tx: Documents, org: OrganizationRecord, accountId: string, now: Date): Promise<void> {
  const sent = await handshakesOfOrganization(tx, org.id, now);
  const approvals = sent.filter((handshake) => handshake.action === 'APPROVE_ALL_FEATURES' && handshake.recipient.Id === accountId);
  await cancelPending(tx, approvals, now);
  // Its approval, given, declined or never given, no longer counts either way.
  for (const approval of approvals) if (approval.parentId) await settleParent(tx, org, approval.parentId, now);
}

export const allFeaturesHandlers = {
  async EnableAllFeatures(_input: object, context: RequestContext) {
    const now = context.now;
    const parent = await context.store.transaction(async (tx) => {
      const org = await callerOrganization(tx, context);
      assertManagementAccount(org, context);
      if (org.featureSet === 'ALL') throw handshakeConstraintViolation('ORGANIZATION_ALREADY_HAS_ALL_FEATURES');
      const sent = await handshakesOfOrganization(tx, org.id, now);
      if (sent.some((handshake) => handshake.action === 'ENABLE_ALL_FEATURES' && isPending(handshake, now))) {
        throw handshakeConstraintViolation('ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION');
      }
      const invited = Object.values(org.accounts).filter((account) => account.joinedMethod === 'INVITED');
      const organizationParty = { Id: org.id, Type: 'ORGANIZATION' as const };
      const parent = newHandshake(
        org,
        {
          action: 'ENABLE_ALL_FEATURES',
          state: invited.length > 0 ? 'REQUESTED' : 'OPEN',
          recipient: { Id: org.managementAccountId, Type: 'ACCOUNT' },
          parties: [organizationParty],
          resources: [{ Type: 'ORGANIZATION', Value: org.id }],
        },
        now,
      );
      await insertHandshake(tx, parent);
      for (const account of invited) {
        const member = { Id: account.id, Type: 'ACCOUNT' as const };
        const child = newHandshake(
          org,
          {
            action: 'APPROVE_ALL_FEATURES',
            state: 'OPEN',
            recipient: member,
            parties: [organizationParty, member],
            resources: [organizationResource(org), { Type: 'ACCOUNT', Value: account.id }, { Type: 'PARENT_HANDSHAKE', Value: parent.id }],
            parentId: parent.id,
          },
          now,
        );
        await insertHandshake(tx, child);
      }
      return parent;
    });
    return { Handshake: handshakeShape(parent, now) };
  },
};
