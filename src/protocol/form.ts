// Decoding `application/x-www-form-urlencoded` parameters (the query and ec2 protocols)
// into a tree keyed by the dot-separated parts of each name:
//   Tags.member.1.Key=a  ->  Tags -> member -> 1 -> Key = 'a'
// The tree is protocol-agnostic; query-input.ts reads it through a model.
import { AwsError } from './errors.ts';
import type { HttpRequest } from './http.ts';

export interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

/** A name with more parts than any model nests is not a real parameter; refusing it bounds the work. */
export const MAX_NAME_PARTS = 64;

export function malformed(message: string): AwsError {
  return new AwsError('InvalidQueryParameter', message, { status: 400, senderFault: true });
}

/** Decodes one form component: `+` is a space, `%XX` a UTF-8 byte. */
function decodeComponent(text: string): string {
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw malformed(`The query string or form body has an invalid percent-encoding near '${preview(text)}'.`);
  }
}

export function preview(text: string, limit = 64): string {
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}

/** The name/value pairs of a form-encoded string, in order; empty pieces (`a=1&&b=2`) are skipped. */
export function decodeForm(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (text === '') return pairs;
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decodeComponent(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(piece.slice(eq + 1));
    pairs.push([name, value]);
  }
  return pairs;
}

/** Adds one parameter to the tree. A repeated name keeps its first value. */
function insert(root: ParamNode, name: string, value: string): void {
  const parts = name.split('.');
  if (parts.length > MAX_NAME_PARTS) throw malformed(`The parameter name '${preview(name)}' has too many parts.`);
  let node = root;
  for (const part of parts) {
    node.children ??= new Map();
    let child = node.children.get(part);
    if (!child) {
      child = {};
      node.children.set(part, child);
    }
    node = child;
  }
  node.value ??= value;
}

export function paramTree(pairs: Iterable<[string, string]>): ParamNode {
  const root: ParamNode = {};
  for (const [name, value] of pairs) insert(root, name, value);
  return root;
}

/** Whether a request's body holds form parameters (clients always say so; a bare POST body is read too). */
function hasFormBody(request: HttpRequest): boolean {
  if (request.body.length === 0) return false;
  const type = request.headers['content-type'];
  return type === undefined || type.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

const trees = new WeakMap<HttpRequest, ParamNode>();

/**
 * The request's parameters: the form body's and the query string's together (the body's
 * win on a clash). Parsed once per request: operationOf and parse both read them.
 */
export function requestParams(request: HttpRequest): ParamNode {
  let tree = trees.get(request);
  if (!tree) {
    const pairs = hasFormBody(request) ? decodeForm(request.body.toString('utf8')) : [];
    if (request.rawQuery !== '') for (const pair of decodeForm(request.rawQuery)) pairs.push(pair);
    tree = paramTree(pairs);
    trees.set(request, tree);
  }
  return tree;
}

/** The value of a top-level parameter such as Action or Version. */
export function topLevelValue(tree: ParamNode, name: string): string | undefined {
  return tree.children?.get(name)?.value;
}
