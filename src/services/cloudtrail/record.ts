// A CallEvent becomes the record CloudTrail writes for it (eventVersion 1.11): AWS's
// field names and shapes, userIdentity per identity type, parameters in camelCase with
// secrets hidden, plus one field of Bulwark's own (bulwarkAuthorization) that says how
// the call was authorized. Pure functions: no I/O.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/principal.ts';
import type { CallEvent, ConsoleSignIn } from '../../events/call-event.ts';
import { loadModel, type MemberRef, type ServiceModel } from '../../protocol/model.ts';
import type { ModelName } from '../../protocol/model-names.ts';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export interface UserIdentity {
  type: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  identityProvider?: string;
  sessionContext?: {
    sessionIssuer?: { type: string; principalId?: string; arn: string; accountId: string; userName: string };
    attributes: { creationDate: string; mfaAuthenticated: string };
    sourceIdentity?: string;
  };
}

export interface BulwarkAuthorization {
  action: string;
  resource: string;
  decision: string;
  decidedBy: string;
  enforced: boolean;
  matchedStatements: unknown[];
}

export interface CloudTrailRecord {
  eventVersion: '1.11';
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: unknown;
  responseElements: unknown;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId?: string; type?: string; ARN: string }[];
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
  additionalEventData?: Record<string, string>;
  /** Not in AWS's record: how Bulwark's policy engine decided, per action. */
  bulwarkAuthorization?: BulwarkAuthorization[];
}

/** Operations that only read: CloudTrail's readOnly flag and the ReadOnly lookup attribute. */
const READ_ONLY = /^(Get|List|Describe|Lookup|Search|Simulate|Generate|Batch(Get|Describe)|Decode|Check|Validate|Test|Preview|Query|Verify|Head)/;

export function isReadOnly(operation: string): boolean {
  return READ_ONLY.test(operation);
}

/** Member names AWS hides even where a model forgets to mark the shape sensitive. */
const SECRET_MEMBER = /^(password|newpassword|oldpassword|secretaccesskey|plaintext|privatekey|secretstring|secretbinary)$/i;

export function toCloudTrailRecord(event: CallEvent, defaultAccountId: string, eventId = randomUUID()): CloudTrailRecord {
  const model = safeModel(event.service);
  const operation = event.operation ? model?.operations[event.operation] : undefined;
  const readOnly = isReadOnly(event.operation ?? '');
  const record: CloudTrailRecord = {
    eventVersion: '1.11',
    userIdentity: userIdentityOf(event),
    eventTime: isoSeconds(event.eventTime),
    eventSource: event.eventSource,
    eventName: event.operation ?? 'Unknown',
    awsRegion: event.region,
    sourceIPAddress: sourceAddress(event.sourceIp),
    userAgent: event.userAgent ?? '',
    requestParameters: event.input && model && operation?.input ? awsParameters(model, operation.input, event.input) : null,
    // AWS records responseElements only for actions that make changes (create, update, delete).
    responseElements:
      !readOnly && event.output !== undefined && model && operation?.output ? nullIfEmpty(awsParameters(model, operation.output, event.output)) : null,
    requestID: event.requestId,
    eventID: eventId,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: event.principal?.accountId ?? defaultAccountId,
    eventCategory: 'Management',
  };
  if (event.error) {
    record.errorCode = event.error.code;
    record.errorMessage = event.error.message;
  }
  const resources = resourcesOf(event);
  if (resources.length > 0) record.resources = resources;
  if (event.authorization.length > 0) {
    record.bulwarkAuthorization = event.authorization.map((a) => ({
      action: a.action,
      resource: a.resource,
      decision: a.decision.decision,
      decidedBy: String(a.decision.decidedBy),
      enforced: a.enforced,
      matchedStatements: a.decision.matchedStatements,
    }));
  }
  return event.consoleSignIn ? asConsoleSignIn(record, event.consoleSignIn) : record;
}

/** A ConsoleLogin record: AWS's AwsConsoleSignIn shape; a failure names no user that does not exist. */
function asConsoleSignIn(record: CloudTrailRecord, signIn: ConsoleSignIn): CloudTrailRecord {
  const signedIn: CloudTrailRecord = {
    ...record,
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    requestParameters: null,
    responseElements: { ConsoleLogin: signIn.success ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: signIn.loginTo, MobileVersion: 'No', MFAUsed: signIn.mfaUsed ? 'Yes' : 'No' },
    recipientAccountId: signIn.accountId,
  };
  if (record.userIdentity.type === 'Unknown') {
    signedIn.userIdentity = { type: 'IAMUser', principalId: '', accountId: signIn.accountId, accessKeyId: '', userName: HIDDEN };
  }
  delete signedIn.errorCode;
  if (!signIn.success) signedIn.errorMessage = 'Failed authentication';
  return signedIn;
}

/** The record as AWS delivers it: without Bulwark's own field. */
export function awsRecord(record: CloudTrailRecord): Omit<CloudTrailRecord, 'bulwarkAuthorization'> {
  const { bulwarkAuthorization: _omitted, ...rest } = record;
  return rest;
}

export function userIdentityOf(event: CallEvent): UserIdentity {
  const principal = event.principal;
  const accessKeyId = event.accessKeyId;
  if (!principal) return { type: 'Unknown', ...(accessKeyId && { accessKeyId }) };
  const withKey = <T extends UserIdentity>(identity: T): T => (accessKeyId ? { ...identity, accessKeyId } : identity);
  switch (principal.type) {
    case 'Root':
      return withKey({ type: 'Root', principalId: principal.accountId, arn: principal.arn, accountId: principal.accountId });
    case 'IAMUser': {
      const identity: UserIdentity = withKey({
        type: 'IAMUser',
        principalId: principal.userId,
        arn: principal.arn,
        accountId: principal.accountId,
        userName: principal.userName,
      });
      // Session credentials of a user (sts:GetSessionToken) carry their session's attributes.
      if (event.sessionCredentials && principal.sessionIssuedAt) {
        identity.sessionContext = {
          attributes: { creationDate: isoSeconds(new Date(principal.sessionIssuedAt)), mfaAuthenticated: String(event.mfaAuthenticated ?? false) },
        };
      }
      return identity;
    }
    case 'AssumedRole':
      return withKey({
        type: 'AssumedRole',
        principalId: principal.userId,
        arn: principal.arn,
        accountId: principal.accountId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: principal.roleId,
            arn: principal.roleArn,
            accountId: principal.accountId,
            userName: principal.roleName,
          },
          attributes: {
            creationDate: isoSeconds(new Date(principal.issuedAt)),
            mfaAuthenticated: String(principal.mfaAuthenticated ?? false),
          },
          ...(principal.sourceIdentity !== undefined && { sourceIdentity: principal.sourceIdentity }),
        },
      });
    case 'FederatedUser':
      return withKey({
        type: 'FederatedUser',
        principalId: principal.userId,
        arn: principal.arn,
        accountId: principal.accountId,
        sessionContext: {
          sessionIssuer: {
            type: 'IAMUser',
            arn: principal.callerArn,
            accountId: principal.accountId,
            userName: principal.callerArn.slice(principal.callerArn.lastIndexOf('/') + 1),
          },
          attributes: { creationDate: isoSeconds(new Date(principal.issuedAt)), mfaAuthenticated: 'false' },
        },
      });
    case 'AWSService':
      return { type: 'AWSService', invokedBy: principal.service };
    case 'Anonymous':
      return anonymousIdentity(event);
  }
}

/** Unsigned calls: a web identity federation names its user; anything else is an anonymous account. */
function anonymousIdentity(event: CallEvent): UserIdentity {
  const output = event.output as { SubjectFromWebIdentityToken?: string; Provider?: string } | undefined;
  if (event.operation === 'AssumeRoleWithWebIdentity' && output?.SubjectFromWebIdentityToken) {
    const provider = output.Provider ?? '';
    return {
      type: 'WebIdentityUser',
      principalId: `${provider}:${output.SubjectFromWebIdentityToken}`,
      userName: output.SubjectFromWebIdentityToken,
      identityProvider: provider,
    };
  }
  return { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' };
}

/** The name CloudTrail's Username lookup attribute matches for a record. */
export function usernameOf(principal: Principal | undefined): string | undefined {
  switch (principal?.type) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return principal.userName;
    case 'AssumedRole':
      return principal.sessionName;
    case 'FederatedUser':
      return principal.federatedUserName;
    default:
      return undefined;
  }
}

/** The resources a call touched: the ARNs its authorization named (not '*'). */
function resourcesOf(event: CallEvent): { accountId?: string; type?: string; ARN: string }[] {
  const seen = new Set<string>();
  const resources: { accountId?: string; type?: string; ARN: string }[] = [];
  for (const { resource } of event.authorization) {
    if (resource === '*' || seen.has(resource) || !resource.startsWith('arn:')) continue;
    seen.add(resource);
    resources.push({ ...(accountOfArn(resource) && { accountId: accountOfArn(resource) }), type: resourceTypeOf(resource), ARN: resource });
  }
  return resources;
}

function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

/** CloudTrail's resource type name: AWS::<Service>::<Type> from the ARN (best effort). */
export function resourceTypeOf(arn: string): string {
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  const resource = parts.slice(5).join(':');
  const type = resource.split(/[/:]/)[0] || service;
  return `AWS::${SERVICE_TYPE_NAMES[service] ?? capitalize(service)}::${TYPE_NAMES[type] ?? capitalize(type)}`;
}

const SERVICE_TYPE_NAMES: Record<string, string> = { iam: 'IAM', sts: 'STS', kms: 'KMS', cloudtrail: 'CloudTrail', ec2: 'EC2', s3: 'S3', ssm: 'SSM' };
const TYPE_NAMES: Record<string, string> = {
  user: 'User',
  role: 'Role',
  group: 'Group',
  policy: 'ManagedPolicy',
  'instance-profile': 'InstanceProfile',
  key: 'Key',
  alias: 'Alias',
  trail: 'Trail',
  'assumed-role': 'AssumedRole',
};

function capitalize(text: string): string {
  return text.replace(/(^|-)([a-z])/g, (_m, _dash, c: string) => c.toUpperCase());
}

/**
 * A value as CloudTrail records it: member names with a lower-case first letter,
 * sensitive values hidden, timestamps in the form IAM and STS records print.
 */
export function awsParameters(model: ServiceModel, ref: MemberRef, value: unknown): unknown {
  const shape = model.shapes[ref.shape];
  if (value === undefined || value === null) return null;
  if (shape?.sensitive) return HIDDEN;
  if (value instanceof Date) return cloudTrailTime(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (!shape) return value;
  switch (shape.type) {
    case 'structure': {
      const result: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const memberValue = (value as Record<string, unknown>)[name];
        if (memberValue === undefined) continue;
        result[lowerFirst(name)] = SECRET_MEMBER.test(name) && typeof memberValue !== 'boolean' ? HIDDEN : awsParameters(model, member, memberValue);
      }
      return result;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => awsParameters(model, shape.member, item)) : value;
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) result[key] = awsParameters(model, shape.value, item);
      return result;
    }
    default:
      return value;
  }
}

function nullIfEmpty(value: unknown): unknown {
  return value && typeof value === 'object' && Object.keys(value).length === 0 ? null : value;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function safeModel(service: string): ServiceModel | undefined {
  try {
    return loadModel(service as ModelName);
  } catch {
    return undefined;
  }
}

/** eventTime: ISO 8601 to the second, UTC ('2024-05-01T12:00:00Z'). */
export function isoSeconds(date: Date): string {
  // toISOString is 'YYYY-MM-DDTHH:mm:ss.sssZ' for years 0-9999 (every time a call has).
  return `${date.toISOString().slice(0, 19)}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Timestamps inside request parameters and response elements: 'Oct 12, 2023, 3:31:57 PM' (UTC). */
export function cloudTrailTime(date: Date): string {
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${hour12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** Loopback callers show as 127.0.0.1 (not the IPv6-mapped form Node reports). */
function sourceAddress(ip: string | undefined): string {
  if (!ip) return '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice('::ffff:'.length) : ip;
}
