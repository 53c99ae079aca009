// How member accounts leave: RemoveAccountFromOrganization (by the management account),
// LeaveOrganization (by the member itself) and CloseAccount.
//
// A departing account becomes standalone: it leaves the tree with its policy attachments
// and tags, so no SCP or RCP applies to it any more (enforcement.ts reads membership),
// and it keeps its name and email. A closed account stays in the organization,
// PENDING_CLOSURE and then SUSPENDED (accountStatus in shared.ts).
import type { Documents } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import { withdrawApproval } from './all-features.ts';
import { requireAccount } from './accounts.ts';
import { isDelegatedAdministrator } from './delegation.ts';
import { accountAlreadyClosed, constraintViolation, managementCannotLeave } from './errors.ts';
import { ORG_COLLECTIONS, type AccountRecord, type OrganizationRecord } from './records.ts';
import { changeAsMember, changeOrganization } from './shared.ts';
import { rememberStandalone } from './standalone-accounts.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A created account can leave four days after it was created; invited accounts at once. */
export const CREATED_ACCOUNT_WAIT_MS = 4 * DAY_MS;
/** AWS counts closures over a rolling 30 days. */
export const CLOSURE_WINDOW_MS = 30 * DAY_MS;

/** AWS's quota of closures in 30 days: the higher of 250 and 20% of the member accounts, at most 1,000. */
export function closureQuota(memberAccounts: number): number {
  return Math.min(1000, Math.max(250, Math.floor(memberAccounts * 0.2)));
}

function assertMayDepart(org: OrganizationRecord, account: AccountRecord, now: Date): void {
  if (account.id === org.managementAccountId) throw managementCannotLeave();
  if (account.joinedMethod === 'CREATED' && now.getTime() - Date.parse(account.joinedTimestamp) < CREATED_ACCOUNT_WAIT_MS) {
    throw constraintViolation('WAIT_PERIOD_ACTIVE');
  }
  if (isDelegatedAdministrator(org, account.id)) {
    throw constraintViolation('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG');
  }
}

/** Takes the account out of the organization (the caller writes `org`). */
async function depart(tx: Documents, org: OrganizationRecord, account: AccountRecord, now: Date): Promise<void> {
  assertMayDepart(org, account, now);
  delete org.accounts[account.id];
  org.attachments = org.attachments.filter((attachment) => attachment.targetId !== account.id);
  await tx.delete(ORG_COLLECTIONS.members, account.id);
  await rememberStandalone(tx, account);
  await withdrawApproval(tx, org, account.id, now);
}

export const accountLifecycleHandlers = {
  async RemoveAccountFromOrganization(input: { AccountId: string }, context: RequestContext) {
    await changeOrganization(context, async (org, tx) => {
      await depart(tx, org, requireAccount(org, input.AccountId), context.now);
    });
    return {};
  },

  async LeaveOrganization(_input: object, context: RequestContext) {
    await changeAsMember(context, (org, tx) => depart(tx, org, requireAccount(org, context.principal.accountId), context.now));
    return {};
  },

  /** Only in an organization with all features; never the management account; within AWS's 30-day quota. */
  async CloseAccount(input: { AccountId: string }, context: RequestContext) {
    const now = context.now;
    await changeOrganization(context, (org) => {
      if (org.featureSet !== 'ALL') throw constraintViolation('ORGANIZATION_NOT_IN_ALL_FEATURES_MODE');
      if (input.AccountId === org.managementAccountId) throw constraintViolation('CANNOT_CLOSE_MANAGEMENT_ACCOUNT');
      const account = requireAccount(org, input.AccountId);
      if (account.closureRequestedTimestamp) throw accountAlreadyClosed();
      const recent = (org.closures ?? []).filter((closedAt) => now.getTime() - Date.parse(closedAt) < CLOSURE_WINDOW_MS);
      if (recent.length >= closureQuota(Object.keys(org.accounts).length - 1)) throw constraintViolation('CLOSE_ACCOUNT_QUOTA_EXCEEDED');
      account.closureRequestedTimestamp = now.toISOString();
      org.closures = [...recent, account.closureRequestedTimestamp];
    });
    return {};
  },
};
