// ListPoliciesGrantingServiceAccess: for each service namespace asked about, which of
// an identity's policies allow at least one of the service's actions. AWS documents
// the sources: a user's own inline and managed policies plus those of its groups; a
// group's or role's own. Managed policies carry their ARN; inline ones the entity
// they belong to.
import { listActions } from '../../../policy/catalog.ts';
import { wildcardMatcher } from '../../../policy/values/wildcard.ts';
import type {
  ListPoliciesGrantingServiceAccessEntry,
  Operations,
  PolicyGrantingServiceAccess,
} from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { invalidInput } from '../common.ts';
import type { EntityKind } from '../records.ts';
import { attachedPolicyArns } from './attachments.ts';
import { inlinePoliciesOf } from './inline.ts';
import { groupsOf, managedDocument } from './principal.ts';
import { MESSAGES, requireEntity, type EntityRef } from './shared.ts';

const IDENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[\u0021-\u007E]*\/)?)?([\w+=,.@-]+)$/;

interface CandidatePolicy {
  entry: PolicyGrantingServiceAccess;
  document: string;
}

export const serviceAccessHandlers: Handlers<Operations> = {
  async ListPoliciesGrantingServiceAccess(input, context) {
    const accountId = context.principal.accountId;
    const match = IDENTITY_ARN.exec(input.Arn);
    if (!match || match[1] !== accountId) throw invalidInput(MESSAGES.invalidArn(input.Arn));
    const entity = await requireEntity(context.store, accountId, match[2] as EntityKind, match[4]!);
    const holders = entity.kind === 'user' ? [entity, ...(await groupsOf(context.store, accountId, entity.name))] : [entity];
    const candidates = (await Promise.all(holders.map((holder) => policiesOf(context.store, accountId, holder)))).flat();
    const entries: ListPoliciesGrantingServiceAccessEntry[] = [];
    for (const namespace of input.ServiceNamespaces) {
      const grants = await serviceGrantTest(namespace);
      entries.push({
        ServiceNamespace: namespace,
        Policies: candidates.filter((policy) => grants(policy.document)).map((policy) => policy.entry),
      });
    }
    return { PoliciesGrantingServiceAccess: entries, IsTruncated: false };
  },
};

async function policiesOf(docs: Documents, accountId: string, holder: EntityRef): Promise<CandidatePolicy[]> {
  const entityType = holder.kind.toUpperCase() as 'USER' | 'GROUP' | 'ROLE';
  const inline = (await inlinePoliciesOf(docs, accountId, holder.kind, holder.name)).map((policy) => ({
    entry: { PolicyName: policy.policyName, PolicyType: 'INLINE' as const, EntityType: entityType, EntityName: holder.name },
    document: policy.document,
  }));
  const managed: CandidatePolicy[] = [];
  for (const arn of await attachedPolicyArns(docs, accountId, holder)) {
    const document = await managedDocument(docs, accountId, arn);
    if (document === undefined) continue;
    managed.push({ entry: { PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyType: 'MANAGED', PolicyArn: arn }, document });
  }
  return [...inline, ...managed];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Whether a policy document allows some action of the namespace: an Allow statement
 * whose Action matches one of the service's actions, or whose NotAction leaves one
 * out. Without catalog data for the namespace, a pattern naming the service counts.
 */
async function serviceGrantTest(namespace: string): Promise<(document: string) => boolean> {
  const service = namespace.toLowerCase();
  const known = (await listActions(service)).map((name) => `${service}:${name}`);
  const actions = known.length > 0 ? known : [`${service}:*`];
  const anyMatches = (patterns: string[]) => {
    const matchers = patterns.map((pattern) => wildcardMatcher(pattern, 'plain', true));
    return (action: string) => matchers.some((matches) => matches(action));
  };
  return (document) =>
    allowStatements(document).some((statement) => {
      if (statement.Action !== undefined) return actions.some(anyMatches(strings(statement.Action)));
      if (statement.NotAction !== undefined) {
        const excluded = anyMatches(strings(statement.NotAction));
        return actions.some((action) => !excluded(action));
      }
      return false;
    });
}

function allowStatements(document: string): { [key: string]: Json }[] {
  let parsed: Json;
  try {
    parsed = JSON.parse(document) as Json;
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return statements.filter(
    (statement): statement is { [key: string]: Json } =>
      typeof statement === 'object' && statement !== null && !Array.isArray(statement) && statement.Effect === 'Allow',
  );
}

function strings(value: Json): string[] {
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}
