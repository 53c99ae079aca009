// SigV4 verification against signatures made by the real signers (the JS SDK's
// @smithy/signature-v4 and botocore), and every error AWS answers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { authenticate, type AuthOptions, type ResolvedCredential } from '../../src/auth/index.ts';
import { AwsError } from '../../src/protocol/errors.ts';
import type { HttpRequest } from '../../src/protocol/http.ts';

const ACCOUNT = '111122223333';
const KEY = { accessKeyId: 'AKIAISSUEDBYBULWARK1', secretAccessKey: 'issuedsecretissuedsecretissuedsecret1234' };
const USER = {
  type: 'IAMUser' as const,
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  userId: 'AIDAEXAMPLEEXAMPLE1',
  userName: 'alice',
  path: '/',
};
const NOW = new Date('2025-06-01T12:00:00Z');

function options(overrides: Partial<AuthOptions> = {}, credential: Partial<ResolvedCredential> = {}): AuthOptions {
  const issued: ResolvedCredential = { secretAccessKey: KEY.secretAccessKey, principal: USER, active: true, ...credential };
  return {
    flavor: 'query',
    mode: 'permissive',
    now: NOW,
    defaultAccountId: '123456789012',
    credentials: { lookup: async (id) => (id === KEY.accessKeyId ? issued : undefined) },
    ...overrides,
  };
}

interface Unsigned {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** Signs like the AWS SDK for JavaScript v3 does, and returns what the server would read. */
async function sdkSigned(req: Unsigned = {}, opts: { secret?: string; at?: Date; service?: string; sessionToken?: string } = {}): Promise<HttpRequest> {
  const signer = new SignatureV4({
    service: opts.service ?? 'sts',
    region: 'us-east-1',
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: opts.secret ?? KEY.secretAccessKey, sessionToken: opts.sessionToken },
    sha256: Sha256,
  });
  const body = req.body ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const signed = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      port: 4566,
      path: req.path ?? '/',
      query: req.query ?? {},
      headers: { host: 'localhost:4566', 'content-type': 'application/x-www-form-urlencoded', ...req.headers },
      body,
    },
    { signingDate: opts.at ?? NOW },
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const rawQuery = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return { method: signed.method, path: req.path ?? '/', rawQuery, headers, body: Buffer.from(body) };
}

async function rejects(request: HttpRequest, opts: AuthOptions, code: string, status: number, message?: RegExp) {
  await assert.rejects(authenticate(request, opts), (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('SigV4 authentication', () => {
  it('verifies a header-signed request from the JS SDK signer and returns the issued principal', async () => {
    const result = await authenticate(await sdkSigned(), options());
    assert.equal(result.verified, true);
    assert.deepEqual(result.principal, USER);
    assert.equal(result.region, 'us-east-1');
    assert.equal(result.signingService, 'sts');
    assert.equal(result.presigned, false);
  });

  it('verifies paths and queries with spaces, plus signs, slashes, unicode, repeated keys and empty values', async () => {
    const request = await sdkSigned(
      { method: 'GET', path: '/detector/a%20b/c+d/%C3%A9', query: { 'a b': '1+2', slash: 'x/y', empty: '', 'ü': 'ñ' }, body: '' },
      { service: 'guardduty' },
    );
    const result = await authenticate(request, options({ flavor: 'json' }));
    assert.equal(result.verified, true);
  });

  it('verifies requests signed by botocore, header and presigned', async () => {
    const script = `
import json, sys
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
creds = Credentials(sys.argv[1], sys.argv[2])
out = []
for url, body, method in [
    ('http://localhost:4566/', 'Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fa+b%2F', 'POST'),
    ('http://localhost:4566/findings/a%20b?x=1&x=2&y=%2B', '{"a":1}', 'POST'),
]:
    r = AWSRequest(method=method, url=url, data=body, headers={'Content-Type': 'application/x-www-form-urlencoded'})
    SigV4Auth(creds, 'iam', 'us-east-1').add_auth(r)
    p = r.prepare()
    out.append({'url': p.url, 'method': p.method, 'headers': dict(p.headers), 'body': body})
r = AWSRequest(method='GET', url='http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15')
SigV4QueryAuth(creds, 'sts', 'us-east-1', expires=300).add_auth(r)
p = r.prepare()
out.append({'url': p.url, 'method': 'GET', 'headers': dict(p.headers), 'body': ''})
print(json.dumps(out))`;
    // botocore signs at the machine's time; verify at that time.
    const signedNow = options({ now: new Date() });
    const signed = JSON.parse(execFileSync('python3', ['-c', script, KEY.accessKeyId, KEY.secretAccessKey], { encoding: 'utf8' }));
    assert.equal(signed.length, 3);
    for (const s of signed) {
      const url = new URL(s.url);
      const headers: Record<string, string> = { host: url.host };
      for (const [k, v] of Object.entries(s.headers)) headers[k.toLowerCase()] = v as string;
      const request: HttpRequest = {
        method: s.method,
        path: s.url.replace(/^http:\/\/[^/]+/, '').split('?')[0],
        rawQuery: s.url.includes('?') ? s.url.slice(s.url.indexOf('?') + 1) : '',
        headers,
        body: Buffer.from(s.body),
      };
      const result = await authenticate(request, signedNow);
      assert.equal(result.verified, true, s.url);
    }
    assert.equal((await authenticate(requestOf(signed[2]), signedNow)).presigned, true);
  });

  it('rejects a wrong secret: SignatureDoesNotMatch 403 (query), InvalidSignatureException 403 (json)', async () => {
    const request = await sdkSigned({}, { secret: 'not-the-secret' });
    const message = /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.$/;
    await rejects(request, options(), 'SignatureDoesNotMatch', 403, message);
    await rejects(request, options({ flavor: 'json' }), 'InvalidSignatureException', 403, message);
  });

  it('rejects a body changed after signing, even with the declared hash left in place', async () => {
    const request = await sdkSigned({ headers: { 'x-amz-content-sha256': 'placeholder' } });
    await rejects({ ...request, body: Buffer.from('Action=DeleteUser') }, options(), 'SignatureDoesNotMatch', 403);
    const plain = await sdkSigned();
    await rejects({ ...plain, body: Buffer.from('Action=DeleteUser') }, options(), 'SignatureDoesNotMatch', 403);
  });

  it('accepts UNSIGNED-PAYLOAD when the client declares it', async () => {
    const request = await sdkSigned({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    assert.equal((await authenticate({ ...request, body: Buffer.from('anything') }, options())).verified, true);
  });

  it('answers an unsigned request with MissingAuthenticationToken 403, unless the operation is anonymous', async () => {
    const unsigned: HttpRequest = { method: 'POST', path: '/', rawQuery: '', headers: {}, body: Buffer.alloc(0) };
    await rejects(unsigned, options(), 'MissingAuthenticationToken', 403, /^Request is missing Authentication Token$/);
    await rejects(unsigned, options({ flavor: 'json' }), 'MissingAuthenticationTokenException', 403);
    const result = await authenticate(unsigned, options({ allowAnonymous: true }));
    assert.equal(result.principal.type, 'Anonymous');
  });

  it('answers a malformed Authorization header with IncompleteSignature 400 naming what is missing', async () => {
    const request: HttpRequest = {
      method: 'POST',
      path: '/',
      rawQuery: '',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/sts/aws4_request' },
      body: Buffer.alloc(0),
    };
    await rejects(request, options(), 'IncompleteSignature', 400, /Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256/);
    await rejects(request, options({ flavor: 'json' }), 'IncompleteSignatureException', 400);
  });

  it('takes an unknown key as the default account root in permissive mode, a 12-digit key as that account', async () => {
    const unknown = await sdkSigned();
    unknown.headers.authorization = unknown.headers.authorization.replace(KEY.accessKeyId, 'AKIANOTISSUED0000000');
    const result = await authenticate(unknown, options());
    assert.equal(result.verified, false);
    assert.equal(result.principal.arn, 'arn:aws:iam::123456789012:root');
    const numeric = await sdkSigned();
    numeric.headers.authorization = numeric.headers.authorization.replace(KEY.accessKeyId, '444455556666');
    assert.equal((await authenticate(numeric, options())).principal.accountId, '444455556666');
  });

  it('rejects an unknown key in strict mode: InvalidClientTokenId 403 / UnrecognizedClientException 400', async () => {
    const unknown = await sdkSigned();
    unknown.headers.authorization = unknown.headers.authorization.replace(KEY.accessKeyId, 'AKIANOTISSUED0000000');
    const message = /^The security token included in the request is invalid\.$/;
    await rejects(unknown, options({ mode: 'strict' }), 'InvalidClientTokenId', 403, message);
    await rejects(unknown, options({ mode: 'strict', flavor: 'json' }), 'UnrecognizedClientException', 400, message);
  });

  it('rejects an inactive key with InvalidClientTokenId', async () => {
    await rejects(await sdkSigned(), options({}, { active: false }), 'InvalidClientTokenId', 403);
  });

  it('requires the session token of temporary credentials, and rejects them once expired: ExpiredToken', async () => {
    const token = 'FwoGZXIvYXdzEXAMPLETOKEN';
    const withToken = await sdkSigned({}, { sessionToken: token });
    assert.equal((await authenticate(withToken, options({}, { sessionToken: token }))).verified, true);
    await rejects(await sdkSigned(), options({}, { sessionToken: token }), 'InvalidClientTokenId', 403);
    await rejects(
      withToken,
      options({}, { sessionToken: token, expiresAt: new Date(NOW.getTime() - 1000) }),
      'ExpiredToken',
      400,
      /^The security token included in the request is expired$/,
    );
  });

  it('rejects a signature more than 15 minutes old or ahead, with AWS wording', async () => {
    const old = await sdkSigned({}, { at: new Date(NOW.getTime() - 16 * 60_000) });
    await rejects(old, options(), 'SignatureDoesNotMatch', 403, /^Signature expired: 20250601T114400Z is now earlier than 20250601T114500Z \(20250601T120000Z - 15 min\.\)$/);
    const ahead = await sdkSigned({}, { at: new Date(NOW.getTime() + 16 * 60_000) });
    await rejects(ahead, options(), 'SignatureDoesNotMatch', 403, /^Signature not yet current: 20250601T121600Z is still later than 20250601T121500Z \(20250601T120000Z \+ 15 min\.\)$/);
    const withinSkew = await sdkSigned({}, { at: new Date(NOW.getTime() - 14 * 60_000) });
    assert.equal((await authenticate(withinSkew, options())).verified, true);
  });

  it('honours a presigned URL until X-Amz-Expires, then answers AccessDenied', async () => {
    const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: KEY, sha256: Sha256 });
    const presigned = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: 'localhost', port: 4566, path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: 'localhost:4566' } },
      { signingDate: NOW, expiresIn: 60 },
    );
    const rawQuery = Object.entries(presigned.query!).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`).join('&');
    const request: HttpRequest = { method: 'GET', path: '/', rawQuery, headers: { host: 'localhost:4566' }, body: Buffer.alloc(0) };
    assert.equal((await authenticate(request, options({ now: new Date(NOW.getTime() + 59_000) }))).presigned, true);
    await rejects(request, options({ now: new Date(NOW.getTime() + 61_000) }), 'AccessDenied', 403, /Request has expired/);
    const tooLong = { ...request, rawQuery: rawQuery.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801') };
    await rejects(tooLong, options(), 'AccessDenied', 403, /X-Amz-Expires/);
  });

  it('rejects a credential scope whose date differs from X-Amz-Date', async () => {
    const request = await sdkSigned();
    request.headers.authorization = request.headers.authorization.replace('/20250601/', '/20250602/');
    await rejects(request, options(), 'SignatureDoesNotMatch', 403, /Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250602' != '20250601'/);
  });

  it('never throws anything but a 4xx AwsError for random Authorization headers, credentials and dates', async () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['AWS4-HMAC-SHA256', 'Credential=', 'SignedHeaders=', 'Signature=', ',', ' ', '/', '=', 'host', 'aws4_request', KEY.accessKeyId, '20250601', 'us-east-1', '%', '\u0000', 'é', ';', 'x-amz-date'];
    for (let i = 0; i < 2000; i++) {
      const header = Array.from({ length: Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
      const headers: Record<string, string> = { authorization: header, host: 'x' };
      if (rnd() < 0.6) headers['x-amz-date'] = rnd() < 0.5 ? '20250601T120000Z' : String(rnd());
      const rawQuery = rnd() < 0.3 ? `X-Amz-Credential=${encodeURIComponent(header)}&X-Amz-Expires=${Math.floor(rnd() * 1e7)}` : '';
      const request: HttpRequest = { method: 'POST', path: '/', rawQuery, headers: rnd() < 0.2 ? { host: 'x' } : headers, body: Buffer.from(header) };
      try {
        await authenticate(request, options({ mode: rnd() < 0.5 ? 'strict' : 'permissive' }));
      } catch (error) {
        assert.ok(error instanceof AwsError, `case ${i}: ${error}`);
        assert.ok(error.status! >= 400 && error.status! < 500, `case ${i}: status ${error.status}`);
      }
    }
  });
});

function requestOf(s: { url: string; method: string; headers: Record<string, string>; body: string }): HttpRequest {
  const url = new URL(s.url);
  const headers: Record<string, string> = { host: url.host };
  for (const [k, v] of Object.entries(s.headers)) headers[k.toLowerCase()] = v;
  return { method: s.method, path: url.pathname, rawQuery: s.url.includes('?') ? s.url.slice(s.url.indexOf('?') + 1) : '', headers, body: Buffer.from(s.body) };
}
