// Captured client requests (see capture-fixtures.ts) and the helpers that turn them back
// into HttpRequests and typed values.
import { readdirSync, readFileSync } from 'node:fs';
import type { HttpRequest } from '../../../src/protocol/http.ts';

export interface Captured {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string>;
  /** The body as UTF-8 text, or (binary protocols) as base64. */
  body?: string;
  bodyBase64?: string;
}

export interface Fixture {
  client: 'boto3' | 'cli' | 'js';
  service: string;
  operation: string;
  /** The input the client was given; blobs as {"$blob": base64}, timestamps as {"$date": iso}. */
  expected: Record<string, unknown>;
  request: Captured;
}

export interface NamedFixture extends Fixture {
  name: string;
}

/** Every fixture in test/protocol/fixtures/<folder>/. */
export function loadFixtures(folder: 'json' | 'rest-json'): NamedFixture[] {
  const dir = new URL(`../fixtures/${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.slice(0, -5), ...(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Fixture) }));
}

export function toHttpRequest(captured: Captured): HttpRequest {
  const body = captured.bodyBase64 !== undefined ? Buffer.from(captured.bodyBase64, 'base64') : Buffer.from(captured.body ?? '', 'utf8');
  return { method: captured.method, path: captured.path, rawQuery: captured.rawQuery, headers: captured.headers, body };
}

/** The typed value a tagged fixture value stands for: Buffers for blobs, Dates for timestamps. */
export function fromTagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromTagged);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$blob === 'string') return Buffer.from(record.$blob, 'base64');
    if (typeof record.$date === 'string') return new Date(record.$date);
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, fromTagged(item)]));
  }
  return value;
}

export { awsEnv, CREDENTIALS, REGION } from '../../helpers/aws-env.ts';
