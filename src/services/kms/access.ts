// What each KMS operation needs to be allowed. Operations on a key are decided by its
// key policy (resourcePolicyRequired: IAM policies count only where the key policy
// delegates to the account), with the key's grants for the operation appended to that
// policy as equivalent statements (grants.ts), and KMS's condition keys.
import type { ContextValue } from '../../policy/index.ts';
import { requestTagContext, type AccessDeclaration, type AccessRequirement } from '../authorization.ts';
import type { RequestContext } from '../service.ts';
import { isAwsAlias } from './aws-managed.ts';
import { parseCiphertextBlob, parseKeyRef, isMultiRegionKeyId } from './crypto/index.ts';
import { grantByToken, grantsOfKey, grantStatement } from './grants.ts';
import { findRequestKey, locateKey, type KeyLocation } from './keys.ts';
import { recipientConditionKeys } from './recipient.ts';
import { aliasArn, keyArn, type GrantRecord, type KeyRecord } from './records.ts';

type Input = Record<string, unknown>;

/** Condition keys every request on a key carries. */
function keyConditionKeys(record: KeyRecord, context: RequestContext): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    'kms:CallerAccount': context.principal.accountId,
    'kms:KeySpec': record.keySpec,
    'kms:KeyUsage': record.keyUsage,
    'kms:KeyOrigin': record.origin,
    'kms:MultiRegion': record.multiRegion ? 'true' : 'false',
  };
  if (record.multiRegion) keys['kms:MultiRegionKeyType'] = (record.primaryRegion ?? record.region) === record.region ? 'PRIMARY' : 'REPLICA';
  for (const tag of record.tags) keys[`aws:ResourceTag/${tag.TagKey}`] = tag.TagValue;
  return keys;
}

function encryptionContextKeys(encryptionContext: unknown): Record<string, ContextValue> {
  if (!encryptionContext || typeof encryptionContext !== 'object') return {};
  const pairs = Object.entries(encryptionContext as Record<string, string>);
  const keys: Record<string, ContextValue> = Object.fromEntries(pairs.map(([k, v]) => [`kms:EncryptionContext:${k}`, v]));
  if (pairs.length > 0) keys['kms:EncryptionContextKeys'] = pairs.map(([k]) => k);
  return keys;
}

/** Request parameters that are condition keys of their own (kms:EncryptionAlgorithm, ...). */
const PARAMETER_KEYS: Readonly<Record<string, string>> = {
  EncryptionAlgorithm: 'kms:EncryptionAlgorithm',
  SigningAlgorithm: 'kms:SigningAlgorithm',
  MacAlgorithm: 'kms:MacAlgorithm',
  MessageType: 'kms:MessageType',
  KeyAgreementAlgorithm: 'kms:KeyAgreementAlgorithm',
  WrappingAlgorithm: 'kms:WrappingAlgorithm',
  WrappingKeySpec: 'kms:WrappingKeySpec',
  ExpirationModel: 'kms:ExpirationModel',
  ReplicaRegion: 'kms:ReplicaRegion',
  PrimaryRegion: 'kms:PrimaryRegion',
  RotationPeriodInDays: 'kms:RotationPeriodInDays',
  DataKeyPairSpec: 'kms:DataKeyPairSpec',
  KeyPairSpec: 'kms:DataKeyPairSpec',
};

function parameterKeys(input: Input): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {};
  for (const [member, key] of Object.entries(PARAMETER_KEYS)) {
    if (input[member] !== undefined) keys[key] = String(input[member]);
  }
  if (input.PendingWindowInDays !== undefined) keys['kms:ScheduleKeyDeletionPendingWindowInDays'] = String(input.PendingWindowInDays);
  if (input.BypassPolicyLockoutSafetyCheck !== undefined) keys['kms:BypassPolicyLockoutSafetyCheck'] = String(input.BypassPolicyLockoutSafetyCheck);
  if (input.ValidTo instanceof Date) keys['kms:ValidTo'] = String(Math.floor(input.ValidTo.getTime() / 1000));
  return keys;
}

/** The key policy with statements for the grants that give `action` (or that `extra` adds). */
function effectiveKeyPolicy(record: KeyRecord, statements: Record<string, unknown>[]): string {
  if (statements.length === 0) return record.policy;
  const policy = JSON.parse(record.policy) as { Statement: unknown };
  const existing = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return JSON.stringify({ ...policy, Statement: [...existing, ...statements] });
}

function principalOf(grant: GrantRecord, principal: string): GrantRecord {
  return { ...grant, granteePrincipal: principal };
}

/**
 * The actions another account's principals may be allowed on a key (the Developer
 * Guide's "Allowing users in other accounts to use a KMS key"); for every other action
 * a key policy or grant naming them has no effect.
 */
const CROSS_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set([
  'kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:DeriveSharedSecret', 'kms:Encrypt', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac', 'kms:GetKeyRotationStatus', 'kms:GetPublicKey', 'kms:ListGrants', 'kms:ReEncryptFrom',
  'kms:ReEncryptTo', 'kms:RetireGrant', 'kms:RevokeGrant', 'kms:Sign', 'kms:Verify', 'kms:VerifyMac',
]);

/** A requirement on a key: its key policy (and grants) decide, with IAM where it delegates. */
async function onKey(
  context: RequestContext,
  location: KeyLocation,
  action: string,
  extraContext: Record<string, ContextValue>,
  grantStatements: (record: KeyRecord) => Promise<Record<string, unknown>[]> = async (record) => {
    // Most keys have no grants: then there is nothing to list.
    if (record.grantCount === 0) return [];
    const operation = action.slice('kms:'.length);
    return (await grantsOfKey(context.store, record))
      .filter((grant) => (grant.operations as string[]).includes(operation))
      .map((grant) => grantStatement(grant, action));
  },
): Promise<AccessRequirement> {
  const record = await findRequestKey(context, location);
  // An unknown key: IAM decides, and the handler answers NotFoundException.
  if (!record) return { action, resource: location.arn, resourceAccount: location.accountId, context: extraContext };
  // Another account's caller, for an action KMS does not allow across accounts: no key
  // policy statement counts, so the decision is an implicit deny whatever it says.
  const keyPolicyCounts = record.accountId === context.principal.accountId || CROSS_ACCOUNT_ACTIONS.has(action);
  return {
    action,
    resource: record.arn,
    resourceAccount: record.accountId,
    context: { ...keyConditionKeys(record, context), ...extraContext },
    ...(keyPolicyCounts ? { resourcePolicy: { id: record.arn, document: effectiveKeyPolicy(record, await grantStatements(record)) } } : {}),
    resourcePolicyRequired: true,
    ...(record.keyManager === 'AWS' ? { awsManaged: true } : {}),
  };
}

/** The usual declaration: `kms:<operation>` on the key named by KeyId. */
function keyOperation(operation: string, keyMember = 'KeyId'): AccessDeclaration {
  return async (input, context) => {
    const location = await locateKey(context.store, context, input[keyMember] as string);
    const extra = { ...parameterKeys(input), ...encryptionContextKeys(input.EncryptionContext), ...recipientConditionKeys(input.Recipient) };
    return [await onKey(context, location, `kms:${operation}`, extra)];
  };
}

function anyResource(operation: string, extra: (input: Input, context: RequestContext) => Record<string, ContextValue> = () => ({})): AccessDeclaration {
  return (input, context) => [{
    action: `kms:${operation}`,
    resource: '*',
    context: { 'kms:CallerAccount': context.principal.accountId, ...extra(input, context) },
  }];
}

/** Where a symmetric ciphertext's key is (as Decrypt finds it), or undefined for a blob that is not ours. */
function ciphertextKeyLocation(context: RequestContext, blob: unknown): KeyLocation | undefined {
  if (!(blob instanceof Uint8Array)) return undefined;
  try {
    const ref = parseKeyRef(parseCiphertextBlob(blob).keyId);
    const accountId = ref.account ?? context.principal.accountId;
    const region = ref.region === undefined || isMultiRegionKeyId(ref.keyId) ? context.region : ref.region;
    return { accountId, region, keyId: ref.keyId, arn: keyArn(accountId, region, ref.keyId) };
  } catch {
    return undefined;
  }
}

async function sourceKey(context: RequestContext, keyId: unknown, blob: unknown): Promise<KeyLocation | undefined> {
  if (typeof keyId === 'string') return locateKey(context.store, context, keyId);
  return ciphertextKeyLocation(context, blob);
}

const decrypt: AccessDeclaration = async (input, context) => {
  const location = await sourceKey(context, input.KeyId, input.CiphertextBlob);
  const extra = { ...parameterKeys(input), ...encryptionContextKeys(input.EncryptionContext), ...recipientConditionKeys(input.Recipient) };
  if (!location) return [{ action: 'kms:Decrypt', resource: '*', context: extra }];
  return [await onKey(context, location, 'kms:Decrypt', extra)];
};

const reEncrypt: AccessDeclaration = async (input, context) => {
  const requirements: AccessRequirement[] = [];
  const source = await sourceKey(context, input.SourceKeyId, input.CiphertextBlob);
  const sourceExtra = {
    ...encryptionContextKeys(input.SourceEncryptionContext),
    ...(input.SourceEncryptionAlgorithm ? { 'kms:EncryptionAlgorithm': String(input.SourceEncryptionAlgorithm) } : {}),
  };
  requirements.push(source ? await onKey(context, source, 'kms:ReEncryptFrom', sourceExtra) : { action: 'kms:ReEncryptFrom', resource: '*', context: sourceExtra });
  const destination = await locateKey(context.store, context, input.DestinationKeyId as string);
  const destinationExtra = {
    ...encryptionContextKeys(input.DestinationEncryptionContext),
    ...(input.DestinationEncryptionAlgorithm ? { 'kms:EncryptionAlgorithm': String(input.DestinationEncryptionAlgorithm) } : {}),
  };
  requirements.push(await onKey(context, destination, 'kms:ReEncryptTo', destinationExtra));
  return requirements;
};

function grantContext(input: Input): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    'kms:GrantOperations': (input.Operations as string[] | undefined) ?? [],
    'kms:GranteePrincipal': String(input.GranteePrincipal),
    'kms:GrantIsForAWSResource': 'false',
  };
  if (input.RetiringPrincipal) keys['kms:RetiringPrincipal'] = String(input.RetiringPrincipal);
  const constraints = input.Constraints as { EncryptionContextEquals?: object; EncryptionContextSubset?: object } | undefined;
  if (constraints?.EncryptionContextEquals) keys['kms:GrantConstraintType'] = 'EncryptionContextEquals';
  if (constraints?.EncryptionContextSubset) keys['kms:GrantConstraintType'] = 'EncryptionContextSubset';
  return keys;
}

/** RetireGrant: the grant's retiring principal may retire it, and its grantee when the grant includes RetireGrant. */
const retireGrant: AccessDeclaration = async (input, context) => {
  let grant: GrantRecord | undefined;
  let location: KeyLocation | undefined;
  if (typeof input.GrantToken === 'string') {
    grant = await grantByToken(context.store, input.GrantToken);
    if (grant) location = await locateKey(context.store, context, grant.keyArn);
  } else if (typeof input.KeyId === 'string') {
    location = await locateKey(context.store, context, input.KeyId);
    const record = await findRequestKey(context, location);
    grant = record ? (await grantsOfKey(context.store, record)).find((g) => g.grantId === input.GrantId) : undefined;
  }
  if (!location) return [{ action: 'kms:RetireGrant', resource: '*' }];
  return [await onKey(context, location, 'kms:RetireGrant', {}, async () => {
    if (!grant) return [];
    const statements = [];
    if (grant.retiringPrincipal) statements.push(grantStatement(principalOf({ ...grant, constraints: undefined }, grant.retiringPrincipal), 'kms:RetireGrant'));
    if (grant.operations.includes('RetireGrant')) statements.push(grantStatement({ ...grant, constraints: undefined }, 'kms:RetireGrant'));
    return statements;
  })];
};

/** Aliases: the alias itself (IAM policies only) and each key it touches (key policies). */
function aliasOperation(operation: string, targets: (input: Input, context: RequestContext) => Promise<string[]>): AccessDeclaration {
  return async (input, context) => {
    const action = `kms:${operation}`;
    const requirements: AccessRequirement[] = [{
      action,
      resource: aliasArn(context.principal.accountId, context.region, input.AliasName as string),
      context: { 'kms:CallerAccount': context.principal.accountId },
    }];
    for (const target of await targets(input, context)) {
      const location = await locateKey(context.store, context, target).catch(() => undefined);
      if (location) requirements.push(await onKey(context, location, action, {}));
    }
    return requirements;
  };
}

/**
 * The key an alias points at now (DeleteAlias, UpdateAlias), if the alias exists. Not
 * for AWS aliases: those handlers refuse them, and looking one up would create its key.
 */
async function currentAliasTarget(input: Input, context: RequestContext): Promise<string[]> {
  if (isAwsAlias(input.AliasName as string)) return [];
  const location = await locateKey(context.store, context, input.AliasName as string).catch(() => undefined);
  return location ? [location.arn] : [];
}

export const kmsAccess: Record<string, AccessDeclaration> = {
  CreateKey: anyResource('CreateKey', (input) => ({
    ...requestTagContext(input),
    ...parameterKeys(input),
    'kms:KeySpec': String(input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT'),
    'kms:KeyUsage': String(input.KeyUsage ?? 'ENCRYPT_DECRYPT'),
    'kms:KeyOrigin': String(input.Origin ?? 'AWS_KMS'),
    'kms:MultiRegion': input.MultiRegion ? 'true' : 'false',
  })),
  ListKeys: anyResource('ListKeys'),
  ListAliases: anyResource('ListAliases'),
  GenerateRandom: anyResource('GenerateRandom', (input) => recipientConditionKeys(input.Recipient)),
  ListRetirableGrants: anyResource('ListRetirableGrants'),
  DescribeKey: keyOperation('DescribeKey'),
  GetKeyLastUsage: keyOperation('GetKeyLastUsage'),
  EnableKey: keyOperation('EnableKey'),
  DisableKey: keyOperation('DisableKey'),
  ScheduleKeyDeletion: keyOperation('ScheduleKeyDeletion'),
  CancelKeyDeletion: keyOperation('CancelKeyDeletion'),
  UpdateKeyDescription: keyOperation('UpdateKeyDescription'),
  Encrypt: keyOperation('Encrypt'),
  Decrypt: decrypt,
  ReEncrypt: reEncrypt,
  GenerateDataKey: keyOperation('GenerateDataKey'),
  GenerateDataKeyWithoutPlaintext: keyOperation('GenerateDataKeyWithoutPlaintext'),
  GenerateDataKeyPair: keyOperation('GenerateDataKeyPair'),
  GenerateDataKeyPairWithoutPlaintext: keyOperation('GenerateDataKeyPairWithoutPlaintext'),
  Sign: keyOperation('Sign'),
  Verify: keyOperation('Verify'),
  GenerateMac: keyOperation('GenerateMac'),
  VerifyMac: keyOperation('VerifyMac'),
  GetPublicKey: keyOperation('GetPublicKey'),
  DeriveSharedSecret: keyOperation('DeriveSharedSecret'),
  CreateAlias: aliasOperation('CreateAlias', async (input) => [input.TargetKeyId as string]),
  DeleteAlias: aliasOperation('DeleteAlias', currentAliasTarget),
  UpdateAlias: aliasOperation('UpdateAlias', async (input, context) => [...(await currentAliasTarget(input, context)), input.TargetKeyId as string]),
  TagResource: async (input, context) => {
    const location = await locateKey(context.store, context, input.KeyId as string);
    return [await onKey(context, location, 'kms:TagResource', requestTagContext(input))];
  },
  UntagResource: async (input, context) => {
    const location = await locateKey(context.store, context, input.KeyId as string);
    return [await onKey(context, location, 'kms:UntagResource', requestTagContext(input))];
  },
  ListResourceTags: keyOperation('ListResourceTags'),
  GetKeyPolicy: keyOperation('GetKeyPolicy'),
  PutKeyPolicy: keyOperation('PutKeyPolicy'),
  ListKeyPolicies: keyOperation('ListKeyPolicies'),
  EnableKeyRotation: keyOperation('EnableKeyRotation'),
  DisableKeyRotation: keyOperation('DisableKeyRotation'),
  GetKeyRotationStatus: keyOperation('GetKeyRotationStatus'),
  RotateKeyOnDemand: keyOperation('RotateKeyOnDemand'),
  ListKeyRotations: keyOperation('ListKeyRotations'),
  CreateGrant: async (input, context) => {
    const location = await locateKey(context.store, context, input.KeyId as string);
    return [await onKey(context, location, 'kms:CreateGrant', grantContext(input))];
  },
  ListGrants: keyOperation('ListGrants'),
  RevokeGrant: keyOperation('RevokeGrant'),
  RetireGrant: retireGrant,
  GetParametersForImport: keyOperation('GetParametersForImport'),
  ImportKeyMaterial: keyOperation('ImportKeyMaterial'),
  DeleteImportedKeyMaterial: keyOperation('DeleteImportedKeyMaterial'),
  ReplicateKey: async (input, context) => {
    const location = await locateKey(context.store, context, input.KeyId as string);
    return [
      await onKey(context, location, 'kms:ReplicateKey', parameterKeys(input)),
      { action: 'kms:CreateKey', resource: '*', context: { ...requestTagContext(input), 'kms:CallerAccount': context.principal.accountId } },
    ];
  },
  UpdatePrimaryRegion: keyOperation('UpdatePrimaryRegion'),
};
