// Organization trails: a trail of an organization's management account that also logs
// every member account's events, under AWSLogs/<org-id>/<account>/ in its bucket. The
// recorder only queues events for delivery in accounts holding a "logging" marker, so a
// logging organization trail puts its entry (ORG:<management account>/<trail>) in every
// member's marker, refreshed on each delivery tick for accounts that joined since.
// CloudTrail's delegated administrators (delegated-admin.ts) manage organization trails as
// the management account does, which stays their owner.
import { AwsError } from '../../protocol/errors.ts';
import type { Documents, Store } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import type { OrganizationRecord } from '../organizations/records.ts';
import { organizationOf } from '../organizations/shared.ts';
import { hasTrustedAccess } from '../organizations/service-access.ts';
import { LOGGING_ACCOUNTS, loggingMarkersChanged } from './event-store.ts';
import { TRAILS, type TrailRecord } from './trails.ts';

export const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

interface LoggingMarker {
  trails: string[];
}

/** Whether an account is one of CloudTrail's delegated administrators (Organizations keeps the record; delegated-admin.ts). */
export function isCloudTrailDelegatedAdministrator(org: OrganizationRecord, accountId: string): boolean {
  return (org.delegatedAdministrators ?? []).some((admin) => admin.accountId === accountId && admin.servicePrincipal === CLOUDTRAIL_PRINCIPAL);
}

/**
 * The organization of `accountId` where CloudTrail may work across it (all features, trusted
 * access), for a caller who administers it: the management account, and also CloudTrail's
 * delegated administrators when `delegatedAdministrators` says so. `notAllowed` is the
 * operation's own error for anyone else.
 */
export async function cloudTrailOrganization(
  docs: Documents,
  accountId: string,
  delegatedAdministrators: boolean,
  notAllowed: (accountId: string) => AwsError,
): Promise<OrganizationRecord> {
  const org = await organizationOf(docs, accountId);
  if (!org) throw new AwsError('OrganizationsNotInUseException', 'This account is not a member of an organization.');
  const administers = org.managementAccountId === accountId || (delegatedAdministrators && isCloudTrailDelegatedAdministrator(org, accountId));
  if (!administers) throw notAllowed(accountId);
  if (org.featureSet !== 'ALL') {
    throw new AwsError('OrganizationNotInAllFeaturesModeException', 'This operation requires that all features are enabled in the organization.');
  }
  if (!hasTrustedAccess(org, CLOUDTRAIL_PRINCIPAL)) {
    throw new AwsError('CloudTrailAccessNotEnabledException', 'CloudTrail trusted access is not enabled for your organization.');
  }
  return org;
}

const notManagementOrDelegatedAdministrator = (accountId: string) =>
  new AwsError(
    'NotOrganizationMasterAccountException',
    `The account ${accountId} is not the management account or a CloudTrail delegated administrator of an organization.`,
  );

const notManagement = (accountId: string) =>
  new AwsError('NotOrganizationMasterAccountException', `The account ${accountId} is not the management account of an organization.`);

/**
 * The organization an organization trail of the caller would cover, and the account that
 * owns the trail: always the management account, also when a delegated administrator makes
 * it. Only the management account may turn an existing trail into one (`converting`).
 */
export async function organizationForTrail(
  docs: Documents,
  context: RequestContext,
  converting = false,
): Promise<{ organizationId: string; owner: string }> {
  const org = await cloudTrailOrganization(docs, context.principal.accountId, !converting, converting ? notManagement : notManagementOrDelegatedAdministrator);
  return { organizationId: org.id, owner: org.managementAccountId };
}

/** The account whose trail an organization trail made by `accountId` would be: its management account for a delegated administrator. */
export async function organizationTrailOwner(docs: Documents, accountId: string): Promise<string> {
  const org = await organizationOf(docs, accountId);
  return org && isCloudTrailDelegatedAdministrator(org, accountId) ? org.managementAccountId : accountId;
}

/** Whether `accountId` may change the trail: its owner, or for an organization trail a CloudTrail delegated administrator of its organization. */
export async function mayChangeTrail(docs: Documents, trail: TrailRecord, accountId: string): Promise<boolean> {
  if (trail.accountId === accountId) return true;
  if (!trail.isOrganizationTrail) return false;
  const org = await organizationOf(docs, accountId);
  return org !== undefined && org.id === trail.organizationId && isCloudTrailDelegatedAdministrator(org, accountId);
}

function markerEntry(trail: Pick<TrailRecord, 'accountId' | 'name'>): string {
  return `ORG:${trail.accountId}/${trail.name}`;
}

/** Puts the entry in the account's marker; true if it was not there. */
async function addMarker(tx: Documents, accountId: string, entry: string): Promise<boolean> {
  const marker = (await tx.get<LoggingMarker>(LOGGING_ACCOUNTS, accountId)) ?? { trails: [] };
  if (marker.trails.includes(entry)) return false;
  await tx.put(LOGGING_ACCOUNTS, accountId, { trails: [...marker.trails, entry] });
  return true;
}

/**
 * Puts the trail's entry in the marker of every account of its organization while it
 * logs, and takes it out of every marker otherwise (also of accounts that left).
 * Resolves to whether any marker changed.
 */
export async function syncOrganizationMarkers(tx: Documents, trail: TrailRecord, deleted = false): Promise<boolean> {
  const entry = markerEntry(trail);
  const members = trail.isOrganizationTrail && trail.logging && !deleted ? await memberAccounts(tx, trail.accountId) : [];
  let changed = false;
  for (const { key, value } of (await tx.list<LoggingMarker>(LOGGING_ACCOUNTS)).items) {
    if (!value.trails.includes(entry) || members.includes(key)) continue;
    const trails = value.trails.filter((t) => t !== entry);
    if (trails.length === 0) await tx.delete(LOGGING_ACCOUNTS, key);
    else await tx.put(LOGGING_ACCOUNTS, key, { trails });
    changed = true;
  }
  for (const account of members) changed = (await addMarker(tx, account, entry)) || changed;
  return changed;
}

async function memberAccounts(docs: Documents, managementAccountId: string): Promise<string[]> {
  const org = await organizationOf(docs, managementAccountId);
  return org && org.managementAccountId === managementAccountId ? Object.keys(org.accounts) : [];
}

/** Brings every logging organization trail's markers up to date with its organization's members. */
export async function refreshOrganizationMarkers(store: Store): Promise<void> {
  const trails = (await store.list<TrailRecord>(TRAILS)).items.map((i) => i.value).filter((t) => t.isOrganizationTrail && t.logging);
  let changed = false;
  for (const trail of trails) {
    changed = (await store.transaction((tx) => syncOrganizationMarkers(tx, trail))) || changed;
  }
  if (changed) await loggingMarkersChanged(store);
}

/**
 * The organization trails of the management account of `accountId`'s organization, for a
 * member account: they exist in every member account too, to be seen but not changed.
 */
export async function organizationTrailsSeenBy(docs: Documents, accountId: string): Promise<TrailRecord[]> {
  const org = await organizationOf(docs, accountId);
  if (!org || org.managementAccountId === accountId) return [];
  const trails = (await docs.list<TrailRecord>(TRAILS, { prefix: `${org.managementAccountId}/` })).items.map((i) => i.value);
  return trails.filter((t) => t.isOrganizationTrail && t.organizationId === org.id);
}

/** The logging organization trails that deliver `accountId`'s events, other than the account's own trails. */
export async function organizationTrailsOf(store: Store, accountId: string): Promise<TrailRecord[]> {
  return (await organizationTrailsSeenBy(store, accountId)).filter((t) => t.logging);
}
