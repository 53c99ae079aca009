// IAM account reports: the account summary and authorization details, the credential
// report, service last accessed data, account settings (STS token version, outbound
// web identity federation) and the Organizations-related operations. One handler table
// for the IAM service to merge; the pieces live in ./reports/.
import type { Operations } from '../../protocol/types/iam.ts';
import type { Handlers } from '../handlers.ts';
import { authorizationDetailsHandlers } from './reports/authorization-details.ts';
import { credentialReportHandlers } from './reports/credential-report.ts';
import { lastAccessedHandlers } from './reports/last-accessed.ts';
import { organizationsHandlers } from './reports/organizations.ts';
import { settingsHandlers } from './reports/settings.ts';
import { summaryHandlers } from './reports/summary.ts';

export const reportHandlers: Handlers<Operations> = {
  ...summaryHandlers,
  ...authorizationDetailsHandlers,
  ...credentialReportHandlers,
  ...lastAccessedHandlers,
  ...settingsHandlers,
  ...organizationsHandlers,
};

export { recordServiceAccess, type ServiceAccess } from './reports/last-accessed.ts';
export { buildCredentialReport, CREDENTIAL_REPORT_COLUMNS } from './reports/credential-report.ts';
export { CREDENTIAL_COLLECTIONS } from './reports/credential-sources.ts';
