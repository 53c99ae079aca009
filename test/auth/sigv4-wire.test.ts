// SigV4 as it arrives on the wire: a real STS client call captured by a small HTTP
// server, botocore's presigned URLs and repeated headers, AWS's order of checks and
// wording for malformed signatures, and fuzzed query strings.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { authenticate, credentialScopeOf, type AuthOptions, type ResolvedCredential } from '../../src/auth/index.ts';
import { AwsError } from '../../src/protocol/errors.ts';
import type { HttpRequest } from '../../src/protocol/http.ts';

const ACCOUNT = '111122223333';
const KEY = { accessKeyId: 'ASIAISSUEDBYBULWARK2', secretAccessKey: 'tempsecrettempsecrettempsecrettempsecret' };
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE+/token==';
const ROLE_SESSION = {
  type: 'AssumedRole' as const,
  accountId: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`,
  userId: 'AROAEXAMPLEEXAMPLE12:ci',
  roleName: 'deployer',
  roleId: 'AROAEXAMPLEEXAMPLE12',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
  rolePath: '/',
  sessionName: 'ci',
  issuedAt: '2025-06-01T11:00:00.000Z',
};
const NOW = new Date('2025-06-01T12:00:00Z');

function options(overrides: Partial<AuthOptions> = {}, credential: Partial<ResolvedCredential> = {}): AuthOptions {
  const issued: ResolvedCredential = {
    secretAccessKey: KEY.secretAccessKey,
    principal: ROLE_SESSION,
    sessionToken: TOKEN,
    active: true,
    ...credential,
  };
  return {
    flavor: 'query',
    mode: 'strict',
    now: NOW,
    defaultAccountId: '123456789012',
    credentials: { lookup: async (id) => (id === KEY.accessKeyId ? issued : undefined) },
    ...overrides,
  };
}

async function rejects(request: HttpRequest, opts: AuthOptions, code: string, status: number, message?: RegExp | string) {
  await assert.rejects(authenticate(request, opts), (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

/** Reads a request the way Bulwark's server does, repeated headers joined with ','. */
async function readRequest(req: IncomingMessage): Promise<HttpRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) if (values) headers[name] = values.join(',');
  return {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers,
    body: Buffer.concat(chunks),
  };
}

/** Signs with the JS SDK's signer at NOW with the session credentials. */
async function sdkSigned(init: { headers?: Record<string, string>; service?: string } = {}): Promise<HttpRequest> {
  const signer = new SignatureV4({
    service: init.service ?? 'sts',
    region: 'us-east-1',
    credentials: { ...KEY, sessionToken: TOKEN },
    sha256: Sha256,
  });
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/', query: {}, headers: { host: 'localhost', ...init.headers }, body },
    { signingDate: NOW },
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: 'POST', path: '/', rawQuery: '', headers, body: Buffer.from(body) };
}

function python(script: string, ...args: string[]): any {
  return JSON.parse(execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8' }));
}

function fromUrl(method: string, url: string, headers: Record<string, string>, body = ''): HttpRequest {
  const parsed = new URL(url);
  const lower: Record<string, string> = { host: parsed.host };
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const rest = url.replace(/^https?:\/\/[^/]+/, '');
  const q = rest.indexOf('?');
  return { method, path: q < 0 ? rest : rest.slice(0, q), rawQuery: q < 0 ? '' : rest.slice(q + 1), headers: lower, body: Buffer.from(body) };
}

describe('SigV4 on the wire', () => {
  it('verifies a real @aws-sdk/client-sts call with session credentials, token included', async () => {
    const captured: HttpRequest[] = [];
    const server = createServer(async (req, res) => {
      captured.push(await readRequest(req));
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          `<Arn>${ROLE_SESSION.arn}</Arn><UserId>${ROLE_SESSION.userId}</UserId><Account>${ACCOUNT}</Account>` +
          '</GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sts = new STSClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'eu-west-2',
        credentials: { ...KEY, sessionToken: TOKEN },
      });
      await sts.send(new GetCallerIdentityCommand({}));
      sts.destroy();
    } finally {
      server.close();
    }
    assert.equal(captured.length, 1);
    const now = new Date();
    const result = await authenticate(captured[0], options({ now, service: 'sts' }));
    assert.equal(result.verified, true);
    assert.equal(result.principal.arn, ROLE_SESSION.arn);
    assert.equal(result.region, 'eu-west-2');
    assert.equal(result.sessionToken, TOKEN);
    // The same bytes with another token are someone else's request.
    const forged = { ...captured[0], headers: { ...captured[0].headers, 'x-amz-security-token': TOKEN + 'x' } };
    await rejects(forged, options({ now }), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
  });

  it('verifies botocore: generate_presigned_url with a session token, and repeated headers and special characters in a header-signed request', async () => {
    const script = `
import json, sys
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
akid, secret, token = sys.argv[1:4]
session = botocore.session.get_session()
sts = session.create_client('sts', region_name='us-west-2', endpoint_url='http://localhost:4566',
                            aws_access_key_id=akid, aws_secret_access_key=secret, aws_session_token=token)
presigned = sts.generate_presigned_url('get_caller_identity', ExpiresIn=900, HttpMethod='GET')
post_signed = sts.generate_presigned_url('get_caller_identity', ExpiresIn=900)
r = AWSRequest(method='GET', url='http://localhost:4566/a%20b/%C3%A9/x+y?k=2&k=&p=%2B&s=%2F&u=%C3%BC&e')
r.headers['X-Rep'] = 'one'
r.headers['X-Rep'] = 'two   words '
SigV4Auth(Credentials(akid, secret, token), 'guardduty', 'us-west-2').add_auth(r)
p = r.prepare()
print(json.dumps({'presigned': presigned, 'postSigned': post_signed, 'url': p.url, 'headers': {k: v for k, v in p.headers.items() if k.lower() != 'x-rep'}}))`;
    const out = python(script, KEY.accessKeyId, KEY.secretAccessKey, TOKEN);
    const now = new Date();
    const presigned = await authenticate(fromUrl('GET', out.presigned, {}), options({ now }));
    assert.equal(presigned.presigned, true);
    assert.equal(presigned.verified, true);
    assert.equal(presigned.region, 'us-west-2');
    assert.equal(presigned.sessionToken, TOKEN);
    // Without HttpMethod botocore signs the operation's own method (POST), as the AWS CLI's
    // eks get-token knows: the method is part of what is signed.
    assert.equal((await authenticate(fromUrl('POST', out.postSigned, {}), options({ now }))).verified, true);
    await rejects(fromUrl('GET', out.postSigned, {}), options({ now }), 'SignatureDoesNotMatch', 403);

    // Bulwark's server joins repeated headers with ',', as SigV4 canonicalises them.
    const request = fromUrl('GET', out.url, { ...out.headers, 'x-rep': 'one,two   words ' });
    const header = await authenticate(request, options({ now, flavor: 'json' }));
    assert.equal(header.verified, true);
    // A raw '+' is a plus sign, never a space; any other change to the query breaks the signature.
    assert.equal((await authenticate({ ...request, rawQuery: request.rawQuery.replace('p=%2B', 'p=+') }, options({ now, flavor: 'json' }))).verified, true);
    await rejects({ ...request, rawQuery: request.rawQuery.replace('p=%2B', 'p=%20') }, options({ now, flavor: 'json' }), 'InvalidSignatureException', 403);
    await rejects({ ...request, path: request.path.replace('x+y', 'x%20y') }, options({ now, flavor: 'json' }), 'InvalidSignatureException', 403);
  });

  it('judges clock skew by the machine time (wallTime) and credential expiry by Bulwark time (now)', async () => {
    const request = await sdkSigned();
    const later = new Date(NOW.getTime() + 2 * 3600_000);
    assert.equal((await authenticate(request, options({ now: later, wallTime: NOW }))).verified, true);
    await rejects(
      request,
      options({ now: later, wallTime: NOW }, { expiresAt: new Date(NOW.getTime() + 3600_000) }),
      'ExpiredToken',
      400,
      'The security token included in the request is expired',
    );
    await rejects(request, options({ now: later }), 'SignatureDoesNotMatch', 403, /^Signature expired: 20250601T120000Z is now earlier than/);
  });

  it('rejects a long-term key sent with a session token: InvalidClientTokenId / UnrecognizedClientException 400', async () => {
    const request = await sdkSigned();
    await rejects(request, options({}, { sessionToken: undefined }), 'InvalidClientTokenId', 403);
    await rejects(request, options({ flavor: 'json' }, { sessionToken: undefined }), 'UnrecognizedClientException', 400);
  });

  it('names the service the credential must be scoped to, and reports every scope fault at once', async () => {
    const request = await sdkSigned({ service: 'sts' });
    await rejects(request, options({ service: 'kms', flavor: 'json' }), 'InvalidSignatureException', 403, "Credential should be scoped to correct service: 'kms'.");
    const bad = { ...request, headers: { ...request.headers } };
    bad.headers.authorization = bad.headers.authorization.replace('/20250601/us-east-1/sts/aws4_request', '/b/c/sts/e');
    await rejects(
      bad,
      options(),
      'SignatureDoesNotMatch',
      403,
      "Credential should be scoped to a valid region, not 'c'. Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'b' != '20250601', from '20250601T120000Z'.",
    );
  });

  it('checks a malformed Authorization header in AWS order: key=value pairs, required parts, date, algorithm, credential', async () => {
    const base = await sdkSigned();
    const withAuth = (authorization: string, headers: Record<string, string> = { 'x-amz-date': '20250601T120000Z' }): HttpRequest => ({
      ...base,
      headers: { host: 'localhost', ...headers, authorization },
    });
    const spaced = 'AWS4-HMAC-SHA256 Credential=AKID /20250601/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00';
    await rejects(withAuth(spaced), options(), 'IncompleteSignature', 400, `'/20250601/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${spaced}'.`);
    await rejects(
      withAuth('Bearer', {}),
      options({ flavor: 'json' }),
      'IncompleteSignatureException',
      400,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer",
    );
    const full = 'Credential=AKID/20250601/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00';
    await rejects(withAuth(`AWS4-HMAC-SHA256 ${full}`, { 'x-amz-date': '2025-06-01' }), options(), 'IncompleteSignature', 400, "Date must be in ISO-8601 'basic format'. Got '2025-06-01'. See http://en.wikipedia.org/wiki/ISO_8601");
    await rejects(withAuth(`AWS4-HMAC-SHA25 ${full}`), options(), 'IncompleteSignature', 400, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now).");
    await rejects(
      withAuth('AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=00'),
      options(),
      'IncompleteSignature',
      400,
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
    );
    await rejects(
      { ...base, rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' },
      options({ flavor: 'json' }),
      'InvalidSignatureException',
      403,
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
    const unsignedHost = { ...base, headers: { ...base.headers } };
    unsignedHost.headers.authorization = unsignedHost.headers.authorization.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-date');
    await rejects(unsignedHost, options(), 'SignatureDoesNotMatch', 403, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('lists every missing presigned parameter, and rejects X-Amz-Expires beyond a week', async () => {
    const request: HttpRequest = { method: 'GET', path: '/', rawQuery: 'X-Amz-Credential=AKID%2F20250601%2Fus-east-1%2Fsts%2Faws4_request', headers: { host: 'x' }, body: Buffer.alloc(0) };
    await rejects(
      request,
      options(),
      'IncompleteSignature',
      400,
      "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
    );
    const week =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20250601%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20250601T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=604801';
    await rejects({ ...request, rawQuery: week }, options(), 'AccessDenied', 403, /X-Amz-Expires/);
  });

  it('extracts the credential scope cheaply from either form, and never throws', () => {
    const header: HttpRequest = {
      method: 'POST',
      path: '/',
      rawQuery: '',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDX/20250601/eu-west-1/kms/aws4_request, SignedHeaders=host, Signature=00' },
      body: Buffer.alloc(0),
    };
    assert.deepEqual(credentialScopeOf(header), { accessKeyId: 'AKIDX', date: '20250601', region: 'eu-west-1', service: 'kms', terminator: 'aws4_request' });
    const query = { ...header, headers: {}, rawQuery: 'Action=X&X-Amz-Credential=AKIDY%2F20250601%2Fus-east-1%2Fsts%2Faws4_request' };
    assert.equal(credentialScopeOf(query)?.service, 'sts');
    assert.equal(credentialScopeOf({ ...header, headers: {} }), undefined);
    for (const junk of ['AWS4-HMAC-SHA256 Credential=', 'AWS4-HMAC-SHA256 Credential=%zz/%', 'Bearer x', '']) {
      assert.doesNotThrow(() => credentialScopeOf({ ...header, headers: { authorization: junk }, rawQuery: 'X-Amz-Credential=%E0%A4%A' }));
    }
  });

  it('never answers random presigned query strings with anything but a 4xx AwsError', async () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const names = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256', 'Action', ''];
    const values = ['AWS4-HMAC-SHA256', `${KEY.accessKeyId}%2F20250601%2Fus-east-1%2Fsts%2Faws4_request`, '20250601T120000Z', '60', '-1', '99999999', 'host', 'host%3Bx-amz-date', '%', '%zz', '%E2%82', '+', '', 'UNSIGNED-PAYLOAD', TOKEN, '20250601T1200'];
    for (let i = 0; i < 2000; i++) {
      const pairs = Array.from({ length: Math.floor(rnd() * 9) }, () => {
        const name = names[Math.floor(rnd() * names.length)];
        return rnd() < 0.1 ? name : `${name}=${values[Math.floor(rnd() * values.length)]}`;
      });
      const request: HttpRequest = { method: 'GET', path: rnd() < 0.5 ? '/' : '/%zz/../a', rawQuery: pairs.join('&'), headers: { host: 'x' }, body: Buffer.alloc(0) };
      const opts = options({ mode: rnd() < 0.5 ? 'strict' : 'permissive', flavor: rnd() < 0.5 ? 'json' : 'query', allowAnonymous: rnd() < 0.3 });
      try {
        await authenticate(request, opts);
      } catch (error) {
        assert.ok(error instanceof AwsError, `query ${request.rawQuery} threw ${error}`);
        assert.ok(error.status !== undefined && error.status >= 400 && error.status < 500, `query ${request.rawQuery}: ${error.status}`);
      }
    }
  });
});
