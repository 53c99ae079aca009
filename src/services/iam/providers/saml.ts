// SAML 2.0 identity providers: the IdP's metadata document, validated and kept with
// the signing certificates it names (STS AssumeRoleWithSAML checks assertions against
// them), under arn:aws:iam::ACCT:saml-provider/NAME.
import { randomUUID } from 'node:crypto';
import type { Operations, SAMLPrivateKey } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { alreadyExists, iamArn, invalidInput } from '../common.ts';
import { removeTags, tagPage } from '../identities/tags.ts';
import { COLLECTIONS, entityKey, type SamlProviderRecord } from '../records.ts';
import { readSamlMetadata } from './saml-metadata.ts';
import {
  accountOf,
  initialTags,
  mergeProviderTags,
  PROVIDER_QUOTAS,
  providerKey,
  quotaExceeded,
  samlNotFound,
} from './shared.ts';

const SAML = COLLECTIONS.samlProviders;

/** Metadata without a validUntil stays valid for 100 years (AWS shows a far-future ValidUntil). */
const DEFAULT_VALIDITY_YEARS = 100;

/** The private keys IAM decrypts encrypted assertions with; only their ids and dates are ever returned. */
interface StoredPrivateKey {
  keyId: string;
  timestamp: string;
  pem: string;
}

type SamlRecord = SamlProviderRecord & { privateKeys?: StoredPrivateKey[] };

function metadataFields(document: string, now: Date): Pick<SamlProviderRecord, 'metadataDocument' | 'signingCertificates' | 'entityId' | 'validUntil'> {
  const metadata = readSamlMetadata(document);
  const validUntil = metadata.validUntil ?? new Date(Date.UTC(now.getUTCFullYear() + DEFAULT_VALIDITY_YEARS, now.getUTCMonth(), now.getUTCDate()));
  return {
    metadataDocument: document,
    signingCertificates: metadata.signingCertificates,
    entityId: metadata.entityId,
    validUntil: validUntil.toISOString(),
  };
}

function privateKey(pem: string, now: Date): StoredPrivateKey {
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw invalidInput('The private key is not a valid PEM-encoded private key.');
  }
  return { keyId: randomUUID().replaceAll('-', '').toUpperCase().slice(0, 22), timestamp: now.toISOString(), pem };
}

function privateKeyList(record: SamlRecord): SAMLPrivateKey[] {
  return (record.privateKeys ?? []).map((key) => ({ KeyId: key.keyId, Timestamp: new Date(key.timestamp) }));
}

async function loadProvider(docs: Documents, arn: string, accountId: string): Promise<{ key: string; record: SamlRecord }> {
  const key = providerKey(arn, 'saml-provider', accountId, () => samlNotFound(arn));
  const record = await docs.get<SamlRecord>(SAML, key);
  if (!record) throw samlNotFound(arn);
  return { key, record };
}

function updateProvider(context: RequestContext, arn: string, change: (record: SamlRecord) => SamlRecord): Promise<void> {
  return context.store.transaction(async (tx) => {
    const { key, record } = await loadProvider(tx, arn, accountOf(context));
    await tx.put(SAML, key, change(record));
  });
}

export const samlHandlers: Handlers<Operations> = {
  async CreateSAMLProvider(input, context) {
    const accountId = accountOf(context);
    const record: SamlRecord = {
      accountId,
      arn: iamArn(accountId, 'saml-provider/', '', input.Name),
      name: input.Name,
      uuid: randomUUID(),
      ...metadataFields(input.SAMLMetadataDocument, context.now),
      createDate: context.now.toISOString(),
      ...(input.AssertionEncryptionMode ? { assertionEncryptionMode: input.AssertionEncryptionMode } : {}),
      ...(input.AddPrivateKey ? { privateKeys: [privateKey(input.AddPrivateKey, context.now)] } : {}),
      tags: initialTags(input.Tags),
    };
    await context.store.transaction(async (tx) => {
      if ((await tx.count(SAML, `${accountId}/`)) >= PROVIDER_QUOTAS.SAMLProvidersPerAccount) throw quotaExceeded('SAMLProvidersPerAccount');
      if (!(await tx.insert(SAML, entityKey(accountId, input.Name), record))) {
        throw alreadyExists(`SAMLProvider ${input.Name} already exists.`);
      }
    });
    return { SAMLProviderArn: record.arn, ...(record.tags.length > 0 ? { Tags: record.tags } : {}) };
  },

  async GetSAMLProvider(input, context) {
    const { record } = await loadProvider(context.store, input.SAMLProviderArn, accountOf(context));
    return {
      SAMLProviderUUID: record.uuid,
      SAMLMetadataDocument: record.metadataDocument,
      CreateDate: new Date(record.createDate),
      ValidUntil: new Date(record.validUntil),
      Tags: record.tags,
      ...(record.assertionEncryptionMode ? { AssertionEncryptionMode: record.assertionEncryptionMode } : {}),
      ...(record.privateKeys?.length ? { PrivateKeyList: privateKeyList(record) } : {}),
    };
  },

  async UpdateSAMLProvider(input, context) {
    const arn = input.SAMLProviderArn;
    const metadata = input.SAMLMetadataDocument === undefined ? {} : metadataFields(input.SAMLMetadataDocument, context.now);
    await updateProvider(context, arn, (record) => {
      let keys = record.privateKeys ?? [];
      if (input.RemovePrivateKey !== undefined) {
        if (!keys.some((key) => key.keyId === input.RemovePrivateKey)) throw invalidInput(`The private key ${input.RemovePrivateKey} does not exist.`);
        keys = keys.filter((key) => key.keyId !== input.RemovePrivateKey);
      }
      if (input.AddPrivateKey !== undefined) {
        if (keys.length >= PROVIDER_QUOTAS.PrivateKeysPerSAMLProvider) throw quotaExceeded('PrivateKeysPerSAMLProvider');
        keys = [...keys, privateKey(input.AddPrivateKey, context.now)];
      }
      const mode = input.AssertionEncryptionMode ?? record.assertionEncryptionMode;
      if (mode === 'Required' && keys.length === 0) {
        throw invalidInput('AssertionEncryptionMode Required needs at least one private key.');
      }
      return { ...record, ...metadata, privateKeys: keys, ...(mode ? { assertionEncryptionMode: mode } : {}) };
    });
    return { SAMLProviderArn: arn };
  },

  async DeleteSAMLProvider(input, context) {
    const arn = input.SAMLProviderArn;
    const key = providerKey(arn, 'saml-provider', accountOf(context), () => samlNotFound(arn));
    if (!(await context.store.delete(SAML, key))) throw samlNotFound(arn);
  },

  async ListSAMLProviders(_input, context) {
    const page = await context.store.list<SamlRecord>(SAML, { prefix: `${accountOf(context)}/` });
    return {
      SAMLProviderList: page.items.map(({ value }) => ({
        Arn: value.arn,
        ValidUntil: new Date(value.validUntil),
        CreateDate: new Date(value.createDate),
      })),
    };
  },

  async TagSAMLProvider(input, context) {
    await updateProvider(context, input.SAMLProviderArn, (record) => ({ ...record, tags: mergeProviderTags(record.tags, input.Tags) }));
  },

  async UntagSAMLProvider(input, context) {
    await updateProvider(context, input.SAMLProviderArn, (record) => ({ ...record, tags: removeTags(record.tags, input.TagKeys) }));
  },

  async ListSAMLProviderTags(input, context) {
    const { record } = await loadProvider(context.store, input.SAMLProviderArn, accountOf(context));
    return tagPage(record.tags, input);
  },
};
