// The small XML reader behind SAML metadata, and the statement positions the simulator
// reports: the edge cases each must get right.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { descendants, parseXml, XmlSyntaxError } from '../../../src/services/iam/providers/xml.ts';
import { statementSpans } from '../../../src/services/iam/simulation.ts';

describe('parseXml', () => {
  it('splits namespace prefixes, decodes entities and character references, keeps CDATA and skips comments', () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><md:A xmlns:md="urn:x" ds:id='1 &amp; 2'><md:B>x &lt; y &#65;&#x42;</md:B><C><![CDATA[<raw>]]></C><D/></md:A>`,
    );
    assert.equal(root.name, 'A');
    assert.equal(root.prefix, 'md');
    assert.equal(root.attributes.id, '1 & 2');
    assert.equal(root.attributes['xmlns:md'], 'urn:x');
    assert.deepEqual(root.children.map((c) => [c.name, c.text]), [['B', 'x < y AB'], ['C', '<raw>'], ['D', '']]);
    assert.equal(descendants(root, 'D').length, 1);
  });

  it('refuses DTDs, unknown entities, mismatched tags, two roots and text outside the root', () => {
    for (const text of ['<!DOCTYPE a><a/>', '<a>&bogus;</a>', '<a><b></a></b>', '<a/><b/>', 'x<a/>', '<a>', '']) {
      assert.throws(() => parseXml(text), XmlSyntaxError, JSON.stringify(text));
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
