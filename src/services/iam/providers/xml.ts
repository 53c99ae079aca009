// The smallest XML reader SAML metadata needs: elements (namespace prefixes split off),
// attributes, text, comments, CDATA and processing instructions. No DTDs (AWS refuses
// them too, and they are the door to entity-expansion attacks) and no entities beyond
// the five predefined ones and character references.
//
// Isolated here so a real parser (fast-xml-parser) can replace it without touching
// the SAML rules in saml-metadata.ts.

export interface XmlElement {
  /** Local name, without its namespace prefix. */
  name: string;
  prefix: string | undefined;
  /** Attributes by local name (prefixes dropped; xmlns declarations kept as `xmlns`/`xmlns:x`). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (concatenated, entities decoded). */
  text: string;
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const NAME = /^[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?/;
const ATTRIBUTE = /^([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*=\s*("([^"<]*)"|'([^'<]*)')/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a document with exactly one root element; throws XmlSyntaxError otherwise. */
export function parseXml(text: string): XmlElement {
  let at = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const fail = (why: string): never => {
    throw new XmlSyntaxError(`${why} at offset ${at}`);
  };
  const skip = (end: string) => {
    const found = text.indexOf(end, at);
    if (found < 0) fail(`unterminated construct, expected ${end}`);
    at = found + end.length;
  };

  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const chunk = text.slice(at, lt < 0 ? text.length : lt);
    if (chunk.trim() !== '') {
      const open = stack[stack.length - 1];
      if (!open) fail('text outside the root element');
      open!.text += decodeEntities(chunk);
    }
    if (lt < 0) break;
    at = lt;
    if (text.startsWith('<?', at)) skip('?>');
    else if (text.startsWith('<!--', at)) skip('-->');
    else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at);
      if (end < 0 || stack.length === 0) fail('misplaced CDATA');
      stack[stack.length - 1]!.text += text.slice(at + 9, end);
      at = end + 3;
    } else if (text.startsWith('<!', at)) fail('DTDs are not allowed');
    else if (text.startsWith('</', at)) {
      const match = NAME.exec(text.slice(at + 2));
      const open = stack.pop();
      if (!match || !open || qualified(open) !== match[0]) fail('mismatched closing tag');
      at += 2 + match![0].length;
      while (/\s/.test(text[at] ?? '')) at++;
      if (text[at] !== '>') fail('malformed closing tag');
      at++;
    } else {
      const match = NAME.exec(text.slice(at + 1));
      if (!match) fail('malformed tag');
      at += 1 + match![0].length;
      const element = newElement(match![0]);
      for (;;) {
        const rest = text.slice(at);
        const space = /^\s*/.exec(rest)![0].length;
        at += space;
        if (text.startsWith('/>', at) || text[at] === '>') break;
        if (space === 0) fail('attributes must be separated by white space');
        const attribute = ATTRIBUTE.exec(text.slice(at));
        if (!attribute) fail('malformed attribute');
        const [whole, name, , double, single] = attribute!;
        const local = name!.startsWith('xmlns') ? name! : name!.slice(name!.indexOf(':') + 1);
        element.attributes[local] = decodeEntities(double ?? single ?? '');
        at += whole.length;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) fail('more than one root element');
      else root = element;
      if (text.startsWith('/>', at)) at += 2;
      else {
        at += 1;
        stack.push(element);
      }
    }
  }
  if (stack.length > 0) fail('unclosed element');
  if (!root) fail('no root element');
  return root!;
}

function newElement(qname: string): XmlElement {
  const colon = qname.indexOf(':');
  return {
    name: colon < 0 ? qname : qname.slice(colon + 1),
    prefix: colon < 0 ? undefined : qname.slice(0, colon),
    attributes: {},
    children: [],
    text: '',
  };
}

function qualified(element: XmlElement): string {
  return element.prefix ? `${element.prefix}:${element.name}` : element.name;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const value = ENTITIES[ref];
    if (value === undefined) throw new XmlSyntaxError(`unknown entity ${whole}`);
    return value;
  });
}

/** Every descendant (depth first) with this local name. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === name) found.push(child);
    found.push(...descendants(child, name));
  }
  return found;
}
