// The XML reader behind SAML metadata, and the statement positions the simulator
// reports: the edge cases each must get right.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childElements, descendantElements, parseXml, textOf, XmlSyntaxError } from '../../../src/services/iam/providers/xml.ts';
import { readSamlMetadata } from '../../../src/services/iam/providers/saml-metadata.ts';
import { statementSpans } from '../../../src/services/iam/simulation.ts';
import { IDP_CERTIFICATE } from './reports-context.ts';

describe('parseXml (@xmldom/xmldom, strict)', () => {
  it('resolves namespaces, decodes entities and character references, keeps CDATA and skips comments', () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><md:A xmlns:md="urn:x" id='1 &amp; 2'><md:B>x &lt; y &#65;&#x42;</md:B><md:B><![CDATA[<raw>]]></md:B><C/></md:A>`,
    ).documentElement!;
    assert.equal(root.localName, 'A');
    assert.equal(root.namespaceURI, 'urn:x');
    assert.equal(root.getAttribute('id'), '1 & 2');
    assert.deepEqual(childElements(root, 'urn:x', 'B').map(textOf), ['x < y AB', '<raw>']);
    assert.equal(descendantElements(root, 'urn:x', 'C').length, 0, 'C is in no namespace');
  });

  it('refuses DTDs (even without entities), unknown entities, mismatched tags, two roots, text outside the root and unbound prefixes', () => {
    const bad = ['<!DOCTYPE a><a/>', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', '<a>&bogus;</a>', '<a><b></a></b>', '<a/><b/>', 'x<a/>', '<a>', '', '<p:a/>', '<a x=1/>'];
    for (const text of bad) assert.throws(() => parseXml(text), XmlSyntaxError, JSON.stringify(text));
  });
});

describe('readSamlMetadata', () => {
  const key = (use: string, certificate = IDP_CERTIFICATE) =>
    `<md:KeyDescriptor${use}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>\n  ${certificate}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
  const entity = (keys: string, namespace = 'urn:oasis:names:tc:SAML:2.0:metadata') =>
    `<md:EntityDescriptor xmlns:md="${namespace}" entityID="urn:idp"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}</md:IDPSSODescriptor></md:EntityDescriptor>`;

  it('takes the signing certificates (use="signing" or no use) of the IdP, inside an EntitiesDescriptor too, whitespace removed', () => {
    const metadata = readSamlMetadata(entity(key(' use="signing"') + key(' use="encryption"') + key('')));
    assert.equal(metadata.entityId, 'urn:idp');
    assert.deepEqual(metadata.signingCertificates, [IDP_CERTIFICATE, IDP_CERTIFICATE]);
    const wrapped = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" validUntil="2031-01-01T00:00:00Z">${entity(key(''))}</md:EntitiesDescriptor>`;
    assert.deepEqual(readSamlMetadata(wrapped).validUntil, new Date('2031-01-01T00:00:00Z'));
  });

  it('refuses metadata outside the SAML metadata namespace, with only encryption keys, or that is not XML: "Could not parse metadata"', () => {
    for (const document of [entity(key(''), 'urn:not-saml'), entity(key(' use="encryption"')), '{"not": "xml"}']) {
      assert.throws(() => readSamlMetadata(document), { message: 'Could not parse metadata' }, document.slice(0, 60));
    }
  });
});

describe('statementSpans', () => {
  it('finds a single statement object and each element of a Statement array, strings with braces included', () => {
    assert.deepEqual(statementSpans('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"}"}}'), [
      { StartPosition: { Line: 1, Column: 37 }, EndPosition: { Line: 1, Column: 86 } },
    ]);
    const text = '{\n "Statement": [\n  {"Sid": "a\\"{"},\n  {"Sid": "b"}\n ]\n}';
    assert.deepEqual(statementSpans(text), [
      { StartPosition: { Line: 3, Column: 3 }, EndPosition: { Line: 3, Column: 18 } },
      { StartPosition: { Line: 4, Column: 3 }, EndPosition: { Line: 4, Column: 15 } },
    ]);
  });

  it('gives no positions for text that is not a JSON object', () => {
    assert.deepEqual(statementSpans('not json'), []);
  });
});
