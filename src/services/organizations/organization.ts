// The organization itself: CreateOrganization, DescribeOrganization, DeleteOrganization,
// ListRoots, and enabling or disabling policy types in the root.
import type { Documents } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import {
  alreadyInOrganization,
  constraintViolation,
  organizationNotEmpty,
  policyTypeAlreadyEnabled,
  policyTypeNotAvailable,
  policyTypeNotEnabled,
  rootNotFound,
} from './errors.ts';
import {
  assertManagementAccount,
  callerOrganization,
  findPolicy,
  managedOrganization,
  changeOrganization,
  organizationShape,
  page,
  rootShape,
} from './shared.ts';
import {
  DEFAULT_POLICY_OF_TYPE,
  newOrganizationId,
  newRootId,
  ORG_COLLECTIONS,
  type AccountRecord,
  type OrganizationRecord,
} from './records.ts';
import { forgetStandalone, identityOf, rememberStandalone } from './standalone-accounts.ts';
import { cancelPendingHandshakes } from './handshake-records.ts';
import { hasOngoingTransfer } from './transfer-records.ts';

/** Attaches the AWS managed policy of each enabled type that has one (FullAWSAccess, RCPFullAWSAccess). */
export function attachDefaultPolicies(org: OrganizationRecord, targetId: string): void {
  for (const type of org.enabledPolicyTypes) {
    const policyId = DEFAULT_POLICY_OF_TYPE[type];
    if (policyId) org.attachments.push({ policyId, targetId });
  }
}

/**
 * Makes an account a member of the organization, in its root (the caller saves the
 * organization): the account's entry, the default policies of the enabled types, its
 * membership and email records; what was kept of it as a standalone account goes.
 */
export async function addMember(tx: Documents, org: OrganizationRecord, account: Omit<AccountRecord, 'parentId'>): Promise<void> {
  org.accounts[account.id] = { ...account, parentId: org.rootId };
  attachDefaultPolicies(org, account.id);
  await tx.put(ORG_COLLECTIONS.members, account.id, { organizationId: org.id });
  await tx.put(ORG_COLLECTIONS.emails, account.email.toLowerCase(), { accountId: account.id });
  await forgetStandalone(tx, account.id);
}

function allTargets(org: OrganizationRecord): string[] {
  return [org.rootId, ...Object.keys(org.units), ...Object.keys(org.accounts)];
}

export const organizationHandlers = {
  async CreateOrganization(input: { FeatureSet?: 'ALL' | 'CONSOLIDATED_BILLING' }, context: RequestContext) {
    const accountId = context.principal.accountId;
    const org = await context.store.transaction(async (tx) => {
      if (await tx.get(ORG_COLLECTIONS.members, accountId)) throw alreadyInOrganization();
      // An account that was in an organization before keeps its name and email.
      const { name, email } = await identityOf(tx, accountId);
      const org: OrganizationRecord = {
        id: newOrganizationId(),
        featureSet: input.FeatureSet ?? 'ALL',
        managementAccountId: accountId,
        managementAccountEmail: email,
        rootId: newRootId(),
        rootTags: [],
        enabledPolicyTypes: [],
        units: {},
        accounts: {},
        policies: {},
        attachments: [],
        createAccountStatuses: {},
      };
      const joinedTimestamp = context.now.toISOString();
      await addMember(tx, org, { id: accountId, name, email, joinedMethod: 'CREATED', joinedTimestamp, tags: [] });
      await tx.put(ORG_COLLECTIONS.organizations, org.id, org);
      return org;
    });
    return { Organization: organizationShape(org) };
  },

  /** Any account of the organization may describe it. */
  async DescribeOrganization(_input: object, context: RequestContext) {
    return { Organization: organizationShape(await callerOrganization(context.store, context)) };
  },

  /** Only an organization with no member accounts left can be deleted. */
  async DeleteOrganization(_input: object, context: RequestContext) {
    await context.store.transaction(async (tx) => {
      const org = await callerOrganization(tx, context);
      assertManagementAccount(org, context);
      if (Object.keys(org.accounts).length > 1) throw organizationNotEmpty();
      if (await hasOngoingTransfer(tx, org, context.now)) throw constraintViolation('ACTIVE_RESPONSIBILITY_TRANSFER_PROCESS');
      await cancelPendingHandshakes(tx, org.id, context.now);
      await tx.delete(ORG_COLLECTIONS.organizations, org.id);
      await tx.delete(ORG_COLLECTIONS.members, org.managementAccountId);
      await rememberStandalone(tx, org.accounts[org.managementAccountId]!);
    });
    return {};
  },

  async ListRoots(input: { NextToken?: string; MaxResults?: number }, context: RequestContext) {
    const org = await managedOrganization(context);
    const { items, NextToken } = page([rootShape(org)], input);
    return { Roots: items, ...(NextToken ? { NextToken } : {}) };
  },

  async EnablePolicyType(input: { RootId: string; PolicyType: string }, context: RequestContext) {
    return changeOrganization(context, (org) => {
      if (input.RootId !== org.rootId) throw rootNotFound();
      if (org.featureSet !== 'ALL') throw policyTypeNotAvailable();
      if (org.enabledPolicyTypes.includes(input.PolicyType)) throw policyTypeAlreadyEnabled();
      org.enabledPolicyTypes.push(input.PolicyType);
      const policyId = DEFAULT_POLICY_OF_TYPE[input.PolicyType];
      if (policyId) for (const targetId of allTargets(org)) org.attachments.push({ policyId, targetId });
      return { Root: rootShape(org) };
    });
  },

  /** Disabling a type detaches every policy of that type from every target. */
  async DisablePolicyType(input: { RootId: string; PolicyType: string }, context: RequestContext) {
    return changeOrganization(context, (org) => {
      if (input.RootId !== org.rootId) throw rootNotFound();
      if (!org.enabledPolicyTypes.includes(input.PolicyType)) throw policyTypeNotEnabled();
      org.enabledPolicyTypes = org.enabledPolicyTypes.filter((type) => type !== input.PolicyType);
      org.attachments = org.attachments.filter((attachment) => findPolicy(org, attachment.policyId)?.type !== input.PolicyType);
      return { Root: rootShape(org) };
    });
  },
};
