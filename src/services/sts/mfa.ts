// MFA codes (SerialNumber + TokenCode) are checked against the caller's MFA device by
// the IAM credentials area, which owns the devices and their seeds:
//   verifyTotp(store, accountId, userName, serialNumber, code, now)
// It is loaded when first needed, so STS keeps working while that area is absent; a
// code that cannot be checked is refused, never accepted.
import type { Principal } from '../../auth/principal.ts';
import type { Store } from '../../store/store.ts';
import { accessDenied, MESSAGES } from './errors.ts';

export type MfaVerifier = (
  store: Store,
  accountId: string,
  userName: string,
  serialNumber: string,
  code: string,
  now: Date,
) => unknown;

/** Where the IAM credentials area may export verifyTotp. */
const VERIFIER_MODULES = [
  '../iam/credentials.ts',
  '../iam/credentials/index.ts',
  '../iam/credentials/mfa.ts',
  '../iam/credentials/mfa-devices.ts',
];

let override: MfaVerifier | undefined;
let loaded: Promise<MfaVerifier | undefined> | undefined;

/** Replaces the verifier (tests); `undefined` goes back to the IAM credentials area's. */
export function useMfaVerifier(verifier: MfaVerifier | undefined): void {
  override = verifier;
}

async function loadVerifier(): Promise<MfaVerifier | undefined> {
  for (const path of VERIFIER_MODULES) {
    try {
      const module = (await import(new URL(path, import.meta.url).href)) as { verifyTotp?: unknown };
      if (typeof module.verifyTotp === 'function') return module.verifyTotp as MfaVerifier;
    } catch {
      // Not there (yet): try the next place.
    }
  }
  return undefined;
}

async function verifier(): Promise<MfaVerifier | undefined> {
  if (override) return override;
  loaded ??= loadVerifier().then((found) => {
    if (!found) loaded = undefined; // look again next time: the area may land later
    return found;
  });
  return loaded;
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
  const verify = await verifier();
  if (!verify) throw accessDenied(MESSAGES.mfaUnknownDevice);
  let result: unknown;
  try {
    result = await verify(store, caller.accountId, caller.userName, input.SerialNumber, input.TokenCode, now);
  } catch {
    // No such device, or not this user's.
    throw accessDenied(MESSAGES.mfaUnknownDevice);
  }
  const ok = result === true || (typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === true);
  if (!ok) throw accessDenied(MESSAGES.mfaInvalidCode);
  return true;
}
