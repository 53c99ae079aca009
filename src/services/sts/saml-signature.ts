// Which assertion of a SAML Response the identity provider really signed.
//
// XML signature wrapping attacks move the signed element aside and put a forged one
// where a careless reader looks for claims. So claims are never read from the document
// as received: each Signature (on the Response, or on an Assertion directly inside it)
// must sign its own parent and is verified with xml-crypto against the provider's
// certificates only (a KeyInfo certificate in the message is ignored), and the
// assertion is parsed back from the canonical bytes the verified signature covers
// (`getSignedReferences`). xml-crypto also refuses documents where two elements share
// the referenced ID.
import { SignedXml } from 'xml-crypto';
import { attributeOf, childElements, firstChild, isElement, NS, parseXml, XmlSyntaxError, type Element } from '../iam/providers/xml.ts';

/** A certificate as IAM keeps it (base64 DER) in the PEM form node:crypto reads. */
function certificatePem(base64Der: string): string {
  const lines = base64Der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Whether the signature has one Reference, to its parent's ID (SAML core §5.4.2); the URI is signed, so this is no guess. */
function signsItsParent(signature: Element, parent: Element): boolean {
  const id = attributeOf(parent, 'ID');
  const signedInfo = firstChild(signature, NS.dsig, 'SignedInfo');
  const references = signedInfo ? childElements(signedInfo, NS.dsig, 'Reference') : [];
  return id !== undefined && references.length === 1 && attributeOf(references[0], 'URI') === `#${id}`;
}

/** Signatures where SAML puts them: on the Response, or on an Assertion directly in it, each signing its parent. */
function signatureElements(response: Element): Element[] {
  const holders = [response, ...childElements(response, NS.assertion, 'Assertion')];
  return holders.flatMap((holder) => childElements(holder, NS.dsig, 'Signature').filter((signature) => signsItsParent(signature, holder)));
}

/** The canonical XML of each element `signature` covers, when one of the certificates verifies it. */
function verifiedReferences(xml: string, signature: Element, certificates: readonly string[]): string[] {
  for (const certificate of certificates) {
    const verifier = new SignedXml({ publicCert: certificatePem(certificate), getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signature);
      if (verifier.checkSignature(xml)) return verifier.getSignedReferences();
    } catch {
      // Not verified by this certificate (or not a usable signature at all): try the next.
    }
  }
  return [];
}

/** The one Assertion a signed element stands for: itself, or the single Assertion of a signed Response. */
function assertionOf(signedXml: string): Element | undefined {
  let root: Element;
  try {
    root = parseXml(signedXml).documentElement!;
  } catch (error) {
    if (error instanceof XmlSyntaxError) return undefined;
    throw error;
  }
  if (isElement(root, NS.assertion, 'Assertion')) return root;
  if (!isElement(root, NS.protocol, 'Response')) return undefined;
  const assertions = childElements(root, NS.assertion, 'Assertion');
  return assertions.length === 1 ? assertions[0] : undefined;
}

/**
 * The assertion the provider signed (directly, or as part of a signed Response), read
 * from the signed bytes; undefined when no signature verifies with its certificates.
 * `xml` is the Response as received, `response` its parsed root element.
 */
export function signedAssertion(xml: string, response: Element, certificates: readonly string[]): Element | undefined {
  for (const signature of signatureElements(response)) {
    for (const reference of verifiedReferences(xml, signature, certificates)) {
      const assertion = assertionOf(reference);
      if (assertion) return assertion;
    }
  }
  return undefined;
}
