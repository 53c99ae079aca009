// Shared by the query and ec2 protocol tests: requests as the codecs see them, and
// values in a form both JSON and botocore's parsed output can be compared in.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { HttpRequest } from '../../../src/protocol/http.ts';

/** A form-encoded POST, as botocore and the JS SDK send query requests. */
export function formPost(body: string, rawQuery = ''): HttpRequest {
  return {
    method: 'POST',
    path: '/',
    rawQuery,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(body, 'utf8'),
  };
}

export function get(rawQuery: string): HttpRequest {
  return { method: 'GET', path: '/', rawQuery, headers: {}, body: Buffer.alloc(0) };
}

/** Dates as {$date: epoch ms} and bytes as {$base64}, the way the botocore helper reports them. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.getTime() };
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plain(v)]));
  }
  return value;
}

/** Runs `fn`, which must throw an AwsError with this code (and status when given). */
export function assertAwsError(fn: () => unknown, code: string, status?: number, message?: RegExp): AwsError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (status !== undefined) assert.equal(error.status, status);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected AwsError ${code}, but nothing was thrown`);
}

export interface Fixture {
  file: string;
  client: 'boto3' | 'cli' | 'js';
  service: 'iam' | 'sts' | 'ec2' | 'cloudwatch';
  operation: string;
  expected: Record<string, unknown>;
  request: HttpRequest;
}

/** The captured requests under test/protocol/fixtures/<folder>/ (see capture-fixtures.ts). */
export function loadFixtures(folder: 'query' | 'ec2'): Fixture[] {
  const dir = new URL(`../fixtures/${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      const request: HttpRequest = { ...raw.request, body: Buffer.from(raw.request.body, 'utf8') };
      return { file, client: raw.client, service: raw.service, operation: raw.operation, expected: raw.expected, request };
    });
}
