// IAM credentials: access keys, console passwords and the account password policy,
// virtual MFA devices, SSH public keys, signing and server certificates, and
// service-specific credentials. One handler table for the IAM service to merge, and
// the checks other parts of Bulwark call (the server after each authenticated request,
// STS and the console sign-in).
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { registerUserDependent } from '../identities.ts';
import { CREDENTIAL_STORE, entityKey } from '../records.ts';
import { accessKeyHandlers, moveAccessKeys, userHasAccessKeys } from './access-keys.ts';
import { loginProfileHandlers } from './login-profiles.ts';
import { mfaHandlers, moveMfaDevices, userHasMfaDevices } from './mfa.ts';
import { passwordPolicyHandlers } from './password-policy.ts';
import { serverCertificateHandlers } from './server-certificates.ts';
import { serviceSpecificCredentialHandlers } from './service-specific.ts';
import { hasOwned, moveOwned } from './shared.ts';
import { signingCertificateHandlers } from './signing-certificates.ts';
import { sshKeyHandlers } from './ssh-keys.ts';

export const credentialHandlers: Handlers<Operations> = {
  ...accessKeyHandlers,
  ...loginProfileHandlers,
  ...passwordPolicyHandlers,
  ...mfaHandlers,
  ...sshKeyHandlers,
  ...signingCertificateHandlers,
  ...serverCertificateHandlers,
  ...serviceSpecificCredentialHandlers,
};

// DeleteUser refuses while a user has credentials; UpdateUser moves them to the new name.
registerUserDependent('accessKeys', userHasAccessKeys, moveAccessKeys);
registerUserDependent('mfaDevices', userHasMfaDevices, moveMfaDevices);
registerUserDependent(
  'loginProfile',
  async (docs, accountId, name) => (await docs.get(CREDENTIAL_STORE.loginProfiles, entityKey(accountId, name))) !== undefined,
  async (docs, accountId, oldName, newName) => {
    const oldKey = entityKey(accountId, oldName);
    const profile = await docs.get<object>(CREDENTIAL_STORE.loginProfiles, oldKey);
    if (!profile) return;
    await docs.delete(CREDENTIAL_STORE.loginProfiles, oldKey);
    await docs.put(CREDENTIAL_STORE.loginProfiles, entityKey(accountId, newName), { ...profile, userName: newName });
  },
);
for (const [slot, collection] of [
  ['signingCertificates', CREDENTIAL_STORE.signingCertificates],
  ['sshPublicKeys', CREDENTIAL_STORE.sshPublicKeys],
  ['serviceSpecificCredentials', CREDENTIAL_STORE.serviceSpecificCredentials],
] as const) {
  registerUserDependent(slot, hasOwned(collection), moveOwned(collection));
}

export { recordAccessKeyUse, userPrincipal, type AccessKeyUse } from './access-keys.ts';
export { recordPasswordUse, verifyConsolePassword, type ConsolePasswordCheck } from './login-profiles.ts';
export { enableRootMfaDevice, otpauthUri, verifyTotp } from './mfa.ts';
export { readPasswordPolicy } from './password-policy.ts';
export { hotp, totp, base32Decode, base32Encode } from './totp.ts';
export { parseSshPublicKey } from './ssh-keys.ts';
export { SUPPORTED_SERVICES } from './service-specific.ts';
