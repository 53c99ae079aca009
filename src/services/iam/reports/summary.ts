// GetAccountSummary: IAM's usage counts, counted from the store, and its quotas.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { QUOTAS } from '../identities/shared.ts';
import { COLLECTIONS, entityKey, ROOT_USER_NAME, type ManagedPolicyRecord } from '../records.ts';
import { listAll } from '../identities/shared.ts';
import { countServerCertificates, CREDENTIAL_COLLECTIONS, readMfaDevices } from './credential-sources.ts';
import { readSettings, tokenVersionNumber } from './settings.ts';

/**
 * The quota keys of the SummaryMap, with IAM's default values
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const SUMMARY_QUOTAS = {
  UsersQuota: QUOTAS.UsersPerAccount,
  GroupsQuota: QUOTAS.GroupsPerAccount,
  RolesQuota: QUOTAS.RolesPerAccount,
  InstanceProfilesQuota: QUOTAS.InstanceProfilesPerAccount,
  PoliciesQuota: 1500,
  ServerCertificatesQuota: 20,
  PolicyVersionsInUseQuota: 10000,
  VersionsPerPolicyQuota: 5,
  GroupsPerUserQuota: QUOTAS.GroupsPerUser,
  AccessKeysPerUserQuota: 2,
  SigningCertificatesPerUserQuota: 2,
  AttachedPoliciesPerUserQuota: 10,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  PolicySizeQuota: 6144,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  RolePolicySizeQuota: 10240,
  AssumeRolePolicySizeQuota: 2048,
} as const;

export const summaryHandlers: Handlers<Operations> = {
  async GetAccountSummary(_input, context) {
    const accountId = context.principal.accountId;
    const prefix = `${accountId}/`;
    const store = context.store;
    // The root user's own credentials are kept under ROOT_USER_NAME: only its are read.
    const rootPrefix = `${entityKey(accountId, ROOT_USER_NAME)}/`;
    const [users, groups, roles, instanceProfiles, policies, oidc, saml, serverCertificates, mfaDevices, awsPoliciesInUse, settings, rootKeys, rootProfile, rootCertificates] =
      await Promise.all([
        store.count(COLLECTIONS.users, prefix),
        store.count(COLLECTIONS.groups, prefix),
        store.count(COLLECTIONS.roles, prefix),
        store.count(COLLECTIONS.instanceProfiles, prefix),
        listAll<ManagedPolicyRecord>(store, COLLECTIONS.policies, prefix),
        store.count(COLLECTIONS.oidcProviders, prefix),
        store.count(COLLECTIONS.samlProviders, prefix),
        countServerCertificates(store, accountId),
        readMfaDevices(store, accountId),
        store.count(COLLECTIONS.awsPolicyUsage, prefix),
        readSettings(store, accountId),
        store.count(CREDENTIAL_COLLECTIONS.accessKeys, rootPrefix),
        store.get(CREDENTIAL_COLLECTIONS.loginProfiles, entityKey(accountId, ROOT_USER_NAME)),
        store.count(CREDENTIAL_COLLECTIONS.signingCertificates, rootPrefix),
      ]);
    const present = (yes: boolean) => (yes ? 1 : 0);
    // Every version of a customer managed policy counts, and each AWS managed policy in use.
    const policyVersionsInUse = policies.reduce((sum, { value }) => sum + value.versions.length, 0) + awsPoliciesInUse;
    return {
      SummaryMap: {
        Users: users,
        Groups: groups,
        Roles: roles,
        InstanceProfiles: instanceProfiles,
        Policies: policies.length,
        PolicyVersionsInUse: policyVersionsInUse,
        Providers: oidc + saml,
        ServerCertificates: serverCertificates,
        MFADevices: mfaDevices.length,
        MFADevicesInUse: mfaDevices.filter((device) => device.userName !== undefined).length,
        AccountMFAEnabled: present(mfaDevices.some((device) => device.userName === ROOT_USER_NAME)),
        AccountAccessKeysPresent: present(rootKeys > 0),
        AccountPasswordPresent: present(rootProfile !== undefined),
        AccountSigningCertificatesPresent: present(rootCertificates > 0),
        GlobalEndpointTokenVersion: tokenVersionNumber(settings),
        ...SUMMARY_QUOTAS,
      },
    };
  },
};
