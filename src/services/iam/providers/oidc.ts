// OpenID Connect identity providers: one per issuer URL in an account, named in its
// ARN by the URL without its scheme (arn:aws:iam::ACCT:oidc-provider/host/path).
// Thumbprints are optional since AWS validates well-known IdPs against its own CA
// library; STS AssumeRoleWithWebIdentity reads the records kept here.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { alreadyExists, iamArn, invalidInput } from '../common.ts';
import { tagPage, removeTags } from '../identities/tags.ts';
import { COLLECTIONS, type OidcProviderRecord } from '../records.ts';
import {
  accountOf,
  initialTags,
  mergeProviderTags,
  oidcNotFound,
  PROVIDER_QUOTAS,
  providerKey,
  quotaExceeded,
} from './shared.ts';

const OIDC = COLLECTIONS.oidcProviders;

/** `https://host[/path]` -> `host[/path]`; anything else is InvalidInput. */
export function oidcIssuer(url: string): string {
  const match = /^https:\/\/([^/?#:\s]+)((?:\/[^?#\s]*)?)$/i.exec(url);
  if (!match || !/^[A-Za-z0-9.-]+$/.test(match[1]!)) throw invalidInput('Invalid Open ID Connect Provider URL');
  return (match[1]! + match[2]!).replace(/\/+$/, '');
}

function checkThumbprints(thumbprints: readonly string[]): string[] {
  if (thumbprints.length > PROVIDER_QUOTAS.ThumbprintsPerOpenIdConnectProvider) {
    throw invalidInput('Thumbprint list must contain fewer than 5 entries.');
  }
  for (const thumbprint of thumbprints) {
    if (!/^[0-9A-Fa-f]{40}$/.test(thumbprint)) throw invalidInput(`Thumbprint ${thumbprint} is not a 40-character hexadecimal SHA-1 fingerprint.`);
  }
  return [...new Set(thumbprints)];
}

function checkClientIds(clientIds: readonly string[]): string[] {
  const unique = [...new Set(clientIds)];
  if (unique.length > PROVIDER_QUOTAS.ClientIdsPerOpenIdConnectProvider) throw quotaExceeded('ClientIdsPerOpenIdConnectProvider');
  return unique;
}

async function loadProvider(docs: Documents, arn: string, accountId: string): Promise<{ key: string; record: OidcProviderRecord }> {
  const key = providerKey(arn, 'oidc-provider', accountId, () => oidcNotFound(arn));
  const record = await docs.get<OidcProviderRecord>(OIDC, key);
  if (!record) throw oidcNotFound(arn);
  return { key, record };
}

/** Reads a provider, changes it, writes it back, in one transaction. */
function updateProvider(
  context: RequestContext,
  arn: string,
  change: (record: OidcProviderRecord) => OidcProviderRecord,
): Promise<void> {
  return context.store.transaction(async (tx) => {
    const { key, record } = await loadProvider(tx, arn, accountOf(context));
    await tx.put(OIDC, key, change(record));
  });
}

export const oidcHandlers: Handlers<Operations> = {
  async CreateOpenIDConnectProvider(input, context) {
    const accountId = accountOf(context);
    const issuer = oidcIssuer(input.Url);
    const record: OidcProviderRecord = {
      accountId,
      arn: iamArn(accountId, 'oidc-provider/', '', issuer),
      url: issuer,
      clientIds: checkClientIds(input.ClientIDList ?? []),
      thumbprints: checkThumbprints(input.ThumbprintList ?? []),
      createDate: context.now.toISOString(),
      tags: initialTags(input.Tags),
    };
    await context.store.transaction(async (tx) => {
      if ((await tx.count(OIDC, `${accountId}/`)) >= PROVIDER_QUOTAS.OpenIdConnectProvidersPerAccount) {
        throw quotaExceeded('OpenIdConnectProvidersPerAccount');
      }
      if (!(await tx.insert(OIDC, `${accountId}/${issuer.toLowerCase()}`, record))) {
        throw alreadyExists(`Provider with url https://${issuer} already exists.`);
      }
    });
    return { OpenIDConnectProviderArn: record.arn, ...(record.tags.length > 0 ? { Tags: record.tags } : {}) };
  },

  async GetOpenIDConnectProvider(input, context) {
    const { record } = await loadProvider(context.store, input.OpenIDConnectProviderArn, accountOf(context));
    return {
      Url: record.url,
      ClientIDList: record.clientIds,
      ThumbprintList: record.thumbprints,
      CreateDate: new Date(record.createDate),
      Tags: record.tags,
    };
  },

  async DeleteOpenIDConnectProvider(input, context) {
    const accountId = accountOf(context);
    const arn = input.OpenIDConnectProviderArn;
    const key = providerKey(arn, 'oidc-provider', accountId, () => oidcNotFound(arn));
    if (!(await context.store.delete(OIDC, key))) throw oidcNotFound(arn);
  },

  async ListOpenIDConnectProviders(_input, context) {
    const page = await context.store.list<OidcProviderRecord>(OIDC, { prefix: `${accountOf(context)}/` });
    return { OpenIDConnectProviderList: page.items.map((entry) => ({ Arn: entry.value.arn })) };
  },

  async AddClientIDToOpenIDConnectProvider(input, context) {
    await updateProvider(context, input.OpenIDConnectProviderArn, (record) => ({
      ...record,
      clientIds: checkClientIds([...record.clientIds, input.ClientID]),
    }));
  },

  async RemoveClientIDFromOpenIDConnectProvider(input, context) {
    // Removing a client id the provider does not have succeeds, as on AWS.
    await updateProvider(context, input.OpenIDConnectProviderArn, (record) => ({
      ...record,
      clientIds: record.clientIds.filter((id) => id !== input.ClientID),
    }));
  },

  async UpdateOpenIDConnectProviderThumbprint(input, context) {
    const thumbprints = checkThumbprints(input.ThumbprintList);
    await updateProvider(context, input.OpenIDConnectProviderArn, (record) => ({ ...record, thumbprints }));
  },

  async TagOpenIDConnectProvider(input, context) {
    await updateProvider(context, input.OpenIDConnectProviderArn, (record) => ({
      ...record,
      tags: mergeProviderTags(record.tags, input.Tags),
    }));
  },

  async UntagOpenIDConnectProvider(input, context) {
    await updateProvider(context, input.OpenIDConnectProviderArn, (record) => ({
      ...record,
      tags: removeTags(record.tags, input.TagKeys),
    }));
  },

  async ListOpenIDConnectProviderTags(input, context) {
    const { record } = await loadProvider(context.store, input.OpenIDConnectProviderArn, accountOf(context));
    return tagPage(record.tags, input);
  },
};
