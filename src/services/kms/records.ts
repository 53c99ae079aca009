// How KMS keeps its state: collections, record shapes and key layouts. Keys, aliases
// and grants are Regional, so every store key starts with "<account>/<region>/".
import { randomBytes, randomUUID } from 'node:crypto';
import type { StoredKeyMaterial } from './crypto/index.ts';
import type { Documents } from '../../store/store.ts';
import type {
  ExpirationModelType, GrantConstraints, GrantOperation, KeySpec, KeyState, KeyUsageType, OriginType, RotationType, Tag,
} from '../../protocol/types/kms.ts';

export const KMS_COLLECTIONS = {
  keys: 'kms.keys',
  aliases: 'kms.aliases',
  grants: 'kms.grants',
  secrets: 'kms.secrets',
  /** Each key's last cryptographic use (usage.ts), apart from the key so hot-path writes never race key changes. */
  usage: 'kms.usage',
} as const;

/** One version of a key's material, with what ListKeyRotations reports about it. */
export interface MaterialVersion {
  material: StoredKeyMaterial;
  /** When it became current by rotation; absent for the first material. */
  rotationDate?: string;
  rotationType?: RotationType;
  /** Imported material: when it expires (KEY_MATERIAL_EXPIRES). */
  validTo?: string;
  expirationModel?: ExpirationModelType;
  description?: string;
  /** Imported material deleted or expired: kept only so that a re-import must match it. */
  notImported?: true;
  /** Imported as NEW_KEY_MATERIAL and waiting for RotateKeyOnDemand (imported-material.ts). */
  pendingRotation?: true;
}

export interface KeyRecord {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  createdAt: string;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsageType;
  origin: OriginType;
  /** 'AWS' for AWS managed keys (aws-managed.ts); absent for customer managed keys. */
  keyManager?: 'AWS';
  state: KeyState;
  /** PendingDeletion: when the key is deleted, and the window asked for. */
  deletionDate?: string;
  pendingWindowInDays?: number;
  policy: string;
  tags: Tag[];
  multiRegion: boolean;
  /** Multi-Region keys: the primary's Region and every Region the key is replicated to. */
  primaryRegion?: string;
  replicaRegions?: string[];
  /** Oldest first; the current material is the one named by currentMaterialId. */
  materials: MaterialVersion[];
  currentMaterialId?: string;
  /**
   * How many grants the key has, kept by the grant operations in the same transaction
   * as the grant, so that authorizing a key without grants lists none. Absent on
   * records from before it existed: then the grants are listed.
   */
  grantCount?: number;
  rotation: {
    enabled: boolean;
    periodInDays?: number;
    nextRotationDate?: string;
    onDemandStartDate?: string;
  };
}

/** A predefined AWS alias (aws-managed.ts) has no key, and no dates, until its first use. */
export interface AliasRecord {
  aliasName: string;
  targetKeyId?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface GrantRecord {
  grantId: string;
  keyId: string;
  keyArn: string;
  name?: string;
  createdAt: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  issuingAccount: string;
  operations: GrantOperation[];
  constraints?: GrantConstraints;
  grantToken: string;
}

export function regionPrefix(accountId: string, region: string): string {
  return `${accountId}/${region}/`;
}

export function keyKey(accountId: string, region: string, keyId: string): string {
  return `${regionPrefix(accountId, region)}${keyId}`;
}

export function aliasKey(accountId: string, region: string, aliasName: string): string {
  return `${regionPrefix(accountId, region)}${aliasName}`;
}

export function grantPrefix(accountId: string, region: string, keyId: string): string {
  return `${regionPrefix(accountId, region)}${keyId}/`;
}

export function grantKey(accountId: string, region: string, keyId: string, grantId: string): string {
  return `${grantPrefix(accountId, region, keyId)}${grantId}`;
}

export function keyArn(accountId: string, region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

export function aliasArn(accountId: string, region: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

export function newKeyId(multiRegion: boolean): string {
  const id = randomUUID();
  return multiRegion ? `mrk-${id.replace(/-/g, '')}` : id;
}

/** Grant ids are 64 hex characters, as in AWS. */
export function newGrantId(): string {
  return randomBytes(32).toString('hex');
}

/** A secret of the KMS service (e.g. the import token key): 32 random bytes, made on first use. */
export async function serviceSecret(store: Documents, name: string): Promise<Buffer> {
  const existing = await store.get<{ secret: string }>(KMS_COLLECTIONS.secrets, name);
  if (existing) return Buffer.from(existing.secret, 'base64');
  await store.insert(KMS_COLLECTIONS.secrets, name, { secret: randomBytes(32).toString('base64') });
  const stored = await store.get<{ secret: string }>(KMS_COLLECTIONS.secrets, name);
  return Buffer.from(stored!.secret, 'base64');
}
