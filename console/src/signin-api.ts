// The console's endpoints of its own: sign-in, sign-out and root MFA (AWS's sign-in service).
// Everything else the console does is a signed AWS API call (aws.ts).
import type { SignInRequest } from '../../src/server/console-signin-wire.ts';
import type { Session } from './session.ts';

export type SignInOutcome =
  | { status: 'SignedIn'; session: Session }
  | { status: 'MfaRequired' }
  | { status: 'PasswordChangeRequired' }
  | { status: 'Failed'; message: string; refusedNewPassword?: boolean };

async function post(path: string, body: unknown): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  const response = await fetch(`/console/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { ok: response.ok, body: answer };
}

export async function signIn(form: SignInRequest): Promise<SignInOutcome> {
  const { ok, body } = await post('signin', form);
  if (!ok) {
    const refusedNewPassword = body.error === 'PasswordPolicyViolationException' || body.error === 'EntityTemporarilyUnmodifiableException';
    return { status: 'Failed', message: String(body.message ?? 'Sign-in failed.'), refusedNewPassword };
  }
  if (body.status === 'SignedIn') {
    const { credentials, identity, region, mfaUsed } = body as unknown as Session;
    return { status: 'SignedIn', session: { credentials, identity, region, mfaUsed } };
  }
  if (body.status === 'MfaRequired' || body.status === 'PasswordChangeRequired') return { status: body.status };
  return { status: 'Failed', message: 'Unexpected answer from the sign-in endpoint.' };
}

/**
 * Enables a virtual MFA device for the root user (IAM's EnableMFADevice cannot name
 * root), proving the root session; throws with the server's message when refused.
 */
export async function enableRootMfa(session: Session, serialNumber: string, authenticationCode1: string, authenticationCode2: string): Promise<void> {
  const { ok, body } = await post('root-mfa', {
    accessKeyId: session.credentials.accessKeyId,
    sessionToken: session.credentials.sessionToken,
    serialNumber,
    authenticationCode1,
    authenticationCode2,
  });
  if (!ok) throw Object.assign(new Error(String(body.message ?? 'Refused.')), { name: String(body.error ?? 'Error') });
}

/** Ends the session on the server: its credentials stop working at once. */
export async function signOut(session: Session): Promise<void> {
  await post('signout', { accessKeyId: session.credentials.accessKeyId, sessionToken: session.credentials.sessionToken });
}
