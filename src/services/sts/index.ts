// AWS Security Token Service: temporary credentials for role sessions (AssumeRole,
// web identity, SAML), user sessions (GetSessionToken, GetFederationToken), and
// who-am-I answers.
import type { ServiceDefinition } from '../service.ts';
import type { Operations } from '../../protocol/types/sts.ts';
import type { Handlers } from '../handlers.ts';
import { stsAccess } from './access.ts';
import { assumeRole } from './assume-role.ts';
import { decodeAuthorizationMessageHandler } from './authorization-message.ts';
import { getAccessKeyInfo, getCallerIdentity } from './identity.ts';
import { assumeRoot, getDelegatedAccessToken } from './organization-sessions.ts';
import { getWebIdentityToken } from './outbound-token.ts';
import { getFederationToken, getSessionToken } from './user-sessions.ts';
import { assumeRoleWithWebIdentity } from './web-identity.ts';
import { assumeRoleWithSAML } from './saml.ts';

export const stsHandlers: Handlers<Operations> = {
  GetCallerIdentity: getCallerIdentity,
  GetAccessKeyInfo: getAccessKeyInfo,
  AssumeRole: assumeRole,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
  AssumeRoleWithSAML: assumeRoleWithSAML,
  GetSessionToken: getSessionToken,
  GetFederationToken: getFederationToken,
  DecodeAuthorizationMessage: decodeAuthorizationMessageHandler,
  GetWebIdentityToken: getWebIdentityToken,
  AssumeRoot: assumeRoot,
  GetDelegatedAccessToken: getDelegatedAccessToken,
};

export const sts: ServiceDefinition = {
  model: 'sts',
  handlers: stsHandlers,
  access: stsAccess,
  anonymousOperations: new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']),
};

export { encodeAuthorizationMessage, authorizationMessageFor, type AuthorizationMessage } from './authorization-message.ts';
export { outboundJwks } from './outbound-token.ts';
