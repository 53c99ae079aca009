// Account-wide IAM settings the reports area owns: which STS token version the global
// endpoint issues, and outbound web identity federation (IAM's JWT issuer).
import { randomUUID } from 'node:crypto';
import type { Operations } from '../../../protocol/types/iam.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { COLLECTIONS } from '../records.ts';

export interface AccountSettingsRecord {
  /** SetSecurityTokenServicePreferences; absent means AWS's default, v1Token. */
  globalEndpointTokenVersion?: 'v1Token' | 'v2Token';
  /** The issuer URL is the account's for good once made; `enabled` toggles. */
  outboundFederation?: { enabled: boolean; issuerIdentifier: string };
}

export async function readSettings(docs: Documents, accountId: string): Promise<AccountSettingsRecord> {
  return (await docs.get<AccountSettingsRecord>(COLLECTIONS.accountSettings, accountId)) ?? {};
}

async function changeSettings(docs: Documents, accountId: string, change: (s: AccountSettingsRecord) => AccountSettingsRecord) {
  const current = await readSettings(docs, accountId);
  const next = change(current);
  await docs.put(COLLECTIONS.accountSettings, accountId, next);
  return next;
}

/** GetAccountSummary's GlobalEndpointTokenVersion: 1 or 2. */
export function tokenVersionNumber(settings: AccountSettingsRecord): number {
  return settings.globalEndpointTokenVersion === 'v2Token' ? 2 : 1;
}

const FEDERATION_DISABLED = 'Outbound web identity federation is disabled for this account.';
const FEDERATION_ENABLED = 'Outbound web identity federation is already enabled for this account.';

export const settingsHandlers: Handlers<Operations> = {
  async SetSecurityTokenServicePreferences(input, context) {
    const accountId = context.principal.accountId;
    await context.store.transaction((tx) =>
      changeSettings(tx, accountId, (s) => ({ ...s, globalEndpointTokenVersion: input.GlobalEndpointTokenVersion })),
    );
  },

  async EnableOutboundWebIdentityFederation(_input, context) {
    const accountId = context.principal.accountId;
    const settings = await context.store.transaction((tx) =>
      changeSettings(tx, accountId, (s) => {
        if (s.outboundFederation?.enabled) throw new AwsError('FeatureEnabledException', FEDERATION_ENABLED);
        const issuerIdentifier = s.outboundFederation?.issuerIdentifier ?? `https://${randomUUID()}.tokens.sts.global.api.aws`;
        return { ...s, outboundFederation: { enabled: true, issuerIdentifier } };
      }),
    );
    return { IssuerIdentifier: settings.outboundFederation!.issuerIdentifier };
  },

  async DisableOutboundWebIdentityFederation(_input, context) {
    const accountId = context.principal.accountId;
    await context.store.transaction((tx) =>
      changeSettings(tx, accountId, (s) => {
        if (!s.outboundFederation?.enabled) throw new AwsError('FeatureDisabledException', FEDERATION_DISABLED);
        return { ...s, outboundFederation: { ...s.outboundFederation, enabled: false } };
      }),
    );
  },

  async GetOutboundWebIdentityFederationInfo(_input, context) {
    const federation = (await readSettings(context.store, context.principal.accountId)).outboundFederation;
    if (!federation?.enabled) throw new AwsError('FeatureDisabledException', FEDERATION_DISABLED);
    return { IssuerIdentifier: federation.issuerIdentifier, JwtVendingEnabled: true };
  },
};
