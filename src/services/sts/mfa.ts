// MFA codes (SerialNumber + TokenCode) are checked against the caller's MFA device by
// the IAM credentials area, which owns the devices and their seeds. Tests may put a
// verifier of their own in its place.
import type { Principal } from '../../auth/principal.ts';
import type { Store } from '../../store/store.ts';
import { verifyTotp } from '../iam/credentials/index.ts';
import { accessDenied, MESSAGES } from './errors.ts';

export type MfaVerifier = (
  store: Store,
  accountId: string,
  userName: string,
  serialNumber: string,
  code: string,
  now: Date,
) => boolean | Promise<boolean>;

let verify: MfaVerifier = verifyTotp;

/** Replaces the verifier (tests); `undefined` goes back to the IAM credentials area's. */
export function useMfaVerifier(verifier: MfaVerifier | undefined): void {
  verify = verifier ?? verifyTotp;
}

export interface MfaInput {
  SerialNumber?: string;
  TokenCode?: string;
}

/**
 * Checks the MFA code of a request. Returns false when none was given, true when the
 * code is right; throws AccessDenied (AWS's messages) otherwise.
 */
export async function checkMfa(store: Store, caller: Principal, input: MfaInput, now: Date): Promise<boolean> {
  if (input.SerialNumber === undefined && input.TokenCode === undefined) return false;
  if (input.SerialNumber === undefined || input.TokenCode === undefined) throw accessDenied(MESSAGES.mfaIncomplete);
  if (caller.type !== 'IAMUser') throw accessDenied(MESSAGES.mfaUnknownDevice);
  let result: boolean;
  try {
    result = await verify(store, caller.accountId, caller.userName, input.SerialNumber, input.TokenCode, now);
  } catch {
    // No such device, or not this user's.
    throw accessDenied(MESSAGES.mfaUnknownDevice);
  }
  if (!result) throw accessDenied(MESSAGES.mfaInvalidCode);
  return true;
}
