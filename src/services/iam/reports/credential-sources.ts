// The credential records (access keys, passwords, MFA devices, certificates) are kept
// by IAM's credentials area. The reports read them only through the small readers
// below, so their layout is assumed in this one file:
//   iam.access-keys          ACCOUNT/username/ACCESSKEYID -> AccessKeyView-like record
//   iam.login-profiles       ACCOUNT/username             -> LoginProfileView-like record
//   iam.mfa-devices          ACCOUNT/serial               -> MfaDeviceView-like record
//   iam.signing-certificates ACCOUNT/username/CERTID      -> SigningCertificateView-like record
//   iam.server-certificates  ACCOUNT/name                 -> any
//   iam.password-policy      ACCOUNT                      -> { MaxPasswordAge?: number }
// Each reader accepts the field names of IAM's API shapes as well as camelCase ones.
import type { Documents } from '../../../store/store.ts';
import { listAll } from '../identities/shared.ts';

export const CREDENTIAL_COLLECTIONS = {
  accessKeys: 'iam.access-keys',
  loginProfiles: 'iam.login-profiles',
  mfaDevices: 'iam.mfa-devices',
  signingCertificates: 'iam.signing-certificates',
  serverCertificates: 'iam.server-certificates',
  passwordPolicy: 'iam.password-policy',
} as const;

export interface AccessKeyView {
  userName: string;
  accessKeyId: string;
  active: boolean;
  createDate: string;
  lastUsed?: { date: string; region: string; service: string };
}

export interface LoginProfileView {
  userName: string;
  createDate: string;
  /** When the password was last set (creation or change). */
  passwordLastChanged: string;
}

export interface MfaDeviceView {
  serialNumber: string;
  /** The user it is enabled for; undefined for an unassigned virtual device. */
  userName: string | undefined;
}

export interface SigningCertificateView {
  userName: string;
  active: boolean;
  uploadDate: string;
}

type Loose = Record<string, unknown>;

function field<T>(record: Loose, ...names: string[]): T | undefined {
  for (const name of names) if (record[name] !== undefined) return record[name] as T;
  return undefined;
}

function date(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return new Date(value as string).toISOString();
}

async function loose(docs: Documents, collection: string, prefix: string): Promise<Loose[]> {
  return (await listAll<Loose>(docs, collection, prefix)).map((entry) => entry.value);
}

export async function readAccessKeys(docs: Documents, accountId: string): Promise<AccessKeyView[]> {
  return (await loose(docs, CREDENTIAL_COLLECTIONS.accessKeys, `${accountId}/`)).map((record) => {
    const lastUsed = field<Loose>(record, 'lastUsed', 'AccessKeyLastUsed');
    const lastUsedDate = lastUsed && date(field(lastUsed, 'date', 'LastUsedDate'));
    return {
      userName: field<string>(record, 'userName', 'UserName') ?? '',
      accessKeyId: field<string>(record, 'accessKeyId', 'AccessKeyId') ?? '',
      active: (field<string>(record, 'status', 'Status') ?? 'Active') === 'Active',
      createDate: date(field(record, 'createDate', 'CreateDate')) ?? new Date(0).toISOString(),
      ...(lastUsed && lastUsedDate
        ? {
            lastUsed: {
              date: lastUsedDate,
              region: field<string>(lastUsed, 'region', 'Region') ?? 'N/A',
              service: field<string>(lastUsed, 'service', 'serviceName', 'ServiceName') ?? 'N/A',
            },
          }
        : {}),
    };
  });
}

export async function readLoginProfiles(docs: Documents, accountId: string): Promise<LoginProfileView[]> {
  return (await loose(docs, CREDENTIAL_COLLECTIONS.loginProfiles, `${accountId}/`)).map((record) => {
    const created = date(field(record, 'createDate', 'CreateDate')) ?? new Date(0).toISOString();
    return {
      userName: field<string>(record, 'userName', 'UserName') ?? '',
      createDate: created,
      passwordLastChanged: date(field(record, 'passwordLastChanged', 'passwordChangedDate')) ?? created,
    };
  });
}

export async function readMfaDevices(docs: Documents, accountId: string): Promise<MfaDeviceView[]> {
  return (await loose(docs, CREDENTIAL_COLLECTIONS.mfaDevices, `${accountId}/`)).map((record) => ({
    serialNumber: field<string>(record, 'serialNumber', 'SerialNumber') ?? '',
    userName: field<string>(record, 'userName', 'UserName'),
  }));
}

export async function readSigningCertificates(docs: Documents, accountId: string): Promise<SigningCertificateView[]> {
  return (await loose(docs, CREDENTIAL_COLLECTIONS.signingCertificates, `${accountId}/`)).map((record) => ({
    userName: field<string>(record, 'userName', 'UserName') ?? '',
    active: (field<string>(record, 'status', 'Status') ?? 'Active') === 'Active',
    uploadDate: date(field(record, 'uploadDate', 'UploadDate')) ?? new Date(0).toISOString(),
  }));
}

export async function countServerCertificates(docs: Documents, accountId: string): Promise<number> {
  return docs.count(CREDENTIAL_COLLECTIONS.serverCertificates, `${accountId}/`);
}

/** The account password policy's MaxPasswordAge in days, if it sets one. */
export async function readMaxPasswordAge(docs: Documents, accountId: string): Promise<number | undefined> {
  const policy = await docs.get<Loose>(CREDENTIAL_COLLECTIONS.passwordPolicy, accountId);
  return policy ? field<number>(policy, 'maxPasswordAge', 'MaxPasswordAge') : undefined;
}
