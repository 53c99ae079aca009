// The IAM operations that act on the caller's AWS Organizations organization: the
// Organizations access report (management account only) and the centralized root
// access features.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { assertManagementAccount, callerOrganization } from '../../organizations/shared.ts';
import type { RequestContext } from '../../service.ts';
import { noSuchEntity } from '../common.ts';
import { enabledFeatures, rootAccessOrganization, setFeature, type RootAccessFeature } from '../root-access.ts';
import { pageOf } from './last-accessed.ts';
import { ORGANIZATIONS_ACCESS_JOBS, organizationsAccessJob, sortedDetails, type OrganizationsAccessJob } from './organizations-access.ts';

async function changeFeature(context: RequestContext, feature: RootAccessFeature, enabled: boolean) {
  const org = await rootAccessOrganization(context.store, context.principal.accountId, enabled);
  return { OrganizationId: org.id, EnabledFeatures: await setFeature(context.store, org, feature, enabled) };
}

function jobKey(context: RequestContext, jobId: string): string {
  return `${context.principal.accountId}/${jobId}`;
}

export const organizationsHandlers: Handlers<Operations> = {
  async ListOrganizationsFeatures(_input, context) {
    const org = await rootAccessOrganization(context.store, context.principal.accountId);
    return { OrganizationId: org.id, EnabledFeatures: await enabledFeatures(context.store, org) };
  },
  EnableOrganizationsRootCredentialsManagement: (_input, context) => changeFeature(context, 'RootCredentialsManagement', true),
  DisableOrganizationsRootCredentialsManagement: (_input, context) => changeFeature(context, 'RootCredentialsManagement', false),
  EnableOrganizationsRootSessions: (_input, context) => changeFeature(context, 'RootSessions', true),
  DisableOrganizationsRootSessions: (_input, context) => changeFeature(context, 'RootSessions', false),
  async GenerateOrganizationsAccessReport(input, context) {
    // What Organizations answers an account outside any organization, or a member.
    const org = await callerOrganization(context.store, context);
    assertManagementAccount(org, context);
    const job = await organizationsAccessJob(context.store, org, input.EntityPath, input.OrganizationsPolicyId, context.now);
    await context.store.put(ORGANIZATIONS_ACCESS_JOBS, jobKey(context, job.jobId), job);
    return { JobId: job.jobId };
  },
  async GetOrganizationsAccessReport(input, context) {
    const job = await context.store.get<OrganizationsAccessJob>(ORGANIZATIONS_ACCESS_JOBS, jobKey(context, input.JobId));
    if (!job) throw noSuchEntity(`Job ${input.JobId} not found.`);
    const created = new Date(job.createDate);
    if (job.failure) return { JobStatus: 'FAILED', JobCreationDate: created, JobCompletionDate: created, ErrorDetails: job.failure };
    const page = pageOf(sortedDetails(job.details, input.SortKey), input);
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
