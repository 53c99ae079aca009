// SAML 2.0 IdP metadata as IAM checks it on CreateSAMLProvider / UpdateSAMLProvider:
// an EntityDescriptor (possibly inside an EntitiesDescriptor) with an IDPSSODescriptor
// whose KeyDescriptor(s) carry the IdP's signing certificate(s). Anything else is
// refused with AWS's "Could not parse metadata".
import { X509Certificate } from 'node:crypto';
import { invalidInput } from '../common.ts';
import { descendants, parseXml, XmlSyntaxError, type XmlElement } from './xml.ts';

export interface SamlMetadata {
  entityId: string;
  /** The metadata's validUntil attribute, when it has one. */
  validUntil: Date | undefined;
  /** Base64 DER of each signing certificate, whitespace removed. */
  signingCertificates: string[];
}

export const PARSE_FAILURE = 'Could not parse metadata';

/** The metadata's IdP facts, or InvalidInput "Could not parse metadata". */
export function readSamlMetadata(document: string): SamlMetadata {
  let root: XmlElement;
  try {
    root = parseXml(document);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw invalidInput(PARSE_FAILURE);
    throw error;
  }
  const entity = root.name === 'EntityDescriptor' ? root : descendants(root, 'EntityDescriptor')[0];
  if (!entity || (root.name !== 'EntityDescriptor' && root.name !== 'EntitiesDescriptor')) throw invalidInput(PARSE_FAILURE);
  const idp = entity.children.find((child) => child.name === 'IDPSSODescriptor');
  if (!idp) throw invalidInput(PARSE_FAILURE);
  const signingCertificates = idp.children
    .filter((child) => child.name === 'KeyDescriptor' && (child.attributes.use ?? 'signing') === 'signing')
    .flatMap((key) => descendants(key, 'X509Certificate'))
    .map((certificate) => certificate.text.replace(/\s+/g, ''));
  if (signingCertificates.length === 0 || !signingCertificates.every(isCertificate)) throw invalidInput(PARSE_FAILURE);
  const validUntilText = entity.attributes.validUntil ?? root.attributes.validUntil;
  const validUntil = validUntilText === undefined ? undefined : new Date(validUntilText);
  if (validUntil && Number.isNaN(validUntil.getTime())) throw invalidInput(PARSE_FAILURE);
  return { entityId: entity.attributes.entityID ?? '', validUntil, signingCertificates };
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
