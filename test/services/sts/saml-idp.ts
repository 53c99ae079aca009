// A SAML 2.0 identity provider for tests: an RSA key with a self-signed certificate
// (made by openssl), its IAM metadata, and Responses built and signed the way IdPs
// sign them (enveloped signature, exclusive c14n, RSA-SHA256) with xml-crypto.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignedXml } from 'xml-crypto';

export const SIGNIN_SAML = 'https://signin.aws.amazon.com/saml';
export const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
export const SESSION_NAME_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/RoleSessionName';

export interface TestIdp {
  entityId: string;
  privateKeyPem: string;
  certificatePem: string;
  /** The certificate as metadata carries it: base64 DER on one line. */
  certificateBase64: string;
}

/** A fresh key and self-signed certificate (valid 10 years) from openssl. */
export function createTestIdp(entityId = 'https://idp.bulwark.test/saml'): TestIdp {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-idp-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=idp.bulwark.test', '-days', '3650'], {
      stdio: 'ignore',
    });
    const certificatePem = readFileSync(cert, 'utf8');
    return {
      entityId,
      privateKeyPem: readFileSync(key, 'utf8'),
      certificatePem,
      certificateBase64: certificatePem.replace(/-----[A-Z ]+-----|\s+/g, ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The IdP's metadata for CreateSAMLProvider (over 1,000 characters, as IAM requires). */
export function idpMetadata(idp: TestIdp): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${idp.entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>${idp.certificateBase64}</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.bulwark.test/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

export interface AssertionSpec {
  issuer: string;
  now: Date;
  /** "ROLE_ARN,PROVIDER_ARN" pairs. */
  roles: string[];
  sessionName?: string;
  nameId?: string;
  nameIdFormat?: string;
  recipient?: string;
  audience?: string;
  /** Lifetime of the assertion from `now` (SubjectConfirmationData and Conditions NotOnOrAfter). */
  validSeconds?: number;
  /** Further attributes: name -> values. */
  attributes?: Record<string, string[]>;
  statusCode?: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function attribute(name: string, values: string[]): string {
  return `<saml:Attribute Name="${escape(name)}">${values.map((value) => `<saml:AttributeValue>${escape(value)}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
}

let serial = 0;

/** An unsigned samlp:Response with one saml:Assertion, as AWS documents the claims. */
export function samlResponse(spec: AssertionSpec): string {
  const id = (kind: string) => `_${kind}${(++serial).toString(16).padStart(8, '0')}${Date.now().toString(16)}`;
  const issued = spec.now.toISOString();
  const until = new Date(spec.now.getTime() + (spec.validSeconds ?? 300) * 1000).toISOString();
  const notBefore = new Date(spec.now.getTime() - 60_000).toISOString();
  const attributes: Record<string, string[]> = { [ROLE_ATTRIBUTE]: spec.roles, ...spec.attributes };
  if (spec.sessionName !== undefined) attributes[SESSION_NAME_ATTRIBUTE] = [spec.sessionName];
  const format = spec.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id('r')}" Version="2.0" IssueInstant="${issued}" Destination="${SIGNIN_SAML}">
  <saml:Issuer>${escape(spec.issuer)}</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="${spec.statusCode ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/></samlp:Status>
  <saml:Assertion ID="${id('a')}" Version="2.0" IssueInstant="${issued}">
    <saml:Issuer>${escape(spec.issuer)}</saml:Issuer>
    <saml:Subject>
      <saml:NameID Format="${format}">${escape(spec.nameId ?? 'jdoe@example.com')}</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${spec.recipient ?? SIGNIN_SAML}"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${until}">
      <saml:AudienceRestriction><saml:Audience>${spec.audience ?? SIGNIN_SAML}</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement AuthnInstant="${issued}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
    <saml:AttributeStatement>${Object.entries(attributes)
      .map(([name, values]) => attribute(name, values))
      .join('')}</saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>`;
}

/** Signs the element `localName` (Assertion or Response) with an enveloped signature placed after its Issuer. */
function signElement(xml: string, idp: TestIdp, localName: 'Assertion' | 'Response', algorithm: 'sha256' | 'sha1'): string {
  const rsa = algorithm === 'sha256' ? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' : 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
  const digest = algorithm === 'sha256' ? 'http://www.w3.org/2001/04/xmlenc#sha256' : 'http://www.w3.org/2000/09/xmldsig#sha1';
  const signer = new SignedXml({
    privateKey: idp.privateKeyPem,
    publicCert: idp.certificatePem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: rsa,
  });
  const element = `/*[local-name(.)='Response']${localName === 'Assertion' ? "/*[local-name(.)='Assertion']" : ''}`;
  signer.addReference({
    xpath: element,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: digest,
  });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}

export function signAssertion(xml: string, idp: TestIdp, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return signElement(xml, idp, 'Assertion', algorithm);
}

export function signResponse(xml: string, idp: TestIdp, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return signElement(xml, idp, 'Response', algorithm);
}

export function base64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}
