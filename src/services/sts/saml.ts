// sts:AssumeRoleWithSAML: a SAML 2.0 Response from an IdP the role's account registered
// as an IAM SAML provider buys a role session, when the provider's certificate verifies
// its signature, the assertion names the role and provider as a pair, and the role's
// trust policy allows the provider (and the claims it tests).
import { createHash } from 'node:crypto';
import type { ContextValue } from '../../policy/index.ts';
import type { AssumeRoleWithSAMLRequest, AssumeRoleWithSAMLResponse } from '../../protocol/types/sts.ts';
import { organizationControls } from '../principal-policies.ts';
import type { RequestContext } from '../service.ts';
import { childElements, isElement, NS, parseXml, XmlSyntaxError, type Element } from '../iam/providers/xml.ts';
import { COLLECTIONS, type SamlProviderRecord } from '../iam/records.ts';
import { isoSeconds } from './credentials.ts';
import { accessDenied } from './errors.ts';
import { startRoleSession } from './role-session.ts';
import {
  checkRecipient,
  checkStatus,
  checkTimes,
  hasRolePair,
  invalidToken,
  readClaims,
  SAML_MESSAGES,
  sessionDurationOf,
  sessionNameOf,
  sourceIdentityOf,
  subjectType,
  tagAttributes,
  type SamlClaims,
} from './saml-assertion.ts';
import { attributeContextKeys } from './saml-attributes.ts';
import { signedAssertion } from './saml-signature.ts';
import { checkPackedSize, NO_SESSION_TAGS, roleSessionSeconds, sessionPolicyDocuments, sessionTags } from './session-rules.ts';
import { deniedTrustAction, findRole, requestTagFacts } from './trust.ts';

const ACTION = 'sts:AssumeRoleWithSAML';
const SAML_PROVIDER_ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w.@-]+)$/;

function notAuthorized(): Error {
  return accessDenied(`Not authorized to perform ${ACTION}`);
}

interface ReceivedResponse {
  xml: string;
  response: Element;
}

/** The base64 SAMLAssertion as a parsed samlp:Response (strict XML, no DTD). */
function readResponse(samlAssertion: string): ReceivedResponse {
  const compact = samlAssertion.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw invalidToken(SAML_MESSAGES.unreadable);
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  let response: Element;
  try {
    response = parseXml(xml).documentElement!;
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw invalidToken(SAML_MESSAGES.unreadable);
    throw error;
  }
  if (!isElement(response, NS.protocol, 'Response')) throw invalidToken(SAML_MESSAGES.unreadable);
  if (childElements(response, NS.assertion, 'EncryptedAssertion').length > 0) throw invalidToken(SAML_MESSAGES.encrypted);
  if (childElements(response, NS.assertion, 'Assertion').length !== 1) throw invalidToken(SAML_MESSAGES.unreadable);
  return { xml, response };
}

async function findProvider(context: RequestContext, principalArn: string): Promise<SamlProviderRecord> {
  const match = SAML_PROVIDER_ARN.exec(principalArn);
  const provider = match && (await context.store.get<SamlProviderRecord>(COLLECTIONS.samlProviders, `${match[1]}/${match[2]!.toLowerCase()}`));
  if (!provider || provider.arn !== principalArn) throw invalidToken(SAML_MESSAGES.providerMissing);
  return provider;
}

/** NameQualifier as AWS documents it: BASE64(SHA1(issuer + account id + "/" + provider name)). */
export function nameQualifier(issuer: string, provider: SamlProviderRecord): string {
  return createHash('sha1').update(`${issuer}${provider.accountId}/${provider.name}`).digest('base64');
}

/** The claims of the assertion the provider signed, after AWS's checks on them. */
function verifiedClaims(received: ReceivedResponse, provider: SamlProviderRecord, now: Date): SamlClaims {
  checkStatus(received.response);
  const assertion = signedAssertion(received.xml, received.response, provider.signingCertificates);
  if (!assertion) throw invalidToken(SAML_MESSAGES.signatureInvalid);
  const claims = readClaims(assertion);
  if (claims.issuer !== provider.entityId) throw invalidToken(SAML_MESSAGES.issuerMismatch);
  checkTimes(claims, now);
  return claims;
}

export async function assumeRoleWithSAML(input: AssumeRoleWithSAMLRequest, context: RequestContext): Promise<AssumeRoleWithSAMLResponse> {
  const received = readResponse(input.SAMLAssertion);
  const provider = await findProvider(context, input.PrincipalArn);
  const claims = verifiedClaims(received, provider, context.now);
  const recipient = checkRecipient(claims);
  if (claims.nameId === undefined || claims.nameId === '') throw invalidToken(SAML_MESSAGES.noSubject);
  if (!hasRolePair(claims, input.RoleArn, provider.arn)) throw notAuthorized();
  const found = await findRole(context.store, input.RoleArn);
  if (!found) throw notAuthorized();
  const { role } = found;

  const sessionName = sessionNameOf(claims);
  const sourceIdentity = sourceIdentityOf(claims);
  const requestedSeconds = roleSessionSeconds(input.DurationSeconds, role, false);
  const durationSeconds = Math.min(requestedSeconds, sessionDurationOf(claims) ?? requestedSeconds);
  const tagClaims = tagAttributes(claims);
  const tags = sessionTags(tagClaims.tags, tagClaims.transitiveKeys, NO_SESSION_TAGS);
  const sessionPolicies = await sessionPolicyDocuments(context.store, role.accountId, input);
  const policyArns = (input.PolicyArns ?? []).flatMap((descriptor) => (descriptor.arn ? [descriptor.arn] : []));
  const packedPolicySize = checkPackedSize(input.Policy, policyArns, tags.tags);

  const qualifier = nameQualifier(claims.issuer, provider);
  const trustContext: Record<string, ContextValue> = {
    ...attributeContextKeys(claims.attributes),
    'saml:aud': recipient,
    'saml:iss': claims.issuer,
    'saml:sub': claims.nameId,
    'saml:sub_type': subjectType(claims),
    'saml:namequalifier': qualifier,
    'saml:doc': `${provider.accountId}/${provider.name}`,
    'aws:FederatedProvider': provider.arn,
    'aws:CurrentTime': isoSeconds(context.now),
    'aws:EpochTime': String(Math.floor(context.now.getTime() / 1000)),
    'aws:RequestedRegion': context.region,
    'sts:RoleSessionName': sessionName,
    ...requestTagFacts(tags.tags, tags.transitiveKeys),
  };
  if (context.sourceIp) trustContext['aws:SourceIp'] = context.sourceIp;
  if (sourceIdentity !== undefined) trustContext['sts:SourceIdentity'] = sourceIdentity;
  const actions = [ACTION];
  if (Object.keys(tags.tags).length > 0) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  const owner = await organizationControls(context.store, role.accountId);
  if (deniedTrustAction({ role, principal: { type: 'federated', arn: provider.arn }, actions, context: trustContext, owner })) throw notAuthorized();

  const session = await startRoleSession(context, {
    role,
    roleKey: found.key,
    sessionName,
    durationSeconds,
    sourceIdentity,
    tags,
    sessionPolicies,
    mfaAuthenticated: false,
    federatedProvider: provider.arn,
  });
  return {
    Credentials: session.Credentials,
    AssumedRoleUser: session.AssumedRoleUser,
    Subject: claims.nameId,
    SubjectType: subjectType(claims),
    Issuer: claims.issuer,
    Audience: recipient,
    NameQualifier: qualifier,
    ...(packedPolicySize !== undefined ? { PackedPolicySize: packedPolicySize } : {}),
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  };
}
