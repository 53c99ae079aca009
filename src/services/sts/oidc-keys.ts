// Where the signing keys of an OpenID Connect provider come from. AWS fetches the
// issuer's /.well-known/openid-configuration and its jwks_uri over the internet;
// Bulwark has no internet, so it fetches them only from loopback addresses:
// a provider tagged `bulwark:issuer-endpoint` = `http://127.0.0.1:PORT[/path]`
// is read from there (tests serve their JWKS on a local port). Any other provider's
// keys cannot be retrieved, and the call fails as AWS's does when the IdP is down.
import { AwsError } from '../../protocol/errors.ts';
import type { OidcProviderRecord } from '../iam/records.ts';
import type { Jwk } from './jwt.ts';

export const ISSUER_ENDPOINT_TAG = 'bulwark:issuer-endpoint';
const FETCH_TIMEOUT_MS = 3000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export const IDP_UNREACHABLE =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

function unreachable(): AwsError {
  return new AwsError('IDPCommunicationErrorException', IDP_UNREACHABLE);
}

function loopbackUrl(text: string | undefined): URL | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

async function fetchJson(url: URL): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body: unknown = await response.json();
  if (!body || typeof body !== 'object') throw new Error('not a JSON object');
  return body as Record<string, unknown>;
}

/** The provider's JWKS keys, via its loopback discovery document. */
export async function providerSigningKeys(provider: OidcProviderRecord): Promise<Jwk[]> {
  const endpoint = loopbackUrl(provider.tags.find((tag) => tag.Key === ISSUER_ENDPOINT_TAG)?.Value);
  if (!endpoint) throw unreachable();
  try {
    const base = endpoint.href.replace(/\/+$/, '');
    const discovery = await fetchJson(new URL(`${base}/.well-known/openid-configuration`));
    const jwksUri = loopbackUrl(typeof discovery.jwks_uri === 'string' ? discovery.jwks_uri : undefined);
    if (!jwksUri) throw new Error('jwks_uri is missing or not a loopback address');
    const jwks = await fetchJson(jwksUri);
    if (!Array.isArray(jwks.keys)) throw new Error('no keys');
    return jwks.keys as Jwk[];
  } catch {
    throw unreachable();
  }
}
