// Service-specific credentials: CreateServiceSpecificCredential,
// ResetServiceSpecificCredential, UpdateServiceSpecificCredential,
// DeleteServiceSpecificCredential, ListServiceSpecificCredentials. CodeCommit (Git
// over HTTPS) and Amazon Keyspaces get a generated user name ("<user>-at-<account>")
// and password; Amazon Bedrock gets an API key (an alias and a secret) that may
// expire. The password or secret is shown once, on Create and Reset, and only its
// hash is kept.
import { createHash, randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.ts';
import type { Operations, ServiceSpecificCredential, ServiceSpecificCredentialMetadata } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { ID_PREFIX, newUniqueId, noSuchEntity } from '../common.ts';
import { listAll, listPage, load } from '../identities/shared.ts';
import { CREDENTIAL_STORE, type ServiceSpecificCredentialRecord } from '../records.ts';
import { CREDENTIAL_QUOTAS, ownedKey, ownerOf, ownerPrefix, quotaExceeded, randomUpperId, type Owner } from './shared.ts';

const CREDENTIALS = CREDENTIAL_STORE.serviceSpecificCredentials;

/** The services that accept service-specific credentials, and which kind each issues. */
export const SUPPORTED_SERVICES = {
  'codecommit.amazonaws.com': 'password',
  'cassandra.amazonaws.com': 'password',
  'bedrock.amazonaws.com': 'api-key',
} as const;

type SupportedService = keyof typeof SUPPORTED_SERVICES;

function checkService(serviceName: string): asserts serviceName is SupportedService {
  if (!(serviceName in SUPPORTED_SERVICES)) {
    throw new AwsError('ServiceNotSupportedException', `No such service ${serviceName} is supported for Service-Specific Credentials`);
  }
}

const notFound = (id: string) => noSuchEntity(`No such credential ${id} exists`);

/** A new secret, and what the record keeps of it. */
interface Secret {
  /** Shown once: ServicePassword or ServiceCredentialSecret. */
  value: string;
  sha256: string;
}

function newSecret(record: Pick<ServiceSpecificCredentialRecord, 'serviceName' | 'serviceCredentialAlias'>): Secret {
  const value =
    SUPPORTED_SERVICES[record.serviceName as SupportedService] === 'api-key'
      ? `ABSK${Buffer.from(`${record.serviceCredentialAlias}:${randomBytes(30).toString('base64')}`).toString('base64')}`
      : randomBytes(32).toString('base64');
  return { value, sha256: createHash('sha256').update(value).digest('hex') };
}

function metadata(record: ServiceSpecificCredentialRecord): ServiceSpecificCredentialMetadata {
  return {
    UserName: record.userName,
    Status: record.status,
    ...(record.serviceUserName ? { ServiceUserName: record.serviceUserName } : {}),
    ...(record.serviceCredentialAlias ? { ServiceCredentialAlias: record.serviceCredentialAlias } : {}),
    CreateDate: new Date(record.createDate),
    ...(record.expirationDate ? { ExpirationDate: new Date(record.expirationDate) } : {}),
    ServiceSpecificCredentialId: record.serviceSpecificCredentialId,
    ServiceName: record.serviceName,
  };
}

/** The full credential, with its secret: only Create and Reset answer with this. */
function withSecret(record: ServiceSpecificCredentialRecord, secret: Secret): ServiceSpecificCredential {
  const isApiKey = record.serviceCredentialAlias !== undefined;
  return { ...metadata(record), ...(isApiKey ? { ServiceCredentialSecret: secret.value } : { ServicePassword: secret.value }) };
}

async function loadCredential(docs: Documents, owner: Owner, id: string): Promise<ServiceSpecificCredentialRecord> {
  const record = await docs.get<ServiceSpecificCredentialRecord>(CREDENTIALS, ownedKey(owner.accountId, owner.userName, id));
  if (!record) throw notFound(id);
  return record;
}

export const serviceSpecificCredentialHandlers: Handlers<Operations> = {
  async CreateServiceSpecificCredential(input, context) {
    checkService(input.ServiceName);
    const accountId = context.principal.accountId;
    const { record, secret } = await context.store.transaction(async (tx) => {
      const user = await load(tx, 'user', accountId, input.UserName);
      const existing = await listAll<ServiceSpecificCredentialRecord>(tx, CREDENTIALS, ownerPrefix(accountId, user.userName));
      const forService = existing.filter(({ value }) => value.serviceName === input.ServiceName);
      if (forService.length >= CREDENTIAL_QUOTAS.ServiceSpecificCredentialsPerUserPerService) {
        throw quotaExceeded('ServiceSpecificCredentialsPerUserPerService');
      }
      const isApiKey = SUPPORTED_SERVICES[input.ServiceName as SupportedService] === 'api-key';
      const identity = isApiKey
        ? { serviceCredentialAlias: `BedrockAPIKey-${randomUpperId(4).toLowerCase()}-at-${accountId}` }
        : { serviceUserName: `${user.userName}-at-${accountId}` };
      const days = isApiKey ? input.CredentialAgeDays : undefined;
      const partial = { serviceName: input.ServiceName, ...identity };
      const fresh = newSecret(partial);
      const created: ServiceSpecificCredentialRecord = {
        accountId,
        userName: user.userName,
        serviceSpecificCredentialId: newUniqueId(ID_PREFIX.serviceSpecificCredential),
        ...partial,
        secretSha256: fresh.sha256,
        status: 'Active',
        createDate: context.now.toISOString(),
        ...(days ? { expirationDate: new Date(context.now.getTime() + days * 86_400_000).toISOString() } : {}),
      };
      await tx.put(CREDENTIALS, ownedKey(accountId, user.userName, created.serviceSpecificCredentialId), created);
      return { record: created, secret: fresh };
    });
    return { ServiceSpecificCredential: withSecret(record, secret) };
  },

  async ResetServiceSpecificCredential(input, context) {
    const { record, secret } = await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const current = await loadCredential(tx, owner, input.ServiceSpecificCredentialId);
      const fresh = newSecret(current);
      const reset = { ...current, secretSha256: fresh.sha256 };
      await tx.put(CREDENTIALS, ownedKey(owner.accountId, owner.userName, current.serviceSpecificCredentialId), reset);
      return { record: reset, secret: fresh };
    });
    return { ServiceSpecificCredential: withSecret(record, secret) };
  },

  async UpdateServiceSpecificCredential(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const record = await loadCredential(tx, owner, input.ServiceSpecificCredentialId);
      await tx.put(CREDENTIALS, ownedKey(owner.accountId, owner.userName, record.serviceSpecificCredentialId), { ...record, status: input.Status });
    });
  },

  async DeleteServiceSpecificCredential(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const record = await loadCredential(tx, owner, input.ServiceSpecificCredentialId);
      await tx.delete(CREDENTIALS, ownedKey(owner.accountId, owner.userName, record.serviceSpecificCredentialId));
    });
  },

  async ListServiceSpecificCredentials(input, context) {
    if (input.ServiceName !== undefined) checkService(input.ServiceName);
    const prefix = input.AllUsers
      ? `${context.principal.accountId}/`
      : await ownerOf(context.store, context, input.UserName).then((owner) => ownerPrefix(owner.accountId, owner.userName));
    const page = await listPage<ServiceSpecificCredentialRecord>(
      context.store,
      CREDENTIALS,
      prefix,
      input,
      (record) => input.ServiceName === undefined || record.serviceName === input.ServiceName,
    );
    return { ServiceSpecificCredentials: page.items.map(metadata), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
};
