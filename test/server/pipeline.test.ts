// The request path as clients see it: routing, unknown and unimplemented operations,
// validation from the model, and garbage that must never produce a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeSpotPriceHistoryCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateCustomKeyStoreCommand, KMSClient } from '@aws-sdk/client-kms';
import { CloudWatchClient, ListDashboardsCommand } from '@aws-sdk/client-cloudwatch';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer } from '../helpers/server.ts';

describe('request pipeline', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  /** Sends a request signed for `service` with the dummy credentials. */
  async function signedFetch(service: string, init: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) {
    const url = new URL(init.path ?? '/', server.url);
    const signer = new SignatureV4({ service, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, sha256: Sha256 });
    const signed = await signer.sign({
      method: init.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...(init.headers ?? {}) },
      body: init.body,
    });
    return fetch(url, { method: signed.method, headers: signed.headers, body: init.body });
  }

  it('answers a modelled operation Bulwark has not built with 501 naming service and operation', async () => {
    // EC2's spot price history is outside the security services Bulwark emulates.
    const ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    await assert.rejects(ec2.send(new DescribeSpotPriceHistoryCommand({ MaxResults: 5 })), (e: any) => {
      assert.equal(e.$metadata.httpStatusCode, 501);
      assert.match(e.message, /EC2 DescribeSpotPriceHistory is not implemented/);
      return true;
    });
  });

  it('answers a JSON-protocol service the same way (KMS CreateCustomKeyStore, left out by design: 501)', async () => {
    const kms = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    await assert.rejects(kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: 'hsm' })), (e: any) => {
      assert.equal(e.$metadata.httpStatusCode, 501);
      assert.match(e.message, /KMS CreateCustomKeyStore is not implemented/);
      return true;
    });
  });

  it('answers CloudWatch both as JSON 1.0 (the JS SDK) and as awsquery (form-encoded)', async () => {
    const cw = new CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    await assert.rejects(cw.send(new ListDashboardsCommand({})), (e: any) => {
      assert.equal(e.$metadata.httpStatusCode, 501);
      assert.match(e.message, /CloudWatch ListDashboards is not implemented/);
      return true;
    });
    const res = await signedFetch('monitoring', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListDashboards&Version=2010-08-01',
    });
    const body = await res.text();
    assert.equal(res.status, 501, body);
    assert.match(body, /<ErrorResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/">.*CloudWatch ListDashboards is not implemented/);
  });

  it('validates input from the model before anything else: ValidationError, 400', async () => {
    const res = await signedFetch('sts', {
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=GetSessionToken&Version=2011-06-15&DurationSeconds=10',
    });
    const body = (await res.text()).replaceAll('&apos;', "'");
    assert.equal(res.status, 400, body);
    assert.match(body, /<Code>ValidationError<\/Code>/);
    assert.match(
      body,
      /1 validation error detected: Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/,
    );
  });

  it('answers an unknown query action with InvalidAction, 400', async () => {
    const res = await signedFetch('sts', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=StealEverything&Version=2011-06-15',
    });
    const body = await res.text();
    assert.equal(res.status, 400, body);
    assert.match(body, /<Code>InvalidAction<\/Code>/);
  });

  it('answers an unknown JSON target with UnknownOperationException, 400', async () => {
    const res = await signedFetch('kms', {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.StealEverything' },
      body: '{}',
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as any).__type, /UnknownOperationException/);
  });

  it('answers malformed JSON with SerializationException, 400', async () => {
    const res = await signedFetch('kms', {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
      body: '{"Limit": ',
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as any).__type, /SerializationException/);
  });

  it('answers a request that names no service with a 400, not a 500', async () => {
    const res = await fetch(server.url + '/', { method: 'POST', body: 'hello' });
    assert.equal(res.status, 400);
  });

  it('never answers garbage with a 500, a crash or a hang', async () => {
    const rnd = mulberry32(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
    const targets = ['TrentService.Encrypt', 'TrentService.ListKeys', 'AmazonSSM.GetParameter', 'x', '.', ''];
    const types = ['application/x-amz-json-1.1', 'application/x-www-form-urlencoded', 'text/plain', ''];
    const auths = [
      '',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00',
      'AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=',
      'Bearer xyz',
    ];
    const bodies = [
      () => junk(Math.floor(rnd() * 200)),
      () => Buffer.from('Action=GetCallerIdentity&Version=2011-06-15&%%%=%zz'),
      () => Buffer.from('{"KeyId": {"a": [1, 2, {"b": null}]}, "Plaintext": 12}'),
      () => Buffer.from('['.repeat(5000)),
      () => Buffer.from('Action=GetSessionToken&Version=2011-06-15&DurationSeconds=abc'),
    ];
    for (let i = 0; i < 200; i++) {
      const headers: Record<string, string> = {};
      const auth = pick(auths);
      if (auth) headers.authorization = auth;
      const type = pick(types);
      if (type) headers['content-type'] = type;
      if (rnd() < 0.5) headers['x-amz-target'] = pick(targets);
      if (rnd() < 0.3) headers['x-amz-date'] = pick(['20250101T000000Z', 'yesterday', '']);
      const res = await fetch(server.url + pick(['/', '/?Action=GetCallerIdentity', '/detector', '/%zz']), {
        method: pick(['POST', 'GET', 'PUT', 'DELETE']) as string,
        headers,
        body: undefined,
      }).catch((e) => e);
      assert.ok(!(res instanceof Error), `request ${i} failed: ${res}`);
      assert.ok(res.status < 500 || res.status === 501, `request ${i} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer().catch(() => {});
      const post = await fetch(server.url + '/', { method: 'POST', headers, body: pick(bodies)() });
      assert.ok(post.status < 500 || post.status === 501, `body ${i} answered ${post.status}: ${await post.text()}`);
    }
  });
});

/** A small seeded PRNG, so a failing fuzz case can be replayed. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
