// Authentication: SigV4 verification, principals, and where credentials come from.
export {
  authenticate,
  credentialScopeOf,
  type AuthFlavor,
  type AuthMode,
  type AuthOptions,
  type AuthResult,
  type CredentialResolver,
  type ResolvedCredential,
} from './authenticate.ts';
export { anonymousPrincipal, rootPrincipal, type Principal } from './principal.ts';
export type { CredentialScope } from './sigv4.ts';
