// KeyMetadata as DescribeKey, CreateKey and ReplicateKey return it.
import { KEY_SPECS } from './crypto/index.ts';
import type { KeyMetadata, MultiRegionConfiguration } from '../../protocol/types/kms.ts';
import { currentVersion } from './imported-material.ts';
import { keyArn, type KeyRecord } from './records.ts';

export function keyMetadata(record: KeyRecord): KeyMetadata {
  const spec = KEY_SPECS[record.keySpec];
  const usage = record.keyUsage;
  const metadata: KeyMetadata = {
    AWSAccountId: record.accountId,
    KeyId: record.keyId,
    Arn: record.arn,
    CreationDate: new Date(record.createdAt),
    Enabled: record.state === 'Enabled',
    Description: record.description,
    KeyUsage: usage,
    KeyState: record.state,
    Origin: record.origin,
    KeyManager: record.keyManager ?? 'CUSTOMER',
    CustomerMasterKeySpec: record.keySpec as KeyMetadata['CustomerMasterKeySpec'],
    KeySpec: record.keySpec,
    MultiRegion: record.multiRegion,
  };
  if (usage === 'ENCRYPT_DECRYPT') metadata.EncryptionAlgorithms = [...spec.encryptionAlgorithms];
  if (usage === 'SIGN_VERIFY') metadata.SigningAlgorithms = [...spec.signingAlgorithms];
  if (usage === 'GENERATE_VERIFY_MAC') metadata.MacAlgorithms = [...spec.macAlgorithms];
  if (usage === 'KEY_AGREEMENT') metadata.KeyAgreementAlgorithms = [...spec.keyAgreementAlgorithms];
  if (record.state === 'PendingDeletion') {
    metadata.DeletionDate = new Date(record.deletionDate!);
    metadata.PendingDeletionWindowInDays = record.pendingWindowInDays;
  }
  if (record.origin === 'EXTERNAL') {
    const current = currentVersion(record);
    metadata.ExpirationModel = current?.expirationModel;
    if (current?.validTo) metadata.ValidTo = new Date(current.validTo);
  }
  if (record.currentMaterialId && record.keyUsage === 'ENCRYPT_DECRYPT' && record.keySpec === 'SYMMETRIC_DEFAULT') {
    metadata.CurrentKeyMaterialId = record.currentMaterialId;
  }
  if (record.multiRegion) metadata.MultiRegionConfiguration = multiRegionConfiguration(record);
  return metadata;
}

function multiRegionConfiguration(record: KeyRecord): MultiRegionConfiguration {
  const primaryRegion = record.primaryRegion ?? record.region;
  const arnIn = (region: string) => keyArn(record.accountId, region, record.keyId);
  return {
    MultiRegionKeyType: primaryRegion === record.region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: { Arn: arnIn(primaryRegion), Region: primaryRegion },
    ReplicaKeys: (record.replicaRegions ?? []).map((region) => ({ Arn: arnIn(region), Region: region })),
  };
}
