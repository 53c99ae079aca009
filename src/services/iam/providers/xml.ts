// XML for the SAML code (IdP metadata in IAM, assertions in STS), read with
// @xmldom/xmldom as strictly as SAML deserves: any error or warning the parser reports
// fails the parse, and DTDs are refused (AWS refuses them too; they are the door to
// entity-expansion and external-entity attacks). Elements are found by namespace and
// local name, never by prefix.
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';

export type { Document, Element };

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

/** The namespaces SAML documents are made of. */
export const NS = {
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

const ELEMENT_NODE = 1;
const DOCUMENT_TYPE_NODE = 10;

/** Parses a well-formed, namespace-well-formed document without a DTD; throws XmlSyntaxError otherwise. */
export function parseXml(text: string): Document {
  const parser = new DOMParser({
    locator: false,
    onError: (level, message) => {
      throw new XmlSyntaxError(`${level}: ${message}`);
    },
  });
  let document: Document;
  try {
    document = parser.parseFromString(text, 'text/xml');
  } catch (error) {
    throw error instanceof XmlSyntaxError ? error : new XmlSyntaxError(error instanceof Error ? error.message : String(error));
  }
  if (document.doctype || Array.from(document.childNodes).some((node) => node.nodeType === DOCUMENT_TYPE_NODE)) {
    throw new XmlSyntaxError('DTDs are not allowed');
  }
  if (!document.documentElement) throw new XmlSyntaxError('no root element');
  return document;
}

export function isElement(node: Node | null | undefined, namespace: string, localName: string): node is Element {
  return node?.nodeType === ELEMENT_NODE && (node as Element).namespaceURI === namespace && (node as Element).localName === localName;
}

/** The element's child elements with this namespace and local name, in document order. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  return Array.from(parent.childNodes).filter((node): node is Element => isElement(node, namespace, localName));
}

export function firstChild(parent: Element, namespace: string, localName: string): Element | undefined {
  return childElements(parent, namespace, localName)[0];
}

/** Every descendant element with this namespace and local name, in document order. */
export function descendantElements(root: Element, namespace: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(namespace, localName));
}

/** The element's text: all its descendant text and CDATA, concatenated. */
export function textOf(element: Element | undefined): string {
  return element?.textContent ?? '';
}

/** The attribute's value, or undefined when the element does not carry it (unprefixed attributes only). */
export function attributeOf(element: Element | undefined, name: string): string | undefined {
  return element?.hasAttribute(name) ? element.getAttribute(name) ?? undefined : undefined;
}

/** The element as text, with the namespace declarations it needs from its ancestors. */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}
