// What every Organizations area needs: finding the caller's organization, changing it
// in a transaction, walking its tree, the output shapes and NextToken pagination.
import type { Documents } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import { mayChangePolicies, mayReadOrganization } from './delegation.ts';
import { accessDenied, childNotFound, invalidInput, notInUse, parentNotFound, targetNotFound } from './errors.ts';
import {
  accountArn,
  AWS_MANAGED_POLICIES,
  ORG_COLLECTIONS,
  organizationArn,
  policyArn,
  rootArn,
  unitArn,
  type AccountRecord,
  type MembershipRecord,
  type OrganizationRecord,
  type PolicyRecord,
  type UnitRecord,
} from './records.ts';

/** The organization an account belongs to, or undefined. */
export async function organizationOf(docs: Documents, accountId: string): Promise<OrganizationRecord | undefined> {
  const membership = await docs.get<MembershipRecord>(ORG_COLLECTIONS.members, accountId);
  if (!membership) return undefined;
  return docs.get<OrganizationRecord>(ORG_COLLECTIONS.organizations, membership.organizationId);
}

/**
 * The caller's organization for an access declaration. Its parts (resource ARNs, the
 * policy type, delegation) each need it; the request reads it once. Declarations run
 * before the handler, so nothing changes it between those reads.
 */
export function declarationOrganization(context: RequestContext): Promise<OrganizationRecord | undefined> {
  let org = declarationOrganizations.get(context);
  if (!org) declarationOrganizations.set(context, (org = organizationOf(context.store, context.principal.accountId)));
  return org;
}
const declarationOrganizations = new WeakMap<RequestContext, Promise<OrganizationRecord | undefined>>();

/** The caller's organization; AWSOrganizationsNotInUseException when there is none. */
export async function callerOrganization(docs: Documents, context: RequestContext): Promise<OrganizationRecord> {
  const org = await organizationOf(docs, context.principal.accountId);
  if (!org) throw notInUse();
  return org;
}

/** Changes are for the management account only. */
export function assertManagementAccount(org: OrganizationRecord, context: RequestContext): void {
  if (org.managementAccountId !== context.principal.accountId) throw accessDenied();
}

/** The caller's organization, for a read-only operation: the management account, delegated administrators and delegated members. */
export async function managedOrganization(context: RequestContext): Promise<OrganizationRecord> {
  const org = await callerOrganization(context.store, context);
  if (!mayReadOrganization(org, context.principal.accountId)) throw accessDenied();
  return org;
}

type Change<R> = (org: OrganizationRecord, tx: Documents) => R | Promise<R>;

/**
 * Changes the caller's organization atomically (management account only): `change`
 * edits the record in place and returns the operation's result.
 */
export async function changeOrganization<R>(context: RequestContext, change: Change<R>): Promise<R> {
  return changeIfAllowed(context, (org) => org.managementAccountId === context.principal.accountId, change);
}

/**
 * A policy-management change (policies, attachments, tags), which a delegation policy
 * can also grant members: the authorizer has evaluated their call against it.
 */
export async function changeDelegable<R>(context: RequestContext, change: Change<R>): Promise<R> {
  return changeIfAllowed(context, (org) => mayChangePolicies(org, context.principal.accountId), change);
}

/** A change any member may make about itself (LeaveOrganization): the change decides what it allows. */
export async function changeAsMember<R>(context: RequestContext, change: Change<R>): Promise<R> {
  return changeIfAllowed(context, () => true, change);
}

async function changeIfAllowed<R>(context: RequestContext, allowed: (org: OrganizationRecord) => boolean, change: Change<R>): Promise<R> {
  return context.store.transaction(async (tx) => {
    const org = await callerOrganization(tx, context);
    if (!allowed(org)) throw accessDenied();
    const result = await change(org, tx);
    await tx.put(ORG_COLLECTIONS.organizations, org.id, org);
    return result;
  });
}

// --- the tree -----------------------------------------------------------------

export type NodeKind = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

export function isParent(org: OrganizationRecord, id: string): boolean {
  return id === org.rootId || id in org.units;
}

export function requireParent(org: OrganizationRecord, id: string, notFound = parentNotFound): void {
  if (!isParent(org, id)) throw notFound();
}

/** The kind of a root, OU or account id of this organization, or undefined. */
export function targetKind(org: OrganizationRecord, id: string): NodeKind | undefined {
  if (id === org.rootId) return 'ROOT';
  if (id in org.units) return 'ORGANIZATIONAL_UNIT';
  if (id in org.accounts) return 'ACCOUNT';
  return undefined;
}

export function requireTarget(org: OrganizationRecord, id: string): NodeKind {
  const kind = targetKind(org, id);
  if (!kind) throw targetNotFound();
  return kind;
}

/** The parent of an OU or account. */
export function parentOf(org: OrganizationRecord, id: string): string {
  const node = org.units[id] ?? org.accounts[id];
  if (!node) throw childNotFound();
  return node.parentId;
}

/** The ids from the root down to `id`, both included. */
export function lineage(org: OrganizationRecord, id: string): string[] {
  const ids = [id];
  for (let current = id; current !== org.rootId; ) {
    current = (org.units[current] ?? org.accounts[current]!).parentId;
    ids.unshift(current);
  }
  return ids;
}

/** AWS's path of a node: o-xxx/r-xxx/ou-xxx/.../<id>/ (aws:PrincipalOrgPaths uses the account's parent's). */
export function pathOf(org: OrganizationRecord, id: string): string {
  return `${org.id}/${lineage(org, id).join('/')}/`;
}

export function nameOf(org: OrganizationRecord, id: string): string {
  if (id === org.rootId) return 'Root';
  return (org.units[id] ?? org.accounts[id])?.name ?? id;
}

export function arnOf(org: OrganizationRecord, id: string): string {
  const kind = targetKind(org, id);
  if (kind === 'ROOT') return rootArn(org);
  if (kind === 'ORGANIZATIONAL_UNIT') return unitArn(org, id);
  if (kind === 'ACCOUNT') return accountArn(org, id);
  const policy = findPolicy(org, id);
  return policy ? policyArn(org, policy) : id;
}

/** A customer managed or AWS managed policy by id. */
export function findPolicy(org: OrganizationRecord, id: string): PolicyRecord | undefined {
  const managed = AWS_MANAGED_POLICIES[id];
  return org.policies[id] ?? (managed ? { ...managed, tags: [] } : undefined);
}

// --- output shapes ------------------------------------------------------------

export function organizationShape(org: OrganizationRecord) {
  return {
    Id: org.id,
    Arn: organizationArn(org),
    FeatureSet: org.featureSet,
    MasterAccountArn: accountArn(org, org.managementAccountId),
    MasterAccountId: org.managementAccountId,
    MasterAccountEmail: org.managementAccountEmail,
    AvailablePolicyTypes: policyTypesShape(org),
  };
}

export function policyTypesShape(org: OrganizationRecord) {
  return org.enabledPolicyTypes.map((type) => ({ Type: type, Status: 'ENABLED' }));
}

export function rootShape(org: OrganizationRecord) {
  return { Id: org.rootId, Arn: rootArn(org), Name: 'Root', PolicyTypes: policyTypesShape(org) };
}

export function unitShape(org: OrganizationRecord, unit: UnitRecord) {
  return { Id: unit.id, Arn: unitArn(org, unit.id), Name: unit.name, Path: pathOf(org, unit.id) };
}

/** How long a closed account stays PENDING_CLOSURE on Bulwark's clock ("a few minutes" on AWS). */
export const CLOSURE_DELAY_MS = 5 * 60 * 1000;

export type AccountStatus = 'ACTIVE' | 'PENDING_CLOSURE' | 'SUSPENDED';

/** ACTIVE, or after CloseAccount PENDING_CLOSURE and then SUSPENDED once CLOSURE_DELAY_MS has passed. */
export function accountStatus(account: AccountRecord, now: Date): AccountStatus {
  if (!account.closureRequestedTimestamp) return 'ACTIVE';
  const closedAt = Date.parse(account.closureRequestedTimestamp) + CLOSURE_DELAY_MS;
  return now.getTime() >= closedAt ? 'SUSPENDED' : 'PENDING_CLOSURE';
}

/** `now` (the request's time) decides whether a closure has completed. */
export function accountShape(org: OrganizationRecord, account: AccountRecord, now: Date) {
  const status = accountStatus(account, now);
  return {
    Id: account.id,
    Arn: accountArn(org, account.id),
    Email: account.email,
    Name: account.name,
    Status: status,
    State: status,
    Paths: [pathOf(org, account.id)],
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: new Date(account.joinedTimestamp),
  };
}

export function policySummaryShape(org: OrganizationRecord, policy: Omit<PolicyRecord, 'tags'>) {
  return {
    Id: policy.id,
    Arn: policyArn(org, policy),
    Name: policy.name,
    Description: policy.description,
    Type: policy.type,
    AwsManaged: policy.id in AWS_MANAGED_POLICIES,
  };
}

// --- pagination ---------------------------------------------------------------

/** AWS's default page when MaxResults is absent (the model allows 1-20). */
const DEFAULT_PAGE_SIZE = 20;

/**
 * One page of `items`. NextToken is opaque to clients; ours is the offset of the next
 * item, so it stays valid while the list does not change.
 */
export function page<T>(items: readonly T[], input: { NextToken?: string; MaxResults?: number }): { items: T[]; NextToken?: string } {
  let start = 0;
  if (input.NextToken !== undefined) {
    start = Number(Buffer.from(input.NextToken, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(start) || start < 0) throw invalidInput('INVALID_PAGINATION_TOKEN', 'You specified an invalid value for nextToken.');
  }
  const end = start + (input.MaxResults ?? DEFAULT_PAGE_SIZE);
  const result: { items: T[]; NextToken?: string } = { items: items.slice(start, end) };
  if (end < items.length) result.NextToken = Buffer.from(`offset:${end}`, 'utf8').toString('base64url');
  return result;
}
