// Service last accessed data ("access advisor"). The server calls recordServiceAccess
// for each authorized request; it keeps, per IAM entity the request acted through
// (the user, its groups, the role), the latest use of each action. A report job
// (GenerateServiceLastAccessedDetails) snapshots, for a user, group, role or managed
// policy, every service its policies allow - with when, where and by whom it was last
// used, or nothing for a service never used - and the Get* operations page it.
import { randomUUID } from 'node:crypto';
import { listServices, serviceName } from '../../../policy/catalog.ts';
import { parsePolicy } from '../../../policy/index.ts';
import { wildcardMatcher } from '../../../policy/values/wildcard.ts';
import type {
  EntityDetails,
  Operations,
  ServiceLastAccessed,
  TrackedActionLastAccessed,
} from '../../../protocol/types/iam.ts';
import type { Documents, Store } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { decodeMarker, DEFAULT_MAX_ITEMS, encodeMarker, invalidInput, noSuchEntity } from '../common.ts';
import { listAll } from '../identities/shared.ts';
import { managedDocument } from '../policies/principal.ts';
import { findEntity, type EntityRef } from '../policies/shared.ts';
import { COLLECTIONS, type AttachmentRecord, type EntityKind, type MembershipRecord, type ServiceAccessRecord } from '../records.ts';
import { identityPoliciesOf, parseIdentityArn } from '../simulation/sources.ts';

export interface ServiceAccess {
  accountId: string;
  /** The caller: a user ARN or a role session ARN. */
  principalArn: string;
  /** The IAM entities the request acted through: the user and its groups, or the role (ARNs). */
  entityChain: readonly string[];
  serviceNamespace: string;
  /** The action's name, without its service prefix (`GetObject`); a `service:Action` form is accepted too. */
  action: string;
  region: string;
  date: Date;
}

function accessPrefix(accountId: string, kind: EntityKind, name: string): string {
  return `${accountId}/${kind}/${name.toLowerCase()}/`;
}

/**
 * Records one authorized request. Only the latest use per entity and action is kept,
 * so the collection grows with entities x actions used, not with requests.
 */
export async function recordServiceAccess(store: Store, access: ServiceAccess): Promise<void> {
  const action = access.action.includes(':') ? access.action.slice(access.action.indexOf(':') + 1) : access.action;
  const service = access.serviceNamespace.toLowerCase();
  const date = access.date.toISOString();
  await store.transaction(async (tx) => {
    for (const entityArn of access.entityChain) {
      const entity = parseIdentityArn(entityArn);
      if (!entity) continue;
      const key = `${accessPrefix(access.accountId, entity.kind, entity.name)}${service}/${action}`;
      const previous = await tx.get<ServiceAccessRecord>(COLLECTIONS.serviceAccess, key);
      if (previous && previous.date >= date) continue;
      const record: ServiceAccessRecord = {
        entityArn,
        serviceNamespace: service,
        action,
        principalArn: access.principalArn,
        region: access.region,
        date,
      };
      await tx.put(COLLECTIONS.serviceAccess, key, record);
    }
  });
}

// ---- which services a set of policies allows ----

/** The service namespaces a set of policies' Allow statements name (wildcards expanded). */
export async function allowedServices(documents: readonly string[]): Promise<Set<string>> {
  const patterns = new Set<string>();
  for (const document of documents) {
    let statements;
    try {
      statements = parsePolicy(document).statements;
    } catch {
      continue; // stored documents were validated; an unreadable one grants nothing
    }
    for (const statement of statements) {
      if (statement.effect !== 'Allow' || !statement.action) continue;
      if (statement.action.negated) patterns.add('*');
      else for (const action of statement.action.values) patterns.add(action === '*' ? '*' : action.slice(0, action.indexOf(':')).toLowerCase());
    }
  }
  const services = new Set<string>();
  const wildcards = [...patterns].filter((p) => /[*?]/.test(p));
  for (const pattern of patterns) if (!/[*?]/.test(pattern) && pattern !== '') services.add(pattern);
  if (wildcards.length > 0) {
    const matchers = wildcards.map((p) => wildcardMatcher(p, 'plain', true));
    for (const service of await listServices()) if (matchers.some((m) => m(service))) services.add(service);
  }
  return services;
}

// ---- jobs ----

interface EntityUse {
  info: EntityDetails['EntityInfo'];
  /** service -> its latest use by this entity */
  lastUse: Record<string, { date: string; region: string; principalArn: string }>;
}

interface LastAccessedJob {
  jobId: string;
  accountId: string;
  arn: string;
  granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
  createDate: string;
  services: ServiceLastAccessed[];
  /** The entities each service's report is about (GetServiceLastAccessedDetailsWithEntities). */
  entities: EntityUse[];
}

// Dates cross the store as strings; a job's ServiceLastAccessed keeps them as ISO text.
type StoredService = Omit<ServiceLastAccessed, 'LastAuthenticated' | 'TrackedActionsLastAccessed'> & {
  LastAuthenticated?: string;
  TrackedActionsLastAccessed?: (Omit<TrackedActionLastAccessed, 'LastAccessedTime'> & { LastAccessedTime?: string })[];
};

const ENTITY_TYPE: Record<EntityKind, 'USER' | 'GROUP' | 'ROLE'> = { user: 'USER', group: 'GROUP', role: 'ROLE' };

function entityInfo(entity: EntityRef): EntityDetails['EntityInfo'] {
  return { Arn: entity.arn, Name: entity.name, Type: ENTITY_TYPE[entity.kind], Id: entity.id, Path: entity.path };
}

async function accessesOf(docs: Documents, accountId: string, entity: EntityRef): Promise<ServiceAccessRecord[]> {
  return (await listAll<ServiceAccessRecord>(docs, COLLECTIONS.serviceAccess, accessPrefix(accountId, entity.kind, entity.name))).map(
    (entry) => entry.value,
  );
}

interface Subject {
  documents: string[];
  /** Entities whose recorded use counts for the report. */
  tracked: EntityRef[];
  /** Entities listed by GetServiceLastAccessedDetailsWithEntities. */
  listed: EntityRef[];
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy\//;

async function subjectOf(docs: Documents, accountId: string, arn: string): Promise<Subject> {
  const identity = parseIdentityArn(arn);
  if (identity) {
    if (identity.accountId !== accountId) throw noSuchEntity(`The ${identity.kind} with name ${identity.name} cannot be found.`);
    const policies = await identityPoliciesOf(docs, accountId, identity.kind, identity.name);
    const documents = policies.identity.map((p) => p.document);
    if (identity.kind !== 'group') return { documents, tracked: [policies.entity], listed: [policies.entity] };
    // A group's report is about its members' use of the group's policies.
    const members = await listAll<MembershipRecord>(docs, COLLECTIONS.memberships, `${accountId}/g/${identity.name.toLowerCase()}/`);
    const users = await Promise.all(members.map(({ value }) => findEntity(docs, accountId, 'user', value.userName)));
    return { documents, tracked: [policies.entity], listed: users.filter((u): u is EntityRef => u !== undefined) };
  }
  if (POLICY_ARN.test(arn)) {
    const document = await managedDocument(docs, accountId, arn);
    if (document === undefined) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    const attachments = await listAll<AttachmentRecord>(docs, COLLECTIONS.attachments, `${accountId}/${arn}/`);
    const entities = await Promise.all(attachments.map(({ value }) => findEntity(docs, accountId, value.kind, value.name)));
    const present = entities.filter((e): e is EntityRef => e !== undefined);
    return { documents: [document], tracked: present, listed: present };
  }
  throw invalidInput(`ARN ${arn} is not valid.`);
}

async function runJob(docs: Documents, accountId: string, arn: string, granularity: LastAccessedJob['granularity'], now: Date): Promise<LastAccessedJob> {
  const subject = await subjectOf(docs, accountId, arn);
  const [allowed, trackedUses, listedUses] = await Promise.all([
    allowedServices(subject.documents),
    Promise.all(subject.tracked.map((entity) => accessesOf(docs, accountId, entity))),
    Promise.all(subject.listed.map((entity) => accessesOf(docs, accountId, entity))),
  ]);
  const uses = trackedUses.flat();
  const namespaces = [...new Set([...allowed, ...uses.map((u) => u.serviceNamespace)])].sort();
  const services: StoredService[] = [];
  for (const namespace of namespaces) {
    const serviceUses = uses.filter((u) => u.serviceNamespace === namespace).sort((a, b) => b.date.localeCompare(a.date));
    const latest = serviceUses[0];
    const entry: StoredService = { ServiceName: (await serviceName(namespace)) ?? namespace, ServiceNamespace: namespace };
    if (latest) {
      entry.LastAuthenticated = latest.date;
      entry.LastAuthenticatedEntity = arn.includes(':policy/') ? latest.entityArn : latest.principalArn;
      entry.LastAuthenticatedRegion = latest.region;
      entry.TotalAuthenticatedEntities = new Set(serviceUses.map((u) => u.principalArn)).size;
    } else {
      entry.TotalAuthenticatedEntities = 0;
    }
    if (granularity === 'ACTION_LEVEL' && serviceUses.length > 0) {
      const latestPerAction = new Map<string, ServiceAccessRecord>();
      for (const use of serviceUses) if (!latestPerAction.has(use.action)) latestPerAction.set(use.action, use);
      entry.TrackedActionsLastAccessed = [...latestPerAction.values()]
        .sort((a, b) => a.action.localeCompare(b.action))
        .map((use) => ({ ActionName: use.action, LastAccessedEntity: use.principalArn, LastAccessedTime: use.date, LastAccessedRegion: use.region }));
    }
    services.push(entry);
  }
  const entities: EntityUse[] = subject.listed.map((entity, i) => {
    const lastUse: EntityUse['lastUse'] = {};
    for (const use of listedUses[i]!) {
      const known = lastUse[use.serviceNamespace];
      if (!known || known.date < use.date) lastUse[use.serviceNamespace] = { date: use.date, region: use.region, principalArn: use.principalArn };
    }
    return { info: entityInfo(entity), lastUse };
  });
  return {
    jobId: randomUUID(),
    accountId,
    arn,
    granularity,
    createDate: now.toISOString(),
    services: services as unknown as ServiceLastAccessed[],
    entities,
  };
}

function revive(service: StoredService): ServiceLastAccessed {
  const { LastAuthenticated, TrackedActionsLastAccessed, ...rest } = service;
  return {
    ...rest,
    ...(LastAuthenticated ? { LastAuthenticated: new Date(LastAuthenticated) } : {}),
    ...(TrackedActionsLastAccessed
      ? {
          TrackedActionsLastAccessed: TrackedActionsLastAccessed.map(({ LastAccessedTime, ...action }) => ({
            ...action,
            ...(LastAccessedTime ? { LastAccessedTime: new Date(LastAccessedTime) } : {}),
          })),
        }
      : {}),
  };
}

async function loadJob(docs: Documents, accountId: string, jobId: string): Promise<LastAccessedJob> {
  const job = await docs.get<LastAccessedJob>(COLLECTIONS.lastAccessedJobs, `${accountId}/${jobId}`);
  if (!job) throw noSuchEntity(`No service last accessed report with job ID ${jobId} found.`);
  return job;
}

/** One page of a report's items, with IAM's Marker and MaxItems. */
export function pageOf<T>(items: readonly T[], request: { Marker?: string; MaxItems?: number }) {
  const marker = decodeMarker(request.Marker);
  const start = marker === undefined ? 0 : Number(marker);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalidInput('Invalid Marker.');
  const end = start + (request.MaxItems ?? DEFAULT_MAX_ITEMS);
  const truncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated: truncated, ...(truncated ? { Marker: encodeMarker(String(end)) } : {}) };
}

export const lastAccessedHandlers: Handlers<Operations> = {
  async GenerateServiceLastAccessedDetails(input, context) {
    const accountId = context.principal.accountId;
    const job = await runJob(context.store, accountId, input.Arn, input.Granularity ?? 'SERVICE_LEVEL', context.now);
    await context.store.put(COLLECTIONS.lastAccessedJobs, `${accountId}/${job.jobId}`, job);
    return { JobId: job.jobId };
  },

  async GetServiceLastAccessedDetails(input, context) {
    const job = await loadJob(context.store, context.principal.accountId, input.JobId);
    const page = pageOf(job.services as unknown as StoredService[], input);
    return {
      JobStatus: 'COMPLETED',
      JobType: job.granularity,
      JobCreationDate: new Date(job.createDate),
      ServicesLastAccessed: page.items.map(revive),
      JobCompletionDate: new Date(job.createDate),
      IsTruncated: page.IsTruncated,
      ...(page.Marker ? { Marker: page.Marker } : {}),
    };
  },

  async GetServiceLastAccessedDetailsWithEntities(input, context) {
    const job = await loadJob(context.store, context.principal.accountId, input.JobId);
    const namespace = input.ServiceNamespace.toLowerCase();
    const details: EntityDetails[] = job.entities.map((entity) => {
      const use = entity.lastUse[namespace];
      return { EntityInfo: entity.info, ...(use ? { LastAuthenticated: new Date(use.date) } : {}) };
    });
    const page = pageOf(details, input);
    return {
      JobStatus: 'COMPLETED',
      JobCreationDate: new Date(job.createDate),
      JobCompletionDate: new Date(job.createDate),
      EntityDetailsList: page.items,
      IsTruncated: page.IsTruncated,
      ...(page.Marker ? { Marker: page.Marker } : {}),
    };
  },
};
