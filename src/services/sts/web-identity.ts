// sts:AssumeRoleWithWebIdentity: an OpenID Connect ID token (a JWT) signed by an IdP
// the role's account registered as an IAM OIDC provider buys a role session, if the
// role's trust policy allows that provider (and the token's claims it tests).
import type { ContextValue } from '../../policy/index.ts';
import { AwsError } from '../../protocol/errors.ts';
import type {
  AssumeRoleWithWebIdentityRequest,
  AssumeRoleWithWebIdentityResponse,
} from '../../protocol/types/sts.ts';
import { organizationControls } from '../principal-policies.ts';
import type { RequestContext } from '../service.ts';
import { COLLECTIONS, type OidcProviderRecord } from '../iam/records.ts';
import { accessDenied } from './errors.ts';
import { isoSeconds } from './credentials.ts';
import { JwtError, parseJwt, verifyJwt, type Jwt } from './jwt.ts';
import { providerSigningKeys } from './oidc-keys.ts';
import { startRoleSession } from './role-session.ts';
import { checkPackedSize, roleSessionSeconds, sessionPolicyDocuments, type SessionTags } from './session-rules.ts';
import { deniedTrustAction, findRole, requestTagFacts } from './trust.ts';

const ACTION = 'sts:AssumeRoleWithWebIdentity';
/** The claim an IdP uses to pass session tags (AWS's documented form). */
const TAGS_CLAIM = 'https://aws.amazon.com/tags';
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

function invalidToken(message: string): AwsError {
  return new AwsError('InvalidIdentityTokenException', message);
}

function notAuthorized(): AwsError {
  return accessDenied(`Not authorized to perform ${ACTION}`);
}

/** `https://host/path/` -> `host/path`: the form of the provider's URL (and its condition keys). */
function issuerName(iss: string): string {
  return iss.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
}

function numericClaim(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Session tags from the token's https://aws.amazon.com/tags claim. */
function tokenSessionTags(claims: Record<string, unknown>): SessionTags {
  const claim = claims[TAGS_CLAIM];
  if (!claim || typeof claim !== 'object') return { tags: {}, transitiveKeys: [] };
  const { principal_tags: principalTags, transitive_tag_keys: transitive } = claim as Record<string, unknown>;
  const tags: Record<string, string> = {};
  if (principalTags && typeof principalTags === 'object') {
    for (const [key, values] of Object.entries(principalTags as Record<string, unknown>)) {
      const value = Array.isArray(values) ? values[0] : values;
      if (typeof value === 'string') tags[key] = value;
    }
  }
  const transitiveKeys = Array.isArray(transitive) ? transitive.filter((key): key is string => typeof key === 'string' && key in tags) : [];
  return { tags, transitiveKeys };
}

function readToken(token: string): Jwt {
  try {
    return parseJwt(token);
  } catch (error) {
    throw invalidToken(error instanceof JwtError ? error.message : 'The web identity token is not valid.');
  }
}

/** exp, nbf and iss are required of an ID token and checked before anything else. */
function checkTimes(jwt: Jwt, now: Date): void {
  const exp = numericClaim(jwt.claims, 'exp');
  if (exp === undefined) throw invalidToken('The web identity token has no expiration (exp) claim.');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (exp <= nowSeconds) {
    throw new AwsError(
      'ExpiredTokenException',
      `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${exp}`,
    );
  }
  const nbf = numericClaim(jwt.claims, 'nbf');
  if (nbf !== undefined && nbf > nowSeconds) throw invalidToken('The web identity token is not valid yet (nbf).');
}

export async function assumeRoleWithWebIdentity(
  input: AssumeRoleWithWebIdentityRequest,
  context: RequestContext,
): Promise<AssumeRoleWithWebIdentityResponse> {
  const jwt = readToken(input.WebIdentityToken);
  const iss = jwt.claims.iss;
  if (typeof iss !== 'string' || !/^https:\/\//i.test(iss)) throw invalidToken('The web identity token has no valid issuer (iss) claim.');
  checkTimes(jwt, context.now);

  const found = await findRole(context.store, input.RoleArn);
  if (!found) throw notAuthorized();
  const { role } = found;
  const issuer = issuerName(iss);
  const provider = await context.store.get<OidcProviderRecord>(COLLECTIONS.oidcProviders, `${role.accountId}/${issuer.toLowerCase()}`);
  if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${iss}`);

  if (!verifyJwt(jwt, await providerSigningKeys(provider))) throw invalidToken('The web identity token signature could not be verified.');
  const audience = audiences(jwt.claims).find((aud) => provider.clientIds.includes(aud));
  if (audience === undefined) throw invalidToken('Incorrect token audience');
  const subject = jwt.claims.sub;
  if (typeof subject !== 'string' || subject === '') throw invalidToken('The web identity token has no subject (sub) claim.');

  const durationSeconds = roleSessionSeconds(input.DurationSeconds, role, false);
  const tags = tokenSessionTags(jwt.claims);
  const sourceIdentity = typeof jwt.claims[SOURCE_IDENTITY_CLAIM] === 'string' ? (jwt.claims[SOURCE_IDENTITY_CLAIM] as string) : undefined;
  const sessionPolicies = await sessionPolicyDocuments(context.store, role.accountId, input);
  const policyArns = (input.PolicyArns ?? []).flatMap((descriptor) => (descriptor.arn ? [descriptor.arn] : []));
  const packedPolicySize = checkPackedSize(input.Policy, policyArns, tags.tags);

  const trustContext: Record<string, ContextValue> = {
    'aws:FederatedProvider': provider.arn,
    'aws:CurrentTime': isoSeconds(context.now),
    'aws:EpochTime': String(Math.floor(context.now.getTime() / 1000)),
    'aws:RequestedRegion': context.region,
    'sts:RoleSessionName': input.RoleSessionName,
    [`${provider.url}:aud`]: audience,
    [`${provider.url}:sub`]: subject,
    ...requestTagFacts(tags.tags, tags.transitiveKeys),
  };
  if (context.sourceIp) trustContext['aws:SourceIp'] = context.sourceIp;
  for (const claim of ['amr', 'azp', 'email', 'oaud'] as const) {
    const value = jwt.claims[claim];
    if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
      trustContext[`${provider.url}:${claim}`] = value as ContextValue;
    }
  }
  if (sourceIdentity !== undefined) trustContext['sts:SourceIdentity'] = sourceIdentity;
  const actions = [ACTION];
  if (Object.keys(tags.tags).length > 0) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  const principal = { type: 'federated' as const, arn: provider.arn };
  const owner = await organizationControls(context.store, role.accountId);
  if (deniedTrustAction({ role, principal, actions, context: trustContext, owner })) throw notAuthorized();

  const session = await startRoleSession(context, {
    role,
    roleKey: found.key,
    sessionName: input.RoleSessionName,
    durationSeconds,
    sourceIdentity,
    tags,
    sessionPolicies,
    mfaAuthenticated: false,
    federatedProvider: provider.arn,
  });
  return {
    Credentials: session.Credentials,
    SubjectFromWebIdentityToken: subject,
    AssumedRoleUser: session.AssumedRoleUser,
    Provider: iss,
    Audience: audience,
    ...(packedPolicySize !== undefined ? { PackedPolicySize: packedPolicySize } : {}),
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  };
}
