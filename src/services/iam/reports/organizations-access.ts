// IAM's Organizations access report: for a root, OU or account of the caller's
// organization, every service the SCPs that apply there allow (or that one SCP
// allows), with when principals of the accounts below it last used each service, from
// the service last accessed data the server records for every allowed request.
import { randomUUID } from 'node:crypto';
import { listServices, serviceName } from '../../../policy/catalog.ts';
import type { AccessDetail, sortKeyType } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import { policyLevels, policyTypeEnabled } from '../../organizations/enforcement.ts';
import type { OrganizationRecord } from '../../organizations/records.ts';
import { findPolicy, lineage, pathOf } from '../../organizations/shared.ts';
import { invalidInput } from '../common.ts';
import { listAll } from '../identities/shared.ts';
import { COLLECTIONS, type ServiceAccessRecord } from '../records.ts';
import { allowedServices } from './last-accessed.ts';

/** ACCOUNT/JOBID -> OrganizationsAccessJob. */
export const ORGANIZATIONS_ACCESS_JOBS = 'iam.organizations-access-jobs';

/** An AccessDetail as stored: the time as ISO text. */
export type StoredAccessDetail = Omit<AccessDetail, 'LastAuthenticatedTime'> & { LastAuthenticatedTime?: string };

export interface OrganizationsAccessJob {
  jobId: string;
  createDate: string;
  details: StoredAccessDetail[];
  /** Why the job failed (JobStatus FAILED, ErrorDetails). */
  failure?: { Code: string; Message: string };
}

const SCP = 'SERVICE_CONTROL_POLICY';

/** The root, OU or account an EntityPath (o-.../r-.../ou-.../ACCOUNT) names; InvalidInput when it is not in this organization. */
export function entityOfPath(org: OrganizationRecord, entityPath: string): string {
  const [orgId, rootId, ...below] = entityPath.replace(/\/$/, '').split('/');
  const invalid = () => invalidInput(`The entity path ${entityPath} does not name a root, organizational unit or account of your organization.`);
  if (orgId !== org.id || rootId !== org.rootId) throw invalid();
  let entity = org.rootId;
  for (const id of below) {
    const node = org.units[id] ?? org.accounts[id];
    if (!node || node.parentId !== entity) throw invalid();
    entity = id;
  }
  return entity;
}

/** The services every level's SCPs allow at `entity` (all services where SCPs do not apply), or those one SCP allows. */
async function servicesAllowed(org: OrganizationRecord, entity: string, policyId: string | undefined): Promise<string[]> {
  if (policyId !== undefined) {
    const policy = findPolicy(org, policyId);
    if (policy?.type !== SCP) throw invalidInput(`The policy ${policyId} is not a service control policy of your organization.`);
    return [...(await allowedServices([policy.content]))];
  }
  // SCPs do not apply to the management account: every service is open to it.
  if (entity === org.managementAccountId) return listServices();
  let allowed: Set<string> | undefined;
  for (const level of policyLevels(org, entity, SCP)) {
    const services = await allowedServices(level.map((policy) => policy.document));
    allowed = allowed ? new Set([...allowed].filter((service) => services.has(service))) : services;
  }
  return [...(allowed ?? [])];
}

function accountsUnder(org: OrganizationRecord, entity: string): string[] {
  return Object.keys(org.accounts).filter((accountId) => lineage(org, accountId).includes(entity));
}

/** The path of an account, as AccessDetail's EntityPath gives it (no trailing slash). */
function accountPath(org: OrganizationRecord, accountId: string): string {
  return pathOf(org, accountId).replace(/\/$/, '');
}

/** Runs the report now (Bulwark's jobs complete at once). */
export async function organizationsAccessJob(
  docs: Documents,
  org: OrganizationRecord,
  entityPath: string,
  policyId: string | undefined,
  now: Date,
): Promise<OrganizationsAccessJob> {
  const entity = entityOfPath(org, entityPath);
  const job = { jobId: randomUUID(), createDate: now.toISOString() };
  // AWS reports on SCPs only where they are enabled in the root.
  if (!policyTypeEnabled(org, SCP)) {
    return { ...job, details: [], failure: { Code: 'PolicyTypeNotEnabledException', Message: 'Service control policies must be enabled for your organization root.' } };
  }
  const accounts = accountsUnder(org, entity);
  const [services, uses] = await Promise.all([
    servicesAllowed(org, entity, policyId),
    Promise.all(
      accounts.map(async (accountId) =>
        (await listAll<ServiceAccessRecord>(docs, COLLECTIONS.serviceAccess, `${accountId}/`)).map(({ value }) => ({ accountId, use: value })),
      ),
    ),
  ]);
  const byService = Map.groupBy(uses.flat(), ({ use }) => use.serviceNamespace);
  const details: StoredAccessDetail[] = [];
  for (const namespace of services.sort()) {
    const detail: StoredAccessDetail = { ServiceName: (await serviceName(namespace)) ?? namespace, ServiceNamespace: namespace };
    const serviceUses = byService.get(namespace) ?? [];
    const latest = serviceUses.reduce<(typeof serviceUses)[number] | undefined>((a, b) => (!a || b.use.date > a.use.date ? b : a), undefined);
    if (latest) {
      detail.Region = latest.use.region;
      detail.EntityPath = accountPath(org, latest.accountId);
      detail.LastAuthenticatedTime = latest.use.date;
    }
    detail.TotalAuthenticatedEntities = new Set(serviceUses.map(({ accountId }) => accountId)).size;
    details.push(detail);
  }
  return { ...job, details };
}

/** The report's details in the order GetOrganizationsAccessReport's SortKey asks for. */
export function sortedDetails(details: readonly StoredAccessDetail[], sortKey: sortKeyType | undefined): AccessDetail[] {
  const byTime = (a: StoredAccessDetail, b: StoredAccessDetail) => (a.LastAuthenticatedTime ?? '').localeCompare(b.LastAuthenticatedTime ?? '');
  const byNamespace = (a: StoredAccessDetail, b: StoredAccessDetail) => a.ServiceNamespace.localeCompare(b.ServiceNamespace);
  const order = {
    SERVICE_NAMESPACE_ASCENDING: byNamespace,
    SERVICE_NAMESPACE_DESCENDING: (a: StoredAccessDetail, b: StoredAccessDetail) => byNamespace(b, a),
    LAST_AUTHENTICATED_TIME_ASCENDING: byTime,
    LAST_AUTHENTICATED_TIME_DESCENDING: (a: StoredAccessDetail, b: StoredAccessDetail) => byTime(b, a),
  }[sortKey ?? 'SERVICE_NAMESPACE_ASCENDING'];
  return [...details].sort(order).map(({ LastAuthenticatedTime, ...detail }) => ({
    ...detail,
    ...(LastAuthenticatedTime ? { LastAuthenticatedTime: new Date(LastAuthenticatedTime) } : {}),
  }));
}
