// Parses responses with botocore's own response parsers (python3, botocore 1.43.11), the
// way boto3 and the AWS CLI do, so the tests see what a real client makes of our bytes.
// All cases of a test file go through one python process.
import { spawn } from 'node:child_process';
import type { HttpResponse } from '../../../src/protocol/http.ts';
import type { ServiceModel } from '../../../src/protocol/model.ts';

export interface BotocoreCase {
  protocol: 'query' | 'ec2';
  /** A botocore service name, or an inline model (for synthetic models). */
  service: string | ServiceModel;
  operation: string;
  response: HttpResponse;
}

/** botocore's parsed dict; for errors also `ErrorShape`, the shape botocore maps the code to. */
export type BotocoreResult = Record<string, unknown>;

const SCRIPT = String.raw`
import base64, datetime, json, sys
import botocore.session
from botocore.model import ServiceModel
from botocore.parsers import create_parser

loader = botocore.session.get_session().get_component('data_loader')

def plain(v):
    if isinstance(v, datetime.datetime):
        return {'$date': int(round(v.timestamp() * 1000))}
    if isinstance(v, (bytes, bytearray)):
        return {'$base64': base64.b64encode(v).decode()}
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v

def model_of(case):
    if isinstance(case['service'], dict):
        raw = case['service']
        return ServiceModel({'metadata': raw['metadata'], 'operations': raw['operations'], 'shapes': raw['shapes']}, 'synthetic')
    return ServiceModel(loader.load_service_model(case['service'], 'service-2'), case['service'])

results = []
for case in json.load(sys.stdin):
    model = model_of(case)
    operation = model.operation_model(case['operation'])
    parser = create_parser(case['protocol'])
    response = case['response']
    raw = {'status_code': response['status'], 'headers': response['headers'], 'body': response['body'].encode('utf-8')}
    parsed = parser.parse(raw, operation.output_shape)
    if response['status'] >= 300:
        # As botocore's endpoint does: a code the model knows adds the error shape's members.
        error_shape = model.shape_for_error_code(parsed.get('Error', {}).get('Code'))
        if error_shape is not None:
            parsed.update(parser.parse(raw, error_shape))
            parsed['ErrorShape'] = error_shape.name
    # The parser echoes the HTTP status and headers into ResponseMetadata: not our bytes.
    metadata = parsed.get('ResponseMetadata', {})
    metadata.pop('HTTPStatusCode', None)
    metadata.pop('HTTPHeaders', None)
    results.append(plain(parsed))
print(json.dumps(results))
`;

export function parseWithBotocore(cases: BotocoreCase[]): Promise<BotocoreResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`botocore helper failed (${code}): ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin.end(JSON.stringify(cases.map((c) => ({ ...c, response: { ...c.response, body: String(c.response.body) } }))));
  });
}
