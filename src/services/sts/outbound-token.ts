// sts:GetWebIdentityToken: outbound identity federation. An account that enabled it
// (iam:EnableOutboundWebIdentityFederation) gets JWTs for its principals, signed
// with a per-account key kept in the store, for external services to verify.
import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey } from 'node:crypto';
import { AwsError } from '../../protocol/errors.ts';
import type { GetWebIdentityTokenRequest, GetWebIdentityTokenResponse } from '../../protocol/types/sts.ts';
import type { Documents } from '../../store/store.ts';
import { readSettings } from '../iam/reports/settings.ts';
import type { RequestContext } from '../service.ts';
import { callerCredential } from './credentials.ts';
import { invalidParameterValue } from './errors.ts';

export const OUTBOUND_KEYS = 'sts.outbound-signing-keys';
const DEFAULT_TOKEN_SECONDS = 300;
/** AWS limits the token's payload; Bulwark uses the same ceiling for its own claims. */
const MAX_PAYLOAD_BYTES = 16_384;

const SIGNING: Record<string, { hash: string; generate: () => { privateKey: string; publicJwk: JsonWebKey } }> = {
  RS256: {
    hash: 'sha256',
    generate: () => {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { privateKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, publicJwk: pair.publicKey.export({ format: 'jwk' }) };
    },
  },
  ES384: {
    hash: 'sha384',
    generate: () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      return { privateKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, publicJwk: pair.publicKey.export({ format: 'jwk' }) };
    },
  },
};

interface SigningKeyRecord {
  kid: string;
  alg: string;
  privateKey: string;
  publicJwk: JsonWebKey;
}

async function signingKey(docs: Documents, accountId: string, alg: string): Promise<SigningKeyRecord> {
  const key = `${accountId}/${alg}`;
  const existing = await docs.get<SigningKeyRecord>(OUTBOUND_KEYS, key);
  if (existing) return existing;
  const made = SIGNING[alg]!.generate();
  await docs.insert(OUTBOUND_KEYS, key, { kid: randomUUID(), alg, ...made });
  return (await docs.get<SigningKeyRecord>(OUTBOUND_KEYS, key))!;
}

/** The public keys (JWKS) that verify an account's outbound tokens. */
export async function outboundJwks(docs: Documents, accountId: string): Promise<{ keys: JsonWebKey[] }> {
  const page = await docs.list<SigningKeyRecord>(OUTBOUND_KEYS, { prefix: `${accountId}/` });
  return { keys: page.items.map(({ value }) => ({ ...value.publicJwk, kid: value.kid, alg: value.alg, use: 'sig' })) };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export async function getWebIdentityToken(input: GetWebIdentityTokenRequest, context: RequestContext): Promise<GetWebIdentityTokenResponse> {
  const { principal, now } = context;
  const federation = (await readSettings(context.store, principal.accountId)).outboundFederation;
  if (!federation?.enabled) {
    throw new AwsError(
      'OutboundWebIdentityFederationDisabledException',
      'Outbound web identity federation is disabled for this account.',
    );
  }
  if (!(input.SigningAlgorithm in SIGNING)) {
    throw invalidParameterValue(`Unsupported signing algorithm ${input.SigningAlgorithm}: use RS256 or ES384.`);
  }
  const seconds = input.DurationSeconds ?? DEFAULT_TOKEN_SECONDS;
  const expiration = new Date(now.getTime() + seconds * 1000);
  // A token may not outlive the session credentials that asked for it.
  const credential = await callerCredential(context.store, context.accessKeyId);
  if (credential?.expiresAt && expiration.getTime() > Date.parse(credential.expiresAt)) {
    throw new AwsError('SessionDurationEscalationException', 'The requested token duration would extend beyond the expiration of the calling session.');
  }
  const subject = principal.type === 'AssumedRole' ? principal.roleArn : principal.arn;
  const claims: Record<string, unknown> = {
    iss: federation.issuerIdentifier,
    sub: subject,
    aud: input.Audience.length === 1 ? input.Audience[0] : input.Audience,
    iat: Math.floor(now.getTime() / 1000),
    nbf: Math.floor(now.getTime() / 1000),
    exp: Math.floor(expiration.getTime() / 1000),
    jti: randomUUID(),
    'https://sts.amazonaws.com/': {
      aws_account: principal.accountId,
      source_region: context.region,
      principal_id: principal.arn,
      ...(input.Tags?.length ? { request_tags: Object.fromEntries(input.Tags.map((tag) => [tag.Key, tag.Value])) } : {}),
    },
  };
  const payload = base64url(claims);
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new AwsError('JWTPayloadSizeExceededException', 'The requested token payload exceeds the maximum allowed size.');
  }
  const key = await signingKey(context.store, principal.accountId, input.SigningAlgorithm);
  const signingInput = `${base64url({ alg: key.alg, typ: 'JWT', kid: key.kid })}.${payload}`;
  const privateKey = createPrivateKey(key.privateKey);
  const signature = sign(SIGNING[key.alg]!.hash, Buffer.from(signingInput), key.alg.startsWith('ES') ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
  return { WebIdentityToken: `${signingInput}.${signature.toString('base64url')}`, Expiration: expiration };
}
