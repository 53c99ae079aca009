// X.509 signing certificates of IAM users: UploadSigningCertificate,
// UpdateSigningCertificate, DeleteSigningCertificate, ListSigningCertificates. At most
// two per user; one certificate can belong to one user of the account only; a
// certificate outside its validity period at upload is InvalidCertificate.
import { AwsError } from '../../../protocol/errors.ts';
import type { Operations, SigningCertificate } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { noSuchEntity } from '../common.ts';
import { listAll, listPage } from '../identities/shared.ts';
import { CREDENTIAL_STORE, type SigningCertificateRecord } from '../records.ts';
import { parseCertificate } from './certificates.ts';
import { CREDENTIAL_QUOTAS, ownedKey, ownerOf, ownerPrefix, quotaExceeded, randomUpperId, userNameField, type Owner } from './shared.ts';

const CERTIFICATES = CREDENTIAL_STORE.signingCertificates;

/** AWS's signing certificate ids: 28 upper-case letters and digits. */
const CERTIFICATE_ID_LENGTH = 28;

const certificateNotFound = (id: string) => noSuchEntity(`The Certificate with id ${id} cannot be found.`);

function shape(record: SigningCertificateRecord): SigningCertificate {
  return {
    ...userNameField(record.userName),
    CertificateId: record.certificateId,
    CertificateBody: record.certificateBody,
    Status: record.status,
    UploadDate: new Date(record.uploadDate),
  };
}

async function loadCertificate(docs: Documents, owner: Owner, id: string): Promise<SigningCertificateRecord> {
  const record = await docs.get<SigningCertificateRecord>(CERTIFICATES, ownedKey(owner.accountId, owner.userName, id));
  if (!record) throw certificateNotFound(id);
  return record;
}

export const signingCertificateHandlers: Handlers<Operations> = {
  async UploadSigningCertificate(input, context) {
    const parsed = parseCertificate(input.CertificateBody);
    if (context.now < parsed.notBefore || context.now > parsed.notAfter) {
      throw new AwsError('InvalidCertificateException', 'The request was rejected because the certificate is invalid.');
    }
    const record = await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const inAccount = await listAll<SigningCertificateRecord>(tx, CERTIFICATES, `${owner.accountId}/`);
      if (inAccount.some(({ value }) => value.fingerprint === parsed.fingerprint)) {
        throw new AwsError(
          'DuplicateCertificateException',
          'The request was rejected because the same certificate is associated with an IAM user in the account.',
        );
      }
      const prefix = ownerPrefix(owner.accountId, owner.userName);
      if (inAccount.filter(({ key }) => key.startsWith(prefix)).length >= CREDENTIAL_QUOTAS.SigningCertificatesPerUser) {
        throw quotaExceeded('SigningCertificatesPerUser');
      }
      const created: SigningCertificateRecord = {
        accountId: owner.accountId,
        userName: owner.userName,
        certificateId: randomUpperId(CERTIFICATE_ID_LENGTH),
        certificateBody: input.CertificateBody,
        fingerprint: parsed.fingerprint,
        status: 'Active',
        uploadDate: context.now.toISOString(),
      };
      await tx.put(CERTIFICATES, ownedKey(owner.accountId, owner.userName, created.certificateId), created);
      return created;
    });
    return { Certificate: shape(record) };
  },

  async UpdateSigningCertificate(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const record = await loadCertificate(tx, owner, input.CertificateId);
      await tx.put(CERTIFICATES, ownedKey(owner.accountId, owner.userName, record.certificateId), { ...record, status: input.Status });
    });
  },

  async DeleteSigningCertificate(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const record = await loadCertificate(tx, owner, input.CertificateId);
      await tx.delete(CERTIFICATES, ownedKey(owner.accountId, owner.userName, record.certificateId));
    });
  },

  async ListSigningCertificates(input, context) {
    const owner = await ownerOf(context.store, context, input.UserName);
    const page = await listPage<SigningCertificateRecord>(context.store, CERTIFICATES, ownerPrefix(owner.accountId, owner.userName), input);
    return { Certificates: page.items.map(shape), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
};
