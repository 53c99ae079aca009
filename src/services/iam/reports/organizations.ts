// The IAM operations that act on the caller's AWS Organizations organization: the
// Organizations access report (management account only) and the centralized root
// access features.
import type { Operations } from '../../../protocol/types/iam.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import { accessDenied, notInUse } from '../../organizations/errors.ts';
import { organizationOf } from '../../organizations/shared.ts';
import type { RequestContext } from '../../service.ts';
import { noSuchEntity } from '../common.ts';
import { pageOf } from './last-accessed.ts';
import { ORGANIZATIONS_ACCESS_JOBS, organizationsAccessJob, sortedDetails, type OrganizationsAccessJob } from './organizations-access.ts';

const NO_ORGANIZATION = 'The request was rejected because no organization is associated with your account.';

function organizationNotFound(): AwsError {
  return new AwsError('OrganizationNotFoundException', NO_ORGANIZATION);
}

function jobKey(context: RequestContext, jobId: string): string {
  return `${context.principal.accountId}/${jobId}`;
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
  async GenerateOrganizationsAccessReport(input, context) {
    const org = await organizationOf(context.store, context.principal.accountId);
    // What Organizations answers an account outside any organization, or a member.
    if (!org) throw notInUse();
    if (org.managementAccountId !== context.principal.accountId) throw accessDenied();
    const job = await organizationsAccessJob(context.store, org, input.EntityPath, input.OrganizationsPolicyId, context.now);
    await context.store.put(ORGANIZATIONS_ACCESS_JOBS, jobKey(context, job.jobId), job);
    return { JobId: job.jobId };
  },
  async GetOrganizationsAccessReport(input, context) {
    const job = await context.store.get<OrganizationsAccessJob>(ORGANIZATIONS_ACCESS_JOBS, jobKey(context, input.JobId));
    if (!job) throw noSuchEntity(`Job ${input.JobId} not found.`);
    const page = pageOf(sortedDetails(job.details, input.SortKey), input);
    const created = new Date(job.createDate);
    return {
      JobStatus: 'COMPLETED',
      JobCreationDate: created,
      JobCompletionDate: created,
      NumberOfServicesAccessible: job.details.length,
      NumberOfServicesNotAccessed: job.details.filter((detail) => detail.LastAuthenticatedTime === undefined).length,
      AccessDetails: page.items,
      IsTruncated: page.IsTruncated,
      ...(page.Marker ? { Marker: page.Marker } : {}),
    };
  },
};
