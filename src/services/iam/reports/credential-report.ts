// The credential report: one CSV line per IAM user (the root user first) with the
// state of its password, MFA, access keys and signing certificates, in AWS's columns
// and AWS's placeholder values (N/A, no_information, not_supported). AWS builds a new
// report at most every 4 hours and serves one for 4 hours after it was made.
import type { Operations } from '../../../protocol/types/iam.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { COLLECTIONS, ROOT_USER_NAME, type RootUserRecord, type UserRecord } from '../records.ts';
import { listAll } from '../identities/shared.ts';
import {
  readAccessKeys,
  readLoginProfiles,
  readMaxPasswordAge,
  readMfaDevices,
  readSigningCertificates,
  type AccessKeyView,
  type SigningCertificateView,
} from './credential-sources.ts';

export const REPORT_LIFETIME_MS = 4 * 60 * 60 * 1000;

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

type Column = (typeof CREDENTIAL_REPORT_COLUMNS)[number];
type Row = Record<Column, string>;
type Columns = Partial<Row>;

export interface CredentialReportRecord {
  generatedTime: string;
  content: string;
}

const NA = 'N/A';
const NO_INFORMATION = 'no_information';
const NOT_SUPPORTED = 'not_supported';

/** AWS's timestamp form in the report: 2024-05-01T12:00:00+00:00. */
function reportTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function accessKeyColumns(n: 1 | 2, key: AccessKeyView | undefined): Columns {
  const prefix = `access_key_${n}` as const;
  return {
    [`${prefix}_active`]: String(key?.active ?? false),
    [`${prefix}_last_rotated`]: key ? reportTime(key.createDate) : NA,
    [`${prefix}_last_used_date`]: key?.lastUsed ? reportTime(key.lastUsed.date) : NA,
    [`${prefix}_last_used_region`]: key?.lastUsed?.region ?? NA,
    [`${prefix}_last_used_service`]: key?.lastUsed?.service ?? NA,
  };
}

function certificateColumns(n: 1 | 2, certificate: SigningCertificateView | undefined): Columns {
  return {
    [`cert_${n}_active`]: String(certificate?.active ?? false),
    [`cert_${n}_last_rotated`]: certificate ? reportTime(certificate.uploadDate) : NA,
  };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function toCsv(rows: readonly Row[]): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  for (const row of rows) lines.push(CREDENTIAL_REPORT_COLUMNS.map((column) => csvField(row[column])).join(','));
  return lines.join('\n');
}

/** Builds the report's CSV from the account's current state. */
export async function buildCredentialReport(docs: Documents, accountId: string, now: Date): Promise<string> {
  const [users, root, keys, profiles, devices, certificates, maxPasswordAge] = await Promise.all([
    listAll<UserRecord>(docs, COLLECTIONS.users, `${accountId}/`),
    docs.get<RootUserRecord>(COLLECTIONS.rootUsers, accountId),
    readAccessKeys(docs, accountId),
    readLoginProfiles(docs, accountId),
    readMfaDevices(docs, accountId),
    readSigningCertificates(docs, accountId),
    readMaxPasswordAge(docs, accountId),
  ]);
  const owned = <T extends { userName: string }>(list: readonly T[], user: string) =>
    list.filter((item) => item.userName.toLowerCase() === user.toLowerCase());

  // The root user's own access keys and MFA device are kept under ROOT_USER_NAME.
  const rootKeys = owned(keys, ROOT_USER_NAME).sort((a, b) => a.createDate.localeCompare(b.createDate));
  const rootRow = {
    user: ROOT_USER_NAME,
    arn: `arn:aws:iam::${accountId}:root`,
    user_creation_time: reportTime(root?.createDate ?? now.toISOString()),
    password_enabled: NOT_SUPPORTED,
    password_last_used: NO_INFORMATION,
    password_last_changed: NOT_SUPPORTED,
    password_next_rotation: NOT_SUPPORTED,
    mfa_active: String(devices.some((d) => d.userName === ROOT_USER_NAME)),
    ...accessKeyColumns(1, rootKeys[0]),
    ...accessKeyColumns(2, rootKeys[1]),
    ...certificateColumns(1, undefined),
    ...certificateColumns(2, undefined),
  } as Row;

  const userRows = users.map(({ value: user }) => {
    const profile = owned(profiles, user.userName)[0];
    const userKeys = owned(keys, user.userName).sort((a, b) => a.createDate.localeCompare(b.createDate));
    const userCertificates = owned(certificates, user.userName).sort((a, b) => a.uploadDate.localeCompare(b.uploadDate));
    const nextRotation =
      profile && maxPasswordAge
        ? reportTime(new Date(new Date(profile.passwordLastChanged).getTime() + maxPasswordAge * 86_400_000).toISOString())
        : NA;
    return {
      user: user.userName,
      arn: user.arn,
      user_creation_time: reportTime(user.createDate),
      password_enabled: String(profile !== undefined),
      password_last_used: user.passwordLastUsed ? reportTime(user.passwordLastUsed) : profile ? NO_INFORMATION : NA,
      password_last_changed: profile ? reportTime(profile.passwordLastChanged) : NA,
      password_next_rotation: nextRotation,
      mfa_active: String(devices.some((d) => d.userName?.toLowerCase() === user.userName.toLowerCase())),
      ...accessKeyColumns(1, userKeys[0]),
      ...accessKeyColumns(2, userKeys[1]),
      ...certificateColumns(1, userCertificates[0]),
      ...certificateColumns(2, userCertificates[1]),
    } as Row;
  });
  return toCsv([rootRow, ...userRows]);
}

// AWS's documented wording for the two errors.
const NOT_PRESENT = 'The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.';
const EXPIRED = 'The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.';

export const credentialReportHandlers: Handlers<Operations> = {
  async GenerateCredentialReport(_input, context) {
    const accountId = context.principal.accountId;
    const existing = await context.store.get<CredentialReportRecord>(COLLECTIONS.credentialReports, accountId);
    if (existing && context.now.getTime() - new Date(existing.generatedTime).getTime() < REPORT_LIFETIME_MS) {
      return { State: 'COMPLETE' };
    }
    // Bulwark builds the report at once; the first answer still says STARTED, as AWS's does.
    const content = await buildCredentialReport(context.store, accountId, context.now);
    const record: CredentialReportRecord = { generatedTime: context.now.toISOString(), content };
    await context.store.put(COLLECTIONS.credentialReports, accountId, record);
    return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
  },

  async GetCredentialReport(_input, context) {
    const report = await context.store.get<CredentialReportRecord>(COLLECTIONS.credentialReports, context.principal.accountId);
    if (!report) {
      throw new AwsError('CredentialReportNotPresentException', NOT_PRESENT);
    }
    if (context.now.getTime() - new Date(report.generatedTime).getTime() >= REPORT_LIFETIME_MS) {
      throw new AwsError('CredentialReportExpiredException', EXPIRED);
    }
    return { Content: Buffer.from(report.content, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: new Date(report.generatedTime) };
  },
};
