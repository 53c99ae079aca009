// The rules every session-issuing operation shares: durations, session policies,
// session tags and the packed size AWS checks them against.
import { deflateRawSync } from 'node:zlib';
import { AwsError } from '../../protocol/errors.ts';
import { loadManagedPolicies } from '../../policy/managed-policies.ts';
import { validatePolicy } from '../../policy/index.ts';
import type { PolicyDescriptorType, Tag } from '../../protocol/types/sts.ts';
import type { Documents } from '../../store/store.ts';
import { findPolicy } from '../iam/policies/shared.ts';
import type { RoleRecord } from '../iam/records.ts';
import { invalidParameterValue, MESSAGES, validationError } from './errors.ts';

export const DEFAULT_ROLE_SESSION_SECONDS = 3600;
export const ROLE_CHAINING_MAX_SECONDS = 3600;
/** GetSessionToken and GetFederationToken: 12 hours by default, at most 36, and 1 hour for root. */
export const USER_SESSION = { defaultSeconds: 43_200, maxSeconds: 129_600, rootMaxSeconds: 3600 } as const;
export const MAX_POLICY_ARNS = 10;

/** AssumeRole*: the role's MaxSessionDuration caps the request; a chained session gets at most an hour. */
export function roleSessionSeconds(requested: number | undefined, role: RoleRecord, chained: boolean): number {
  if (requested === undefined) return DEFAULT_ROLE_SESSION_SECONDS;
  if (chained && requested > ROLE_CHAINING_MAX_SECONDS) throw validationError(MESSAGES.durationExceedsChainLimit);
  if (requested > role.maxSessionDuration) throw validationError(MESSAGES.durationExceedsRoleMax);
  return requested;
}

/** GetSessionToken / GetFederationToken: root sessions are silently capped at an hour, as AWS documents. */
export function userSessionSeconds(requested: number | undefined, isRoot: boolean): number {
  const seconds = requested ?? USER_SESSION.defaultSeconds;
  return isRoot ? Math.min(seconds, USER_SESSION.rootMaxSeconds) : seconds;
}

// ---- session policies ----

export interface SessionPolicyInput {
  Policy?: string;
  PolicyArns?: PolicyDescriptorType[];
}

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message);
}

const MANAGED_POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy\/(.+\/)?[\w+=,.@-]+$/;

/**
 * The documents of the session policies: the inline Policy (validated as a session
 * policy) and the managed policies named by PolicyArns, which must exist in the
 * account that owns the role (or be AWS managed).
 */
export async function sessionPolicyDocuments(docs: Documents, accountId: string, input: SessionPolicyInput): Promise<string[]> {
  const documents: string[] = [];
  const arns = (input.PolicyArns ?? []).map((descriptor) => descriptor.arn).filter((arn): arn is string => arn !== undefined);
  if (arns.length > MAX_POLICY_ARNS) throw validationError(MESSAGES.tooManyPolicyArns(arns.length));
  for (const arn of arns) documents.push(await managedPolicyDocument(docs, accountId, arn));
  if (input.Policy !== undefined) {
    const validation = validatePolicy(input.Policy, 'session');
    if (!validation.ok) throw malformed(validation.message);
    documents.push(input.Policy);
  }
  return documents;
}

async function managedPolicyDocument(docs: Documents, accountId: string, arn: string): Promise<string> {
  if (!MANAGED_POLICY_ARN.test(arn)) throw malformed(MESSAGES.policyArnNotFound(arn));
  const view = await findPolicy(docs, accountId, arn);
  if (!view) throw malformed(MESSAGES.policyArnNotFound(arn));
  if (view.scope === 'Local') {
    const version = view.record.versions.find((v) => v.versionId === view.record.defaultVersionId);
    if (!version) throw malformed(MESSAGES.policyArnNotFound(arn));
    return version.document;
  }
  const version = (await loadManagedPolicies()).getVersion(arn);
  if (!version) throw malformed(MESSAGES.policyArnNotFound(arn));
  return version.document;
}

// ---- session tags ----

export interface SessionTags {
  tags: Record<string, string>;
  transitiveKeys: string[];
}

export const NO_SESSION_TAGS: SessionTags = { tags: {}, transitiveKeys: [] };

/**
 * The new session's tags: those the caller's session passes on (its transitive tags,
 * which cannot be overridden) plus the requested ones. Keys are case-insensitive.
 */
export function sessionTags(requested: Tag[] | undefined, transitive: string[] | undefined, inherited: SessionTags): SessionTags {
  const tags: Record<string, string> = {};
  const seen = new Set<string>();
  const inheritedKeys = new Set(inherited.transitiveKeys.map((key) => key.toLowerCase()));
  for (const key of inherited.transitiveKeys) if (inherited.tags[key] !== undefined) tags[key] = inherited.tags[key];
  for (const tag of requested ?? []) {
    const lower = tag.Key.toLowerCase();
    if (lower.startsWith('aws:')) throw invalidParameterValue(MESSAGES.reservedTagKey);
    if (seen.has(lower)) throw invalidParameterValue(MESSAGES.duplicateTagKeys);
    if (inheritedKeys.has(lower)) throw invalidParameterValue(MESSAGES.transitiveTagOverride(tag.Key));
    seen.add(lower);
    tags[tag.Key] = tag.Value;
  }
  const transitiveKeys = [...inherited.transitiveKeys];
  for (const key of transitive ?? []) {
    const match = (requested ?? []).find((tag) => tag.Key.toLowerCase() === key.toLowerCase());
    if (!match) throw invalidParameterValue(MESSAGES.transitiveKeyNotTagged);
    if (!transitiveKeys.includes(match.Key)) transitiveKeys.push(match.Key);
  }
  return { tags, transitiveKeys };
}

// ---- packed size ----

/**
 * AWS packs the session policies, managed policy ARNs and session tags into a
 * compressed binary form with a fixed budget; PackedPolicySize is the percentage of
 * it used. Bulwark approximates that form: the minified policy text, the ARNs and the
 * tags, each part deflated, against budgets chosen so that a maximal 2,048-character
 * policy fits while 50 long, random tags do not (as on AWS).
 */
export const PACKED_BUDGET_BYTES = { policies: 2048, tags: 1024 } as const;

export interface PackedSize {
  /** Percentage of the budget used (rounded up); over 100 fails. */
  percent: number;
  /** Which part filled most of the budget, for the error message. */
  dominant: 'policies' | 'tags';
}

function minify(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function deflatedLength(text: string): number {
  return text.length === 0 ? 0 : deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).length;
}

export function packedSize(policy: string | undefined, policyArns: readonly string[], tags: Record<string, string>): PackedSize {
  const policyText = [policy === undefined ? '' : minify(policy), ...policyArns].join('\n');
  const tagText = Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  const policies = deflatedLength(policyText) / PACKED_BUDGET_BYTES.policies;
  const tagShare = deflatedLength(tagText) / PACKED_BUDGET_BYTES.tags;
  return { percent: Math.ceil((policies + tagShare) * 100), dominant: tagShare > policies ? 'tags' : 'policies' };
}

/** The PackedPolicySize to answer (undefined when the request passed no policy and no tags); throws past 100%. */
export function checkPackedSize(policy: string | undefined, policyArns: readonly string[], tags: Record<string, string>): number | undefined {
  if (policy === undefined && policyArns.length === 0 && Object.keys(tags).length === 0) return undefined;
  const size = packedSize(policy, policyArns, tags);
  if (size.percent > 100) {
    const message = size.dominant === 'tags' ? MESSAGES.packedTags(size.percent) : MESSAGES.packedPolicy(size.percent);
    throw new AwsError('PackedPolicyTooLargeException', message);
  }
  return size.percent;
}
