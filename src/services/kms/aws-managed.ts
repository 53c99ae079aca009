// AWS managed keys: the keys AWS services create in a customer's account under
// predefined aliases such as alias/aws/s3. A predefined alias exists before its key
// (ListAliases shows it without a TargetKeyId); the key is created on first use of the
// alias in its own account (AWS services call DescribeKey for this). Its key policy
// lets the account's principals use it only through the service (kms:ViaService) and
// read its metadata directly; nothing else, so it cannot be disabled, deleted, tagged
// or given another policy: the key policy denies those as in AWS. Its material
// rotates every year, always.
import type { Store } from '../../store/store.ts';
import { generateKeyMaterial, toStoredKeyMaterial } from './crypto/index.ts';
import { nextRotationDate } from './keys.ts';
import { aliasKey, keyArn, keyKey, KMS_COLLECTIONS, newKeyId, regionPrefix, type AliasRecord, type KeyRecord } from './records.ts';

const AWS_ALIAS_PREFIX = 'alias/aws/';
const ROTATION_PERIOD_DAYS = 365;

/**
 * The predefined aliases of AWS managed keys: alias name → the service that uses the
 * key (its kms:ViaService prefix) and the service's name in the key policy.
 */
const PREDEFINED: Readonly<Record<string, { via: string; service: string }>> = {
  'alias/aws/acm': { via: 'acm', service: 'AWS Certificate Manager' },
  'alias/aws/backup': { via: 'backup', service: 'AWS Backup' },
  'alias/aws/codecommit': { via: 'codecommit', service: 'AWS CodeCommit' },
  'alias/aws/dynamodb': { via: 'dynamodb', service: 'Amazon DynamoDB' },
  'alias/aws/ebs': { via: 'ec2', service: 'EBS' },
  'alias/aws/elasticfilesystem': { via: 'elasticfilesystem', service: 'Amazon Elastic File System' },
  'alias/aws/es': { via: 'es', service: 'Amazon OpenSearch Service' },
  'alias/aws/glue': { via: 'glue', service: 'AWS Glue' },
  'alias/aws/kinesis': { via: 'kinesis', service: 'Amazon Kinesis' },
  'alias/aws/kinesisvideo': { via: 'kinesisvideo', service: 'Amazon Kinesis Video Streams' },
  'alias/aws/lambda': { via: 'lambda', service: 'AWS Lambda' },
  'alias/aws/rds': { via: 'rds', service: 'Amazon RDS' },
  'alias/aws/redshift': { via: 'redshift', service: 'Amazon Redshift' },
  'alias/aws/s3': { via: 's3', service: 'Amazon S3' },
  'alias/aws/secretsmanager': { via: 'secretsmanager', service: 'AWS Secrets Manager' },
  'alias/aws/sns': { via: 'sns', service: 'Amazon SNS' },
  'alias/aws/sqs': { via: 'sqs', service: 'Amazon SQS' },
  'alias/aws/ssm': { via: 'ssm', service: 'AWS Systems Manager' },
  'alias/aws/xray': { via: 'xray', service: 'AWS X-Ray' },
};

export const PREDEFINED_AWS_ALIASES: readonly string[] = Object.keys(PREDEFINED);

export function isAwsAlias(aliasName: string): boolean {
  return aliasName.startsWith(AWS_ALIAS_PREFIX);
}

/** AWS's key policy for an AWS managed key: use through the service by the account, metadata directly. */
export function awsManagedKeyPolicy(accountId: string, region: string, aliasName: string): string {
  const { via, service } = PREDEFINED[aliasName]!;
  return JSON.stringify({
    Version: '2012-10-17',
    Id: `auto-${aliasName.slice(AWS_ALIAS_PREFIX.length)}-2`,
    Statement: [
      {
        Sid: `Allow access through ${service} for all principals in the account that are authorized to use ${service}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `${via}.${region}.amazonaws.com`, 'kms:CallerAccount': accountId } },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
        Resource: '*',
      },
    ],
  }, null, 2);
}

/**
 * The key a predefined AWS alias names, created on its first use (the caller's own
 * account only). Returns the key id; undefined for an alias that is not predefined.
 */
export async function awsManagedKeyOf(store: Store, accountId: string, region: string, aliasName: string, now: Date): Promise<string | undefined> {
  if (!PREDEFINED[aliasName]) return undefined;
  const storeKey = aliasKey(accountId, region, aliasName);
  const existing = await store.get<AliasRecord>(KMS_COLLECTIONS.aliases, storeKey);
  if (existing?.targetKeyId) return existing.targetKeyId;
  const record = await newAwsManagedKey(accountId, region, aliasName, now);
  // Two first uses at once: the first to commit wins, the other uses its key.
  return store.transaction(async (tx) => {
    const alias = await tx.get<AliasRecord>(KMS_COLLECTIONS.aliases, storeKey);
    if (alias?.targetKeyId) return alias.targetKeyId;
    await tx.put(KMS_COLLECTIONS.keys, keyKey(accountId, region, record.keyId), record);
    await tx.put(KMS_COLLECTIONS.aliases, storeKey, { aliasName, targetKeyId: record.keyId, createdAt: now.toISOString(), updatedAt: now.toISOString() } satisfies AliasRecord);
    return record.keyId;
  });
}

async function newAwsManagedKey(accountId: string, region: string, aliasName: string, now: Date): Promise<KeyRecord> {
  const keyId = newKeyId(false);
  const material = await generateKeyMaterial('SYMMETRIC_DEFAULT');
  return {
    keyId,
    arn: keyArn(accountId, region, keyId),
    accountId,
    region,
    createdAt: now.toISOString(),
    description: `Default key that protects my ${PREDEFINED[aliasName]!.service} data when no other key is defined`,
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: 'AWS',
    state: 'Enabled',
    policy: awsManagedKeyPolicy(accountId, region, aliasName),
    tags: [],
    multiRegion: false,
    materials: [{ material: toStoredKeyMaterial(material) }],
    currentMaterialId: material.materialId,
    grantCount: 0,
    rotation: { enabled: true, periodInDays: ROTATION_PERIOD_DAYS, nextRotationDate: nextRotationDate(now, ROTATION_PERIOD_DAYS) },
  };
}

/** The predefined aliases exist in every account and Region before their keys: ListAliases shows them. */
export async function ensurePredefinedAliases(store: Store, accountId: string, region: string): Promise<void> {
  const prefix = `${regionPrefix(accountId, region)}${AWS_ALIAS_PREFIX}`;
  if ((await store.count(KMS_COLLECTIONS.aliases, prefix)) >= PREDEFINED_AWS_ALIASES.length) return;
  for (const aliasName of PREDEFINED_AWS_ALIASES) {
    // insert: an alias already there (perhaps with its key) stays as it is.
    await store.insert(KMS_COLLECTIONS.aliases, aliasKey(accountId, region, aliasName), { aliasName } satisfies AliasRecord);
  }
}
