// AWS Organizations: the organization, its tree of OUs, member accounts (CreateAccount
// makes the account and its OrganizationAccountAccessRole), policies and their
// attachments, and tags. organizationPolicies() (enforcement.ts) gives the policy engine
// the SCPs and RCPs that apply to an account.
import type { OperationHandler, ServiceDefinition } from '../service.ts';
import { organizationsAccess } from './access.ts';
import { accountHandlers } from './accounts.ts';
import { organizationHandlers } from './organization.ts';
import { policyHandlers } from './policies.ts';
import { tagHandlers } from './tags.ts';
import { unitHandlers } from './units.ts';

export { organizationPolicies, type LevelPolicy, type OrganizationPolicies } from './enforcement.ts';

export const organizationsHandlers: Record<string, OperationHandler> = {
  ...organizationHandlers,
  ...unitHandlers,
  ...accountHandlers,
  ...policyHandlers,
  ...tagHandlers,
};

export const organizations: ServiceDefinition = {
  model: 'organizations',
  handlers: organizationsHandlers,
  access: organizationsAccess,
};
