// Centralized root access for member accounts: IAM's organization features
// (RootCredentialsManagement, RootSessions), which the management account or IAM's
// delegated administrator manages once IAM has trusted access in the organization.
// sts:AssumeRoot needs RootSessions.
import { AwsError } from '../../protocol/errors.ts';
import type { Documents } from '../../store/store.ts';
import { delegatedAdministratorsOf } from '../organizations/delegation.ts';
import type { OrganizationRecord } from '../organizations/records.ts';
import { hasTrustedAccess } from '../organizations/service-access.ts';
import { organizationOf } from '../organizations/shared.ts';

export const IAM_SERVICE_PRINCIPAL = 'iam.amazonaws.com';

export type RootAccessFeature = 'RootCredentialsManagement' | 'RootSessions';

/** ORGID -> { features }: the features enabled for the organization. */
const FEATURES = 'iam.organizations-features';

interface FeaturesRecord {
  features: RootAccessFeature[];
}

const error = (code: string, message: string) => () => new AwsError(code, message);

export const organizationNotFound = error('OrganizationNotFoundException', 'The request was rejected because no organization is associated with your account.');
const notAllFeatures = error(
  'OrganizationNotInAllFeaturesModeException',
  'The request was rejected because your organization does not have All features enabled.',
);
const serviceAccessNotEnabled = error(
  'ServiceAccessNotEnabledException',
  'The request was rejected because trusted access is not enabled for IAM in Organizations.',
);
export const notManagementOrDelegatedAdministrator = error(
  'AccountNotManagementOrDelegatedAdministratorException',
  'The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.',
);
const callerNotManagement = error(
  'CallerIsNotManagementAccountException',
  'The request was rejected because the account making the request is not the management account for the organization.',
);

/** Whether an account is the management account or IAM's delegated administrator. */
export function administersRootAccess(org: OrganizationRecord, accountId: string): boolean {
  if (org.managementAccountId === accountId) return true;
  return delegatedAdministratorsOf(org).some((admin) => admin.accountId === accountId && admin.servicePrincipal === IAM_SERVICE_PRINCIPAL);
}

/**
 * The caller's organization, for an account that may manage centralized root access;
 * AWS's errors otherwise. Enabling a feature is for the management account alone.
 */
export async function rootAccessOrganization(docs: Documents, accountId: string, enabling = false): Promise<OrganizationRecord> {
  const org = await organizationOf(docs, accountId);
  if (!org) throw organizationNotFound();
  if (org.featureSet !== 'ALL') throw notAllFeatures();
  if (enabling && org.managementAccountId !== accountId) throw callerNotManagement();
  if (!administersRootAccess(org, accountId)) throw notManagementOrDelegatedAdministrator();
  if (!hasTrustedAccess(org, IAM_SERVICE_PRINCIPAL)) throw serviceAccessNotEnabled();
  return org;
}

export async function enabledFeatures(docs: Documents, org: OrganizationRecord): Promise<RootAccessFeature[]> {
  return (await docs.get<FeaturesRecord>(FEATURES, org.id))?.features ?? [];
}

/** Turns a feature on or off; the features enabled afterwards, in AWS's order. */
export async function setFeature(docs: Documents, org: OrganizationRecord, feature: RootAccessFeature, enabled: boolean): Promise<RootAccessFeature[]> {
  const current = new Set(await enabledFeatures(docs, org));
  if (enabled) current.add(feature);
  else current.delete(feature);
  const features = (['RootCredentialsManagement', 'RootSessions'] as const).filter((name) => current.has(name));
  await docs.put(FEATURES, org.id, { features } satisfies FeaturesRecord);
  return features;
}
