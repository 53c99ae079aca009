// CreateGovCloudAccount. AWS creates a GovCloud (US) account only for a management
// account that is already paired with an account in the AWS GovCloud (US) Region;
// Bulwark has no GovCloud partition, so no management account is, and the call answers
// what AWS answers such an account: MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED.
import type { RequestContext } from '../service.ts';
import { constraintViolation } from './errors.ts';
import { assertManagementAccount, callerOrganization } from './shared.ts';

export const govCloudHandlers = {
  async CreateGovCloudAccount(_input: object, context: RequestContext) {
    const org = await callerOrganization(context.store, context);
    assertManagementAccount(org, context);
    throw constraintViolation('MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED');
  },
};
