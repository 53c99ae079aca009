// IAM identity providers: OpenID Connect (./providers/oidc.ts) and SAML 2.0
// (./providers/saml.ts). One handler table for the IAM service to merge.
import type { Operations } from '../../protocol/types/iam.ts';
import type { Handlers } from '../handlers.ts';
import { oidcHandlers } from './providers/oidc.ts';
import { samlHandlers } from './providers/saml.ts';

export const providerHandlers: Handlers<Operations> = {
  ...oidcHandlers,
  ...samlHandlers,
};

export { oidcIssuer } from './providers/oidc.ts';
export { readSamlMetadata, type SamlMetadata } from './providers/saml-metadata.ts';
