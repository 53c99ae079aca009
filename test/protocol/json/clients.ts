// The real clients as judges of our wire output: botocore's own parsers and serializers
// (one python process per batch of cases), and a loopback HTTP server that answers the
// AWS SDK for JS v3 with bytes our codecs produced.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRequest, HttpResponse } from '../../../src/protocol/http.ts';
import { awsEnv, CREDENTIALS, REGION } from './fixtures.ts';

export type BotocoreCase =
  | { kind: 'parse'; service: string; operation: string; protocol: string; response: HttpResponse }
  | { kind: 'serialize'; service: string; operation: string; protocol: string; params: unknown };

const BOTOCORE_SCRIPT = `
import base64, datetime, json, sys
import botocore.session
from botocore.awsrequest import HeadersDict
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
session = botocore.session.get_session()
def plain(value):
    if isinstance(value, dict): return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list): return [plain(v) for v in value]
    if isinstance(value, datetime.datetime): return {'$epoch': value.timestamp()}
    if isinstance(value, (bytes, bytearray)): return {'$blob': base64.b64encode(value).decode()}
    return value
def untag(value):
    if isinstance(value, dict):
        if '$blob' in value: return base64.b64decode(value['$blob'])
        if '$date' in value: return datetime.datetime.fromisoformat(value['$date'].replace('Z', '+00:00'))
        return {k: untag(v) for k, v in value.items()}
    if isinstance(value, list): return [untag(v) for v in value]
    return value
results = []
for case in json.load(sys.stdin):
    operation = session.get_service_model(case['service']).operation_model(case['operation'])
    try:
        if case['kind'] == 'parse':
            response = case['response']
            http = {'status_code': response['status'], 'headers': HeadersDict(response['headers']), 'body': base64.b64decode(response['body'])}
            results.append({'ok': plain(create_parser(case['protocol']).parse(http, operation.output_shape))})
        else:
            request = create_serializer(case['protocol']).serialize_to_request(untag(case['params']), operation)
            body = request['body'] if isinstance(request['body'], bytes) else request['body'].encode()
            results.append({'ok': {'method': request['method'], 'path': request['url_path'], 'headers': dict(request['headers']),
                                   'query': request['query_string'], 'bodyBase64': base64.b64encode(body).decode()}})
    except Exception as error:
        results.append({'error': f'{type(error).__name__}: {error}'})
print(json.dumps(results))
`;

/** Runs every case through botocore in one python process; each result is botocore's dict (or its exception text). */
export function botocore(cases: BotocoreCase[]): Promise<{ ok?: Record<string, unknown>; error?: string }[]> {
  const payload = cases.map((c) =>
    c.kind === 'parse'
      ? { ...c, response: { ...c.response, body: Buffer.from(c.response.body).toString('base64') } }
      : c,
  );
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', BOTOCORE_SCRIPT], { env: awsEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`botocore exited ${code}: ${stderr}`))));
    child.stdin.end(JSON.stringify(payload));
  });
}

/** A typed value as botocore's results spell it: Dates as epoch seconds, Buffers as base64. */
export function asBotocore(value: unknown): unknown {
  if (value instanceof Date) return { $epoch: value.getTime() / 1000 };
  if (value instanceof Uint8Array) return { $blob: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(asBotocore);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asBotocore(v)]));
  return value;
}

export interface TestServer {
  endpoint: string;
  /** What the server answers next; it also sees the request. */
  respond: (request: HttpRequest) => HttpResponse;
  close(): Promise<void>;
}

/** A loopback server that reads each request fully and answers with `respond`. */
export async function startServer(): Promise<TestServer> {
  const state: TestServer = {
    endpoint: '',
    respond: () => ({ status: 500, headers: {}, body: 'no responder' }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const [path, rawQuery = ''] = (incoming.url ?? '/').split(/\?(.*)/s);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) headers[name] = Array.isArray(value) ? value.join(',') : String(value);
    const response = state.respond({ method: incoming.method ?? 'GET', path, rawQuery, headers, body: Buffer.concat(chunks) });
    outgoing.writeHead(response.status, response.headers);
    outgoing.end(response.body);
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Configuration for an SDK client calling a test server once (no retries). */
export function sdkConfig(endpoint: string) {
  return { endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
}
