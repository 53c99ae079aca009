// Server certificates (for load balancers and CloudFront): UploadServerCertificate,
// GetServerCertificate, UpdateServerCertificate (rename, new path),
// DeleteServerCertificate, ListServerCertificates and their tags. The certificate,
// its private key and its chain are parsed for real; the key must be the
// certificate's. Bulwark keeps no private key: nothing here ever serves TLS with it.
import type { Operations, ServerCertificateMetadata } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { alreadyExists, iamArn, ID_PREFIX, noSuchEntity } from '../common.ts';
import { issueUniqueId, listPage, renameUniqueId, underPath } from '../identities/shared.ts';
import { checkRequestTags, removeTags, tagPage } from '../identities/tags.ts';
import { COLLECTIONS, CREDENTIAL_STORE, entityKey, type ServerCertificateRecord } from '../records.ts';
import { checkKeyPair, parseCertificate, parseChain, parsePrivateKey } from './certificates.ts';
import { CREDENTIAL_QUOTAS, quotaExceeded } from './shared.ts';
import { mergeCredentialTags } from './tags.ts';

const CERTIFICATES = CREDENTIAL_STORE.serverCertificates;

const notFound = (name: string) => noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
const duplicate = (name: string) => alreadyExists(`The Server Certificate with name ${name} already exists.`);

async function loadCertificate(docs: Documents, accountId: string, name: string): Promise<ServerCertificateRecord> {
  const record = await docs.get<ServerCertificateRecord>(CERTIFICATES, entityKey(accountId, name));
  if (!record) throw notFound(name);
  return record;
}

function metadata(record: ServerCertificateRecord): ServerCertificateMetadata {
  return {
    Path: record.path,
    ServerCertificateName: record.serverCertificateName,
    ServerCertificateId: record.serverCertificateId,
    Arn: record.arn,
    UploadDate: new Date(record.uploadDate),
    Expiration: new Date(record.expiration),
  };
}

async function changeTags(context: RequestContext, name: string, change: (tags: ServerCertificateRecord['tags']) => ServerCertificateRecord['tags']) {
  const accountId = context.principal.accountId;
  await context.store.transaction(async (tx) => {
    const record = await loadCertificate(tx, accountId, name);
    await tx.put(CERTIFICATES, entityKey(accountId, record.serverCertificateName), { ...record, tags: change(record.tags) });
  });
}

export const serverCertificateHandlers: Handlers<Operations> = {
  async UploadServerCertificate(input, context) {
    const accountId = context.principal.accountId;
    const path = input.Path ?? '/';
    const tags = (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value }));
    checkRequestTags(tags);
    const parsed = parseCertificate(input.CertificateBody);
    checkKeyPair(parsed.certificate, parsePrivateKey(input.PrivateKey));
    if (input.CertificateChain !== undefined) parseChain(input.CertificateChain);
    const name = input.ServerCertificateName;
    const record = await context.store.transaction(async (tx) => {
      const key = entityKey(accountId, name);
      if (await tx.get(CERTIFICATES, key)) throw duplicate(name);
      if ((await tx.count(CERTIFICATES, `${accountId}/`)) >= CREDENTIAL_QUOTAS.ServerCertificatesPerAccount) {
        throw quotaExceeded('ServerCertificatesPerAccount');
      }
      const created: ServerCertificateRecord = {
        accountId,
        serverCertificateName: name,
        serverCertificateId: await issueUniqueId(tx, ID_PREFIX.serverCertificate, { accountId, kind: 'server-certificate', name }),
        path,
        arn: iamArn(accountId, 'server-certificate', path, name),
        certificateBody: input.CertificateBody,
        ...(input.CertificateChain !== undefined ? { certificateChain: input.CertificateChain } : {}),
        uploadDate: context.now.toISOString(),
        expiration: parsed.notAfter.toISOString(),
        tags,
      };
      await tx.put(CERTIFICATES, key, created);
      return created;
    });
    return { ServerCertificateMetadata: metadata(record), ...(tags.length > 0 ? { Tags: tags } : {}) };
  },

  async GetServerCertificate(input, context) {
    const record = await loadCertificate(context.store, context.principal.accountId, input.ServerCertificateName);
    return {
      ServerCertificate: {
        ServerCertificateMetadata: metadata(record),
        CertificateBody: record.certificateBody,
        ...(record.certificateChain !== undefined ? { CertificateChain: record.certificateChain } : {}),
        ...(record.tags.length > 0 ? { Tags: record.tags } : {}),
      },
    };
  },

  async UpdateServerCertificate(input, context) {
    const accountId = context.principal.accountId;
    await context.store.transaction(async (tx) => {
      const record = await loadCertificate(tx, accountId, input.ServerCertificateName);
      const name = input.NewServerCertificateName ?? record.serverCertificateName;
      const path = input.NewPath ?? record.path;
      const oldKey = entityKey(accountId, record.serverCertificateName);
      const newKey = entityKey(accountId, name);
      if (newKey !== oldKey && (await tx.get(CERTIFICATES, newKey))) throw duplicate(name);
      if (newKey !== oldKey) await tx.delete(CERTIFICATES, oldKey);
      await tx.put(CERTIFICATES, newKey, { ...record, serverCertificateName: name, path, arn: iamArn(accountId, 'server-certificate', path, name) });
      if (name !== record.serverCertificateName) await renameUniqueId(tx, record.serverCertificateId, name);
    });
  },

  async DeleteServerCertificate(input, context) {
    const accountId = context.principal.accountId;
    await context.store.transaction(async (tx) => {
      const record = await loadCertificate(tx, accountId, input.ServerCertificateName);
      await tx.delete(CERTIFICATES, entityKey(accountId, record.serverCertificateName));
      await tx.delete(COLLECTIONS.uniqueIds, record.serverCertificateId);
    });
  },

  async ListServerCertificates(input, context) {
    const page = await listPage<ServerCertificateRecord>(
      context.store,
      CERTIFICATES,
      `${context.principal.accountId}/`,
      input,
      underPath(input.PathPrefix),
    );
    return { ServerCertificateMetadataList: page.items.map(metadata), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  async TagServerCertificate(input, context) {
    await changeTags(context, input.ServerCertificateName, (tags) => mergeCredentialTags(tags, input.Tags, 'ServerCertificate'));
  },

  async UntagServerCertificate(input, context) {
    await changeTags(context, input.ServerCertificateName, (tags) => removeTags(tags, input.TagKeys));
  },

  async ListServerCertificateTags(input, context) {
    const record = await loadCertificate(context.store, context.principal.accountId, input.ServerCertificateName);
    return tagPage(record.tags, input);
  },
};
