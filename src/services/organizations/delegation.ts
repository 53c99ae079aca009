// Who besides the management account may use the organization: the delegated
// administrators of any integrated service read it (AWS grants them the Organizations
// read-only actions), and the members that the organization's resource-based delegation
// policy lets in read it and manage its policies. For those members the access
// declarations hand the delegation policy to the authorizer (delegable() and
// delegableChange() in resource-policy.ts), which decides per action.
import type { DelegatedAdministratorRecord, OrganizationRecord, TrustedServiceRecord } from './records.ts';

export function delegatedAdministratorsOf(org: OrganizationRecord): DelegatedAdministratorRecord[] {
  return (org.delegatedAdministrators ??= []);
}

export function trustedServicesOf(org: OrganizationRecord): TrustedServiceRecord[] {
  return (org.trustedServices ??= []);
}

export function isDelegatedAdministrator(org: OrganizationRecord, accountId: string): boolean {
  return (org.delegatedAdministrators ?? []).some((admin) => admin.accountId === accountId);
}

/**
 * Whether an account may call the read-only operations: the management account, a
 * delegated administrator, or any member once there is a delegation policy (the
 * authorizer has then already evaluated the call against it; see delegable()).
 */
export function mayReadOrganization(org: OrganizationRecord, accountId: string): boolean {
  return accountId === org.managementAccountId || isDelegatedAdministrator(org, accountId) || org.resourcePolicy !== undefined;
}

/** Whether an account may manage policies: the management account, or a member once there is a delegation policy. */
export function mayChangePolicies(org: OrganizationRecord, accountId: string): boolean {
  return accountId === org.managementAccountId || org.resourcePolicy !== undefined;
}
