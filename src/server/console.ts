// The web console at /console/: the built front-end (console/dist, made by the
// project's install) served as static files, and its few endpoints of its own: sign-in,
// sign-out, and the root user's MFA assignment (which IAM's API cannot name). Everything
// else the console does goes through the public AWS API on this same origin, signed
// with the signed-in user's temporary credentials.
//
// Every console response carries a strict Content-Security-Policy: scripts and styles
// only from this origin, no inline code, no framing, calls only to this origin.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpRequest, HttpResponse } from '../protocol/http.ts';
import { enableRootMfa, type RootMfaRequest } from './console-root-mfa.ts';
import { signIn, signOut, type SignInDeps } from './console-signin.ts';
import type { SignInRequest } from './console-signin-wire.ts';

export const CONSOLE_PREFIX = '/console';
const API = `${CONSOLE_PREFIX}/api/`;

/** Where `npm ci` (the prepare script) puts the built console. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`);
}

export interface ConsoleDeps extends SignInDeps {
  /** The built console (CONSOLE_DIST unless a test says otherwise). */
  distDir?: string;
  /** Called when a sign-out deactivated credentials: caches of them must go, on every node. */
  credentialsChanged?: () => Promise<void>;
}

export async function handleConsole(request: HttpRequest, deps: ConsoleDeps): Promise<HttpResponse> {
  if (request.path.startsWith(API)) return secured(await handleApi(request, deps));
  if (request.method !== 'GET' && request.method !== 'HEAD') return secured(text(405, 'Method not allowed'));
  if (request.path === CONSOLE_PREFIX) return secured({ status: 301, headers: { location: `${CONSOLE_PREFIX}/` }, body: '' });
  return secured(await staticFile(request.path.slice(CONSOLE_PREFIX.length + 1), deps.distDir ?? CONSOLE_DIST));
}

function secured(response: HttpResponse): HttpResponse {
  return { ...response, headers: { ...SECURITY_HEADERS, ...response.headers } };
}

/** A file of the build; '' is index.html. Hashed assets are cached for good, the page never. */
async function staticFile(relative: string, distDir: string): Promise<HttpResponse> {
  let name: string;
  try {
    name = decodeURIComponent(relative) || 'index.html';
  } catch {
    return text(400, 'Bad path');
  }
  const path = normalize(join(distDir, name));
  if (!path.startsWith(normalize(distDir.endsWith(sep) ? distDir : distDir + sep))) return text(404, 'Not found');
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    if (name === 'index.html') {
      return text(503, 'The console is not built: run `npm ci` (or `npm run console:build`) in the Bulwark checkout.');
    }
    return text(404, 'Not found');
  }
  const body = await readFile(path);
  const immutable = name.startsWith('assets/');
  return {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    },
    body,
  };
}

async function handleApi(request: HttpRequest, deps: ConsoleDeps): Promise<HttpResponse> {
  const route = `${request.method} ${request.path.slice(API.length)}`;
  const handler = API_ROUTES[route];
  if (!handler) return json(404, { error: 'NotFound', message: `No console endpoint ${route}` });
  // JSON only: a page on another site cannot send that without a CORS preflight we never grant.
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return json(415, { error: 'UnsupportedMediaType', message: 'Send the request as application/json.' });
  }
  if (!sameOrigin(request)) return json(403, { error: 'Forbidden', message: 'Cross-origin console requests are refused.' });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
  } catch {
    return json(400, { error: 'InvalidRequest', message: 'The body must be a JSON object.' });
  }
  return handler(request, body, deps);
}

type ApiRoute = (request: HttpRequest, body: Record<string, unknown>, deps: ConsoleDeps) => Promise<HttpResponse>;

const API_ROUTES: Record<string, ApiRoute> = {
  'POST signin': signInRoute,
  'POST signout': (_request, body, deps) => signOutRoute(body, deps),
  'POST root-mfa': rootMfaRoute,
};

async function signInRoute(request: HttpRequest, body: Record<string, unknown>, deps: ConsoleDeps): Promise<HttpResponse> {
  const parsed = signInRequestOf(body);
  if (typeof parsed === 'string') return json(400, { error: 'InvalidRequest', message: parsed });
  const result = await signIn(deps, parsed, {
    sourceIp: request.remoteAddress,
    userAgent: request.headers['user-agent'],
    loginTo: `http://${request.headers.host ?? 'localhost'}${CONSOLE_PREFIX}/`,
  });
  if (result.status === 'Failed') return json(result.httpStatus, { status: 'Failed', error: result.error, message: result.message });
  return json(200, result);
}

async function signOutRoute(body: Record<string, unknown>, deps: ConsoleDeps): Promise<HttpResponse> {
  const { accessKeyId, sessionToken } = body;
  if (typeof accessKeyId !== 'string' || typeof sessionToken !== 'string') {
    return json(400, { error: 'InvalidRequest', message: 'Give accessKeyId and sessionToken of the session to end.' });
  }
  const ended = await signOut(deps, accessKeyId, sessionToken);
  if (ended) await deps.credentialsChanged?.();
  return json(ended ? 200 : 404, ended ? { status: 'SignedOut' } : { error: 'NoSuchSession', message: 'No such console session.' });
}

async function rootMfaRoute(request: HttpRequest, body: Record<string, unknown>, deps: ConsoleDeps): Promise<HttpResponse> {
  const fields = ['accessKeyId', 'sessionToken', 'serialNumber', 'authenticationCode1', 'authenticationCode2'] as const;
  if (fields.some((field) => typeof body[field] !== 'string')) {
    return json(400, { error: 'InvalidRequest', message: `Give ${fields.join(', ')}.` });
  }
  const result = await enableRootMfa(deps, body as unknown as RootMfaRequest, request.remoteAddress, request.headers['user-agent']);
  return result.ok ? json(200, { status: 'Enabled' }) : json(result.status, { error: result.error, message: result.message });
}

/** AWS console passwords are at most 128 characters. */
const MAX_PASSWORD = 128;

/** The sign-in request, or what is wrong with it. */
export function signInRequestOf(body: Record<string, unknown>): SignInRequest | string {
  const { account, userName, root, password, mfaCode, newPassword } = body;
  if (typeof account !== 'string' || !/^(\d{12}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/.test(account)) {
    return 'Give the 12-digit account id or the account alias.';
  }
  if (root !== undefined && typeof root !== 'boolean') return 'root must be true or false.';
  if (!root && (typeof userName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(userName))) return 'Give the IAM user name.';
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD) return 'Give the password.';
  if (mfaCode !== undefined && (typeof mfaCode !== 'string' || !/^\d{6}$/.test(mfaCode))) return 'The MFA code is 6 digits.';
  if (newPassword !== undefined && (typeof newPassword !== 'string' || newPassword.length === 0 || newPassword.length > MAX_PASSWORD)) {
    return 'Give the new password.';
  }
  return {
    account,
    ...(root ? { root: true } : { userName: userName as string }),
    password,
    ...(mfaCode !== undefined && { mfaCode: mfaCode as string }),
    ...(newPassword !== undefined && { newPassword: newPassword as string }),
  };
}

/** A request that names an Origin must come from this very host. */
function sameOrigin(request: HttpRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

function text(status: number, body: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}
