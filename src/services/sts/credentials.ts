// Temporary credentials: issued here, stored in ACCESS_KEYS (the collection the
// authentication layer reads), so a request signed with them authenticates as the
// session's principal until they expire on Bulwark's clock.
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../auth/principal.ts';
import type { Credentials } from '../../protocol/types/sts.ts';
import type { Documents } from '../../store/store.ts';
import { ACCESS_KEYS, type StoredCredential } from '../credentials.ts';
import { ID_PREFIX } from '../iam/common.ts';
import { accessKeyIdFor } from './access-key-ids.ts';

export interface SessionGrant {
  principal: Principal;
  now: Date;
  durationSeconds: number;
  mfaAuthenticated: boolean;
}

/** AWS's secret keys are 40 characters of base64. */
function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** An opaque token, long like AWS's (several hundred base64 characters). */
function newSessionToken(): string {
  return randomBytes(384).toString('base64');
}

export async function issueCredentials(docs: Documents, grant: SessionGrant): Promise<Credentials> {
  const expiration = new Date(grant.now.getTime() + grant.durationSeconds * 1000);
  const credentials: Credentials = {
    AccessKeyId: accessKeyIdFor(ID_PREFIX.temporaryAccessKey, grant.principal.accountId),
    SecretAccessKey: newSecretAccessKey(),
    SessionToken: newSessionToken(),
    Expiration: expiration,
  };
  const stored: StoredCredential = {
    secretAccessKey: credentials.SecretAccessKey,
    principal: grant.principal,
    sessionToken: credentials.SessionToken,
    expiresAt: expiration.toISOString(),
    active: true,
    mfaAuthenticated: grant.mfaAuthenticated,
  };
  // A fresh random id cannot be taken, but insert says so if it ever were.
  if (!(await docs.insert(ACCESS_KEYS, credentials.AccessKeyId, stored))) return issueCredentials(docs, grant);
  return credentials;
}

/** The stored record of the access key the request was signed with (undefined for keys Bulwark did not issue). */
export async function callerCredential(docs: Documents, accessKeyId: string | undefined): Promise<StoredCredential | undefined> {
  if (accessKeyId === undefined) return undefined;
  return docs.get<StoredCredential>(ACCESS_KEYS, accessKeyId);
}

/** Whether the caller signed with temporary credentials (a session), not a long-term key. */
export function isSessionCredential(credential: StoredCredential | undefined): boolean {
  return credential?.sessionToken !== undefined;
}

/** ISO time without milliseconds, as AWS's date condition keys carry it. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
