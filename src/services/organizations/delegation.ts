// Who besides the management account may read the organization: the delegated
// administrators of any integrated service (AWS grants them the Organizations read-only
// actions), and the members that the organization's resource-based delegation policy
// lets in. For those members the access declarations hand the delegation policy to the
// authorizer (see delegable() in resource-policy.ts), which decides per action.
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

/** A member that is no delegated administrator reaches the read-only operations only through the delegation policy. */
export function readsThroughDelegationPolicy(org: OrganizationRecord, accountId: string): boolean {
  return org.resourcePolicy !== undefined && accountId !== org.managementAccountId && !isDelegatedAdministrator(org, accountId);
}

/**
 * Whether an account may call the read-only operations. A member allowed only by the
 * delegation policy was authorized against it before the handler runs.
 */
export function mayReadOrganization(org: OrganizationRecord, accountId: string): boolean {
  return accountId === org.managementAccountId || isDelegatedAdministrator(org, accountId) || readsThroughDelegationPolicy(org, accountId);
}
