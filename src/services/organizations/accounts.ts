// Member accounts: CreateAccount (with its request status), DescribeAccount,
// ListAccounts, ListAccountsForParent and MoveAccount.
//
// CreateAccount is asynchronous on AWS. Bulwark makes the account at once but answers
// the call itself with IN_PROGRESS, as AWS does; DescribeCreateAccountStatus then reports
// SUCCEEDED (or FAILED with EMAIL_ALREADY_EXISTS).
import { rootPrincipal } from '../../auth/principal.ts';
import { attachPolicy } from '../iam/policies/attachments.ts';
import { createRoleRecord, DEFAULT_MAX_SESSION_DURATION } from '../iam/identities/roles.ts';
import { createServiceLinkedRole, LINKED_SERVICES } from '../iam/identities/service-linked-roles.ts';
import { COLLECTIONS, entityKey } from '../iam/records.ts';
import type { RequestContext } from '../service.ts';
import {
  accountNotFound,
  createAccountStatusNotFound,
  destinationParentNotFound,
  duplicateAccount,
  sourceParentNotFound,
} from './errors.ts';
import { addMember } from './organization.ts';
import {
  newAccountId,
  newCreateAccountRequestId,
  ORG_COLLECTIONS,
  ORGANIZATIONS_SERVICE_PRINCIPAL,
  type CreateAccountStatusRecord,
  type OrganizationRecord,
  type Tag,
} from './records.ts';
import { accountShape, changeOrganization, managedOrganization, page, requireParent } from './shared.ts';
import { childrenOf } from './units.ts';

/** The role CreateAccount makes in the new account unless RoleName says otherwise. */
export const DEFAULT_ACCESS_ROLE = 'OrganizationAccountAccessRole';
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

interface PageInput {
  NextToken?: string;
  MaxResults?: number;
}

function statusShape(status: CreateAccountStatusRecord) {
  return {
    Id: status.id,
    AccountName: status.accountName,
    State: status.state,
    RequestedTimestamp: new Date(status.requestedTimestamp),
    ...(status.completedTimestamp ? { CompletedTimestamp: new Date(status.completedTimestamp) } : {}),
    ...(status.accountId ? { AccountId: status.accountId } : {}),
    ...(status.failureReason ? { FailureReason: status.failureReason } : {}),
  };
}

export function requireAccount(org: OrganizationRecord, accountId: string) {
  const account = org.accounts[accountId];
  if (!account) throw accountNotFound();
  return account;
}

/** The role the management account assumes to administer the member: AdministratorAccess, trusting the management account. */
async function createAccessRole(context: RequestContext, accountId: string, managementAccountId: string, roleName: string): Promise<void> {
  const memberContext: RequestContext = { ...context, principal: rootPrincipal(accountId) };
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
  };
  await createRoleRecord(memberContext, {
    roleName,
    path: '/',
    assumeRolePolicyDocument: JSON.stringify(trust),
    description: undefined,
    maxSessionDuration: DEFAULT_MAX_SESSION_DURATION,
    tags: [],
  });
  await attachPolicy(memberContext, 'role', roleName, { PolicyArn: ADMINISTRATOR_ACCESS });
}

/**
 * Organizations' service-linked role in a member account of an organization with all
 * features (made when the account is created or accepts an invitation), unless there.
 */
export async function ensureServiceLinkedRole(context: RequestContext, accountId: string): Promise<void> {
  const roleName = LINKED_SERVICES[ORGANIZATIONS_SERVICE_PRINCIPAL]!.roleName;
  if (await context.store.get(COLLECTIONS.roles, entityKey(accountId, roleName))) return;
  await createServiceLinkedRole({ ...context, principal: rootPrincipal(accountId) }, ORGANIZATIONS_SERVICE_PRINCIPAL);
}

export const accountHandlers = {
  async CreateAccount(input: { Email: string; AccountName: string; RoleName?: string; Tags?: Tag[] }, context: RequestContext) {
    const requestedTimestamp = context.now.toISOString();
    const status: CreateAccountStatusRecord = {
      id: newCreateAccountRequestId(),
      accountName: input.AccountName,
      state: 'SUCCEEDED',
      requestedTimestamp,
      completedTimestamp: requestedTimestamp,
    };
    const created = await changeOrganization(context, async (org, tx) => {
      const emailKey = input.Email.toLowerCase();
      if (await tx.get(ORG_COLLECTIONS.emails, emailKey)) {
        Object.assign(status, { state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' });
        org.createAccountStatuses[status.id] = status;
        return undefined;
      }
      let accountId = newAccountId();
      while (accountId in org.accounts || (await tx.get(ORG_COLLECTIONS.members, accountId))) accountId = newAccountId();
      await addMember(tx, org, {
        id: accountId,
        name: input.AccountName,
        email: input.Email,
        joinedMethod: 'CREATED',
        joinedTimestamp: requestedTimestamp,
        tags: input.Tags ?? [],
      });
      status.accountId = accountId;
      org.createAccountStatuses[status.id] = status;
      return { accountId, managementAccountId: org.managementAccountId, allFeatures: org.featureSet === 'ALL' };
    });
    if (created) {
      await createAccessRole(context, created.accountId, created.managementAccountId, input.RoleName ?? DEFAULT_ACCESS_ROLE);
      if (created.allFeatures) await ensureServiceLinkedRole(context, created.accountId);
    }
    // The call itself reports the request as AWS does: still in progress, no account id yet.
    return { CreateAccountStatus: { Id: status.id, AccountName: status.accountName, State: 'IN_PROGRESS', RequestedTimestamp: new Date(requestedTimestamp) } };
  },

  async DescribeCreateAccountStatus(input: { CreateAccountRequestId: string }, context: RequestContext) {
    const org = await managedOrganization(context);
    const status = org.createAccountStatuses[input.CreateAccountRequestId];
    if (!status) throw createAccountStatusNotFound();
    return { CreateAccountStatus: statusShape(status) };
  },

  async ListCreateAccountStatus(input: { States?: string[] } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    const statuses = Object.values(org.createAccountStatuses).filter((status) => !input.States || input.States.includes(status.state));
    const { items, NextToken } = page(statuses, input);
    return { CreateAccountStatuses: items.map(statusShape), ...(NextToken ? { NextToken } : {}) };
  },

  async DescribeAccount(input: { AccountId: string }, context: RequestContext) {
    const org = await managedOrganization(context);
    return { Account: accountShape(org, requireAccount(org, input.AccountId), context.now) };
  },

  async ListAccounts(input: PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    const { items, NextToken } = page(Object.values(org.accounts), input);
    return { Accounts: items.map((account) => accountShape(org, account, context.now)), ...(NextToken ? { NextToken } : {}) };
  },

  async ListAccountsForParent(input: { ParentId: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    requireParent(org, input.ParentId);
    const { items, NextToken } = page(childrenOf(org, input.ParentId, 'ACCOUNT'), input);
    return { Accounts: items.map((id) => accountShape(org, org.accounts[id]!, context.now)), ...(NextToken ? { NextToken } : {}) };
  },

  async MoveAccount(input: { AccountId: string; SourceParentId: string; DestinationParentId: string }, context: RequestContext) {
    await changeOrganization(context, (org) => {
      const account = requireAccount(org, input.AccountId);
      requireParent(org, input.SourceParentId, sourceParentNotFound);
      requireParent(org, input.DestinationParentId, destinationParentNotFound);
      if (account.parentId === input.DestinationParentId) throw duplicateAccount();
      if (account.parentId !== input.SourceParentId) throw sourceParentNotFound();
      account.parentId = input.DestinationParentId;
    });
    return {};
  },
};
