// The claims of a signed SAML assertion and the checks AWS makes on them: issuer,
// validity window, audience and recipient, subject confirmation, and the attributes
// AWS defines (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html).
// Everything here reads the Assertion element that saml-signature.ts parsed back from
// the signed bytes, never the document as received.
import { AwsError } from '../../protocol/errors.ts';
import { attributeOf, childElements, firstChild, NS, textOf, type Element } from '../iam/providers/xml.ts';
import { SAML_ATTRIBUTE } from './saml-attributes.ts';

export function invalidToken(message: string): AwsError {
  return new AwsError('InvalidIdentityTokenException', message);
}

function expired(message: string): AwsError {
  return new AwsError('ExpiredTokenException', message);
}

/** AWS's wording where it is known (IAM's SAML troubleshooting page, errors users report); Bulwark's otherwise. */
export const SAML_MESSAGES = {
  unreadable: 'The SAML response is not a base64-encoded, well-formed SAML 2.0 Response without a DTD.',
  encrypted: 'Bulwark does not decrypt encrypted SAML assertions (EncryptedAssertion).',
  providerMissing: "Specified provider doesn't exist",
  signatureInvalid: 'Response signature invalid',
  issuerMismatch: 'Issuer not present in specified provider',
  expired: 'Response has expired',
  tooOld: 'Token must be redeemed within 5 minutes of issuance',
  notYetValid: 'The SAML assertion is not yet valid (NotBefore is in the future).',
  audience: 'Response does not contain the required audience',
  confirmation: 'The SAML assertion must have exactly one bearer SubjectConfirmation with NotOnOrAfter and Recipient attributes.',
  recipient: 'The SubjectConfirmationData Recipient is not the AWS SAML sign-in endpoint.',
  noSubject: 'The SAML assertion has no Subject NameID.',
  sessionNameMissing: 'RoleSessionName is required in AuthnResponse',
  sessionNameInvalid: 'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}',
  sourceIdentityInvalid: 'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"',
  rejected: (status: string) => `The identity provider did not authenticate the user (SAML status ${status}).`,
} as const;

/** AWS's sign-in endpoint in any of its documented forms (global, regional, /static, /acs/<IdP id>). */
const SIGNIN_ENDPOINT = /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com\/(static\/)?saml(\/acs\/[\w-]+)?$/;
const AWS_AUDIENCES = (audience: string) => audience === 'urn:amazon:webservices' || SIGNIN_ENDPOINT.test(audience);
/** How long after IssueInstant AWS still accepts an assertion. */
export const REDEEM_WITHIN_SECONDS = 300;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const NAME_ID_FORMAT_PREFIX = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';
const UNSPECIFIED_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface SubjectConfirmation {
  method: string | undefined;
  notBefore: Date | undefined;
  notOnOrAfter: Date | undefined;
  recipient: string | undefined;
}

export interface SamlClaims {
  issuer: string;
  issueInstant: Date | undefined;
  nameId: string | undefined;
  nameIdFormat: string | undefined;
  confirmations: SubjectConfirmation[];
  notBefore: Date | undefined;
  notOnOrAfter: Date | undefined;
  audiences: string[];
  /** Attribute Name -> its AttributeValues (whitespace trimmed). */
  attributes: Map<string, string[]>;
}

function time(element: Element | undefined, name: string): Date | undefined {
  const text = attributeOf(element, name);
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw invalidToken(`The SAML assertion has an invalid ${name} time: ${text}`);
  return date;
}

function attributesOf(assertion: Element): Map<string, string[]> {
  const attributes = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attributeOf(attribute, 'Name');
      if (name === undefined) continue;
      const values = childElements(attribute, NS.assertion, 'AttributeValue').map((value) => textOf(value).trim());
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  return attributes;
}

export function readClaims(assertion: Element): SamlClaims {
  const subject = firstChild(assertion, NS.assertion, 'Subject');
  const nameId = subject && firstChild(subject, NS.assertion, 'NameID');
  const conditions = firstChild(assertion, NS.assertion, 'Conditions');
  const confirmations = (subject ? childElements(subject, NS.assertion, 'SubjectConfirmation') : []).map((confirmation) => {
    const data = firstChild(confirmation, NS.assertion, 'SubjectConfirmationData');
    return {
      method: attributeOf(confirmation, 'Method'),
      notBefore: time(data, 'NotBefore'),
      notOnOrAfter: time(data, 'NotOnOrAfter'),
      recipient: attributeOf(data, 'Recipient'),
    };
  });
  const audiences = (conditions ? childElements(conditions, NS.assertion, 'AudienceRestriction') : [])
    .flatMap((restriction) => childElements(restriction, NS.assertion, 'Audience'))
    .map((audience) => textOf(audience).trim());
  return {
    issuer: textOf(firstChild(assertion, NS.assertion, 'Issuer')).trim(),
    issueInstant: time(assertion, 'IssueInstant'),
    nameId: nameId ? textOf(nameId).trim() : undefined,
    nameIdFormat: attributeOf(nameId, 'Format'),
    confirmations,
    notBefore: time(conditions, 'NotBefore'),
    notOnOrAfter: time(conditions, 'NotOnOrAfter'),
    audiences,
    attributes: attributesOf(assertion),
  };
}

/** A Response whose top-level status is not Success: the IdP itself rejected the sign-in. */
export function checkStatus(response: Element): void {
  const status = firstChild(response, NS.protocol, 'Status');
  const code = status && attributeOf(firstChild(status, NS.protocol, 'StatusCode'), 'Value');
  if (code !== undefined && code !== SUCCESS) throw new AwsError('IDPRejectedClaimException', SAML_MESSAGES.rejected(code));
}

/** The validity window on Bulwark's clock: IssueInstant (5 minutes), NotBefore, NotOnOrAfter. */
export function checkTimes(claims: SamlClaims, now: Date): void {
  const at = now.getTime();
  const confirmation = claims.confirmations[0];
  for (const notOnOrAfter of [claims.notOnOrAfter, confirmation?.notOnOrAfter]) {
    if (notOnOrAfter && at >= notOnOrAfter.getTime()) throw expired(SAML_MESSAGES.expired);
  }
  if (claims.issueInstant && at - claims.issueInstant.getTime() > REDEEM_WITHIN_SECONDS * 1000) throw expired(SAML_MESSAGES.tooOld);
  for (const notBefore of [claims.notBefore, confirmation?.notBefore]) {
    if (notBefore && at < notBefore.getTime()) throw invalidToken(SAML_MESSAGES.notYetValid);
  }
}

/** Exactly one bearer confirmation for AWS's endpoint, and AWS among the audiences; returns the Recipient (saml:aud). */
export function checkRecipient(claims: SamlClaims): string {
  const [confirmation, ...others] = claims.confirmations;
  if (!confirmation || others.length > 0 || !confirmation.notOnOrAfter || confirmation.recipient === undefined) {
    throw invalidToken(SAML_MESSAGES.confirmation);
  }
  if (!SIGNIN_ENDPOINT.test(confirmation.recipient)) throw invalidToken(SAML_MESSAGES.recipient);
  if (!claims.audiences.some(AWS_AUDIENCES)) throw invalidToken(SAML_MESSAGES.audience);
  return confirmation.recipient;
}

/** The Role attribute lists "role ARN,provider ARN" pairs (either order is accepted, as AWS does). */
export function hasRolePair(claims: SamlClaims, roleArn: string, providerArn: string): boolean {
  return (claims.attributes.get(SAML_ATTRIBUTE.role) ?? []).some((value) => {
    const arns = value.split(',').map((arn) => arn.trim());
    return arns.length === 2 && arns.includes(roleArn) && arns.includes(providerArn);
  });
}

export function sessionNameOf(claims: SamlClaims): string {
  const [name] = claims.attributes.get(SAML_ATTRIBUTE.roleSessionName) ?? [];
  if (name === undefined) throw invalidToken(SAML_MESSAGES.sessionNameMissing);
  if (!SESSION_NAME.test(name)) throw invalidToken(SAML_MESSAGES.sessionNameInvalid);
  return name;
}

export function sourceIdentityOf(claims: SamlClaims): string | undefined {
  const [value] = claims.attributes.get(SAML_ATTRIBUTE.sourceIdentity) ?? [];
  if (value === undefined) return undefined;
  if (!SESSION_NAME.test(value) || value.toLowerCase().startsWith('aws:')) throw invalidToken(SAML_MESSAGES.sourceIdentityInvalid);
  return value;
}

/** The SessionDuration attribute (900..43200 seconds), which can only shorten an API session. */
export function sessionDurationOf(claims: SamlClaims): number | undefined {
  const [value] = claims.attributes.get(SAML_ATTRIBUTE.sessionDuration) ?? [];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const seconds = Number(value);
  return seconds >= 900 && seconds <= 43_200 ? seconds : undefined;
}

/** Session tags from PrincipalTag:<key> attributes, and which of them TransitiveTagKeys marks transitive. */
export function tagAttributes(claims: SamlClaims): { tags: { Key: string; Value: string }[]; transitiveKeys: string[] } {
  const tags: { Key: string; Value: string }[] = [];
  for (const [name, values] of claims.attributes) {
    if (name.startsWith(SAML_ATTRIBUTE.principalTagPrefix) && values.length > 0) {
      tags.push({ Key: name.slice(SAML_ATTRIBUTE.principalTagPrefix.length), Value: values[0]! });
    }
  }
  const tagged = new Set(tags.map((tag) => tag.Key.toLowerCase()));
  const transitiveKeys = (claims.attributes.get(SAML_ATTRIBUTE.transitiveTagKeys) ?? []).filter((key) => tagged.has(key.toLowerCase()));
  return { tags, transitiveKeys };
}

/** SubjectType: "persistent" / "transient" for SAML 2.0 formats, the full Format URI otherwise. */
export function subjectType(claims: SamlClaims): string {
  const format = claims.nameIdFormat ?? UNSPECIFIED_FORMAT;
  return format.startsWith(NAME_ID_FORMAT_PREFIX) ? format.slice(NAME_ID_FORMAT_PREFIX.length) : format;
}
