// Delegated administrators: RegisterDelegatedAdministrator,
// DeregisterDelegatedAdministrator, ListDelegatedAdministrators and
// ListDelegatedServicesForAccount. A member account (never the management account)
// becomes the administrator of an integrated service that has trusted access, up to
// the service's number of administrators (not a suspended one); it then may call the
// read-only operations.
import type { RequestContext } from '../service.ts';
import { requireAccount } from './accounts.ts';
import { delegatedAdministratorsOf } from './delegation.ts';
import { accountAlreadyRegistered, accountNotRegistered, constraintViolation, invalidInput } from './errors.ts';
import type { AccountRecord, DelegatedAdministratorRecord, OrganizationRecord } from './records.ts';
import { hasTrustedAccess } from './service-access.ts';
import { requireIntegratedService } from './service-principals.ts';
import { accountShape, accountStatus, changeOrganization, managedOrganization, page } from './shared.ts';

interface PageInput {
  NextToken?: string;
  MaxResults?: number;
}

interface AccountAndService {
  AccountId: string;
  ServicePrincipal: string;
}

function registrationsOf(org: OrganizationRecord, accountId: string): DelegatedAdministratorRecord[] {
  return delegatedAdministratorsOf(org).filter((admin) => admin.accountId === accountId);
}

function assertRoomForAdministrator(org: OrganizationRecord, servicePrincipal: string, max: number): void {
  const registered = delegatedAdministratorsOf(org).filter((admin) => admin.servicePrincipal === servicePrincipal).length;
  if (registered < max) return;
  throw constraintViolation(max === 1 ? 'DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE' : 'MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED');
}

/** A DelegatedAdministrator: the account's shape (without Paths) and when it first became one. */
function delegatedAdministratorShape(org: OrganizationRecord, account: AccountRecord, delegationEnabledDate: string, now: Date) {
  const { Paths: _paths, ...shape } = accountShape(org, account, now);
  return { ...shape, DelegationEnabledDate: new Date(delegationEnabledDate) };
}

export const delegatedAdminHandlers = {
  async RegisterDelegatedAdministrator(input: AccountAndService, context: RequestContext) {
    const service = requireIntegratedService(input.ServicePrincipal);
    if (service.maxDelegatedAdministrators === 0) {
      throw invalidInput('UNRECOGNIZED_SERVICE_PRINCIPAL', "You specified a service principal that isn't recognized.");
    }
    await changeOrganization(context, (org) => {
      const account = requireAccount(org, input.AccountId);
      if (input.AccountId === org.managementAccountId) throw constraintViolation('CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR');
      if (accountStatus(account, context.now) === 'SUSPENDED') throw constraintViolation('CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR');
      if (!hasTrustedAccess(org, input.ServicePrincipal)) throw constraintViolation('SERVICE_ACCESS_NOT_ENABLED');
      if (registrationsOf(org, input.AccountId).some((admin) => admin.servicePrincipal === input.ServicePrincipal)) {
        throw accountAlreadyRegistered();
      }
      assertRoomForAdministrator(org, input.ServicePrincipal, service.maxDelegatedAdministrators);
      delegatedAdministratorsOf(org).push({
        accountId: input.AccountId,
        servicePrincipal: input.ServicePrincipal,
        delegationEnabledDate: context.now.toISOString(),
      });
    });
    return {};
  },

  /** Deregistering an account's last service also ends its read access to the organization. */
  async DeregisterDelegatedAdministrator(input: AccountAndService, context: RequestContext) {
    requireIntegratedService(input.ServicePrincipal);
    await changeOrganization(context, (org) => {
      requireAccount(org, input.AccountId);
      const isRegistered = (admin: DelegatedAdministratorRecord) =>
        admin.accountId === input.AccountId && admin.servicePrincipal === input.ServicePrincipal;
      if (!delegatedAdministratorsOf(org).some(isRegistered)) throw accountNotRegistered();
      org.delegatedAdministrators = delegatedAdministratorsOf(org).filter((admin) => !isRegistered(admin));
    });
    return {};
  },

  /** Each account once, with the date it first became a delegated administrator (of the service asked about). */
  async ListDelegatedAdministrators(input: { ServicePrincipal?: string } & PageInput, context: RequestContext) {
    if (input.ServicePrincipal !== undefined) requireIntegratedService(input.ServicePrincipal);
    const org = await managedOrganization(context);
    const firstDates = new Map<string, string>();
    for (const admin of delegatedAdministratorsOf(org)) {
      if (input.ServicePrincipal !== undefined && admin.servicePrincipal !== input.ServicePrincipal) continue;
      if (!firstDates.has(admin.accountId) && org.accounts[admin.accountId]) firstDates.set(admin.accountId, admin.delegationEnabledDate);
    }
    const { items, NextToken } = page([...firstDates], input);
    return {
      DelegatedAdministrators: items.map(([accountId, date]) => delegatedAdministratorShape(org, org.accounts[accountId]!, date, context.now)),
      ...(NextToken ? { NextToken } : {}),
    };
  },

  async ListDelegatedServicesForAccount(input: { AccountId: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    requireAccount(org, input.AccountId);
    const registrations = registrationsOf(org, input.AccountId);
    if (registrations.length === 0) throw accountNotRegistered();
    const { items, NextToken } = page(registrations, input);
    return {
      DelegatedServices: items.map((admin) => ({
        ServicePrincipal: admin.servicePrincipal,
        DelegationEnabledDate: new Date(admin.delegationEnabledDate),
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  },
};
