// The IAM operations that act on an AWS Organizations organization. Bulwark has no
// Organizations service yet, so every account is outside any organization and these
// answer as AWS does for such an account.
import type { Operations } from '../../../protocol/types/iam.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import { noSuchEntity } from '../common.ts';

const NO_ORGANIZATION = 'The request was rejected because no organization is associated with your account.';

function organizationNotFound(): AwsError {
  return new AwsError('OrganizationNotFoundException', NO_ORGANIZATION);
}

export const organizationsHandlers: Handlers<Operations> = {
  ListOrganizationsFeatures() {
    throw organizationNotFound();
  },
  EnableOrganizationsRootCredentialsManagement() {
    throw organizationNotFound();
  },
  DisableOrganizationsRootCredentialsManagement() {
    throw organizationNotFound();
  },
  EnableOrganizationsRootSessions() {
    throw organizationNotFound();
  },
  DisableOrganizationsRootSessions() {
    throw organizationNotFound();
  },
  GenerateOrganizationsAccessReport() {
    // What Organizations answers an account that belongs to no organization.
    throw new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  },
  GetOrganizationsAccessReport(input) {
    // No report can have been generated, so no job id exists.
    throw noSuchEntity(`Job ${input.JobId} not found.`);
  },
};
