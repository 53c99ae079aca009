// AWS Organizations: the organization, its tree of OUs, member accounts (CreateAccount
// makes the account and its OrganizationAccountAccessRole), policies and their
// attachments, and tags; handshakes (invitations, enabling all features); removing,
// leaving and closing accounts; trusted service access, delegated administrators,
// effective management policies, the resource-based delegation policy and billing
// responsibility transfers. organizationPolicies() (enforcement.ts) gives the policy
// engine the SCPs and RCPs that apply to an account.
import type { OperationHandler, ServiceDefinition } from '../service.ts';
import { organizationsAccess } from './access.ts';
import { accountLifecycleHandlers } from './account-lifecycle.ts';
import { accountHandlers } from './accounts.ts';
import { allFeaturesHandlers } from './all-features.ts';
import { delegatedAdminHandlers } from './delegated-admins.ts';
import { effectivePolicyHandlers } from './effective-policy.ts';
import { govCloudHandlers } from './govcloud.ts';
import { handshakeHandlers } from './handshakes.ts';
import { organizationHandlers } from './organization.ts';
import { policyHandlers } from './policies.ts';
import { resourcePolicyHandlers } from './resource-policy.ts';
import { responsibilityTransferHandlers } from './responsibility-transfers.ts';
import { serviceAccessHandlers } from './service-access.ts';
import { tagHandlers } from './tags.ts';
import { unitHandlers } from './units.ts';

export { organizationPolicies, type LevelPolicy, type OrganizationPolicies } from './enforcement.ts';

export const organizationsHandlers: Record<string, OperationHandler> = {
  ...organizationHandlers,
  ...unitHandlers,
  ...accountHandlers,
  ...policyHandlers,
  ...tagHandlers,
  ...serviceAccessHandlers,
  ...delegatedAdminHandlers,
  ...effectivePolicyHandlers,
  ...resourcePolicyHandlers,
  ...govCloudHandlers,
  ...responsibilityTransferHandlers,
  ...handshakeHandlers,
  ...allFeaturesHandlers,
  ...accountLifecycleHandlers,
};

export const organizations: ServiceDefinition = {
  model: 'organizations',
  handlers: organizationsHandlers,
  access: organizationsAccess,
};
