// What the OIDC and SAML provider handlers share: reading a provider ARN the caller
// passed, the providers-per-account quotas, and tag handling (IAM's tag rules, as
// for users and roles).
import type { RequestContext } from '../../service.ts';
import { invalidInput, limitExceeded, noSuchEntity } from '../common.ts';
import { checkRequestTags } from '../identities/tags.ts';
import type { Tag } from '../records.ts';

export type ProviderKind = 'oidc-provider' | 'saml-provider';

/** IAM's quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const PROVIDER_QUOTAS = {
  OpenIdConnectProvidersPerAccount: 100,
  SAMLProvidersPerAccount: 100,
  ClientIdsPerOpenIdConnectProvider: 100,
  ThumbprintsPerOpenIdConnectProvider: 5,
  PrivateKeysPerSAMLProvider: 2,
  TagsPerProvider: 50,
} as const;

export function accountOf(context: RequestContext): string {
  return context.principal.accountId;
}

/**
 * The store key of the provider an ARN names: `ACCOUNT/<resource>`, lower-cased.
 * An ARN of another kind is InvalidInput; one of another account names nothing here.
 */
export function providerKey(arn: string, kind: ProviderKind, accountId: string, notFound: () => Error): string {
  const match = /^arn:aws:iam::(\d{12}):([\w-]+)\/(.+)$/.exec(arn);
  if (!match || match[2] !== kind) throw invalidInput(`Invalid ARN: ${arn}`);
  if (match[1] !== accountId) throw notFound();
  return `${accountId}/${match[3]!.toLowerCase()}`;
}

export function oidcNotFound(arn: string): Error {
  return noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
}

export function samlNotFound(arn: string): Error {
  return noSuchEntity(`SAMLProvider not found for arn ${arn}`);
}

/** Tags given at creation: IAM's request rules, copied so records hold plain data. */
export function initialTags(tags: readonly Tag[] | undefined): Tag[] {
  if (!tags) return [];
  checkRequestTags(tags);
  return tags.map(({ Key, Value }) => ({ Key, Value }));
}

/** The provider's tags after TagX: a key given again (any case) takes the new key and value. */
export function mergeProviderTags(existing: readonly Tag[], incoming: readonly Tag[]): Tag[] {
  checkRequestTags(incoming);
  const same = (a: Tag, b: Tag) => a.Key.toLowerCase() === b.Key.toLowerCase();
  const merged = existing.filter((tag) => !incoming.some((next) => same(next, tag)));
  merged.push(...incoming.map(({ Key, Value }) => ({ Key, Value })));
  if (merged.length > PROVIDER_QUOTAS.TagsPerProvider) {
    throw limitExceeded(`Cannot exceed quota for TagsPerResource: ${PROVIDER_QUOTAS.TagsPerProvider}`);
  }
  return merged;
}

export function quotaExceeded(quota: keyof typeof PROVIDER_QUOTAS): Error {
  return limitExceeded(`Cannot exceed quota for ${quota}: ${PROVIDER_QUOTAS[quota]}`);
}
