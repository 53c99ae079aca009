// SAML 2.0 IdP metadata as IAM checks it on CreateSAMLProvider / UpdateSAMLProvider:
// an md:EntityDescriptor (possibly inside an md:EntitiesDescriptor) with an
// md:IDPSSODescriptor whose md:KeyDescriptor(s) carry the IdP's signing certificate(s)
// as ds:X509Certificate. Anything else is refused with AWS's "Could not parse metadata".
import { X509Certificate } from 'node:crypto';
import { invalidInput } from '../common.ts';
import { attributeOf, childElements, descendantElements, isElement, NS, parseXml, textOf, XmlSyntaxError, type Document, type Element } from './xml.ts';

export interface SamlMetadata {
  entityId: string;
  /** The metadata's validUntil attribute, when it has one. */
  validUntil: Date | undefined;
  /** Base64 DER of each signing certificate, whitespace removed. */
  signingCertificates: string[];
}

export const PARSE_FAILURE = 'Could not parse metadata';

function parseFailure(): Error {
  return invalidInput(PARSE_FAILURE);
}

function parseDocument(document: string): Document {
  try {
    return parseXml(document);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw parseFailure();
    throw error;
  }
}

/** The IdP's EntityDescriptor: the root, or the first one in an EntitiesDescriptor root. */
function entityDescriptor(root: Element): Element | undefined {
  if (isElement(root, NS.metadata, 'EntityDescriptor')) return root;
  if (isElement(root, NS.metadata, 'EntitiesDescriptor')) return descendantElements(root, NS.metadata, 'EntityDescriptor')[0];
  return undefined;
}

/** KeyDescriptors without a `use` serve both signing and encryption (SAML metadata §2.4.1.1). */
function signingCertificatesOf(idp: Element): string[] {
  return childElements(idp, NS.metadata, 'KeyDescriptor')
    .filter((key) => (attributeOf(key, 'use') ?? 'signing') === 'signing')
    .flatMap((key) => descendantElements(key, NS.dsig, 'X509Certificate'))
    .map((certificate) => textOf(certificate).replace(/\s+/g, ''));
}

/** The metadata's IdP facts, or InvalidInput "Could not parse metadata". */
export function readSamlMetadata(document: string): SamlMetadata {
  const root = parseDocument(document).documentElement!;
  const entity = entityDescriptor(root);
  const idp = entity && childElements(entity, NS.metadata, 'IDPSSODescriptor')[0];
  if (!entity || !idp) throw parseFailure();
  const signingCertificates = signingCertificatesOf(idp);
  if (signingCertificates.length === 0 || !signingCertificates.every(isCertificate)) throw parseFailure();
  const validUntilText = attributeOf(entity, 'validUntil') ?? attributeOf(root, 'validUntil');
  const validUntil = validUntilText === undefined ? undefined : new Date(validUntilText);
  if (validUntil && Number.isNaN(validUntil.getTime())) throw parseFailure();
  return { entityId: attributeOf(entity, 'entityID') ?? '', validUntil, signingCertificates };
}

function isCertificate(base64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return false;
  try {
    new X509Certificate(Buffer.from(base64, 'base64'));
    return true;
  } catch {
    return false;
  }
}
