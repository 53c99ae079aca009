// Whatever bytes arrive, the query and ec2 codecs answer with an AwsError the client
// caused (4xx) or a parsed input: never another exception, never a hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProtocolCodec } from '../../../src/protocol/codec.ts';
import { ec2Codec } from '../../../src/protocol/ec2.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { HttpRequest } from '../../../src/protocol/http.ts';
import { loadModel, type ServiceModel } from '../../../src/protocol/model.ts';
import { queryCodec } from '../../../src/protocol/query.ts';
import { wireError } from '../../../src/protocol/query-output.ts';
import { assertAwsError, formPost } from './support.ts';
import { syntheticModel } from './synthetic-model.ts';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Target {
  codec: ProtocolCodec;
  model: ServiceModel;
  operation: string;
  names: string[];
}

const targets: Target[] = [
  { codec: queryCodec, model: loadModel('iam'), operation: 'CreateUser', names: ['UserName', 'Path', 'Tags', 'member', 'Key', 'Value', 'PermissionsBoundary'] },
  { codec: queryCodec, model: loadModel('iam'), operation: 'SimulatePrincipalPolicy', names: ['ContextEntries', 'member', 'ContextKeyValues', 'ContextKeyName', 'MaxItems', 'ActionNames'] },
  { codec: queryCodec, model: loadModel('cloudwatch'), operation: 'PutMetricData', names: ['MetricData', 'member', 'Dimensions', 'Timestamp', 'Values', 'Value', 'Name'] },
  { codec: queryCodec, model: syntheticModel, operation: 'PutWidget', names: ['Attributes', 'entry', 'key', 'value', 'FlatLabels', 'Label', 'Child', 'Next', 'Id', 'Payload', 'When', 'Count'] },
  { codec: ec2Codec, model: loadModel('ec2'), operation: 'AuthorizeSecurityGroupIngress', names: ['IpPermissions', 'IpRanges', 'CidrIp', 'FromPort', 'Groups', 'GroupId', 'DryRun'] },
];

const PIECES = ['%', '%2', '%zz', '%E0%A4', '%C3%A9', '+', '&', '=', '.', '..', '0', '1', '2', '-1', '99999999', 'true', 'abc', '1.5', '\u0000', '\ud800', 'é', ' ', '__proto__', 'constructor'];

function randomBody(next: () => number, target: Target): string {
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  let body = `Action=${next() < 0.9 ? target.operation : pick(PIECES)}`;
  const params = Math.floor(next() * 12);
  for (let i = 0; i < params; i++) {
    let name = '';
    const parts = 1 + Math.floor(next() * 6);
    for (let p = 0; p < parts; p++) name += (p ? '.' : '') + (next() < 0.7 ? pick(target.names) : pick(PIECES));
    let value = '';
    const pieces = Math.floor(next() * 4);
    for (let v = 0; v < pieces; v++) value += pick(PIECES);
    body += `&${name}${next() < 0.9 ? '=' : ''}${value}`;
  }
  return body;
}

/** Parses one request the way the pipeline does; anything but an AwsError fails the test. */
function attempt(target: Target, request: HttpRequest): void {
  try {
    const operation = target.codec.operationOf(target.model, request);
    const input = target.codec.parse(target.model, operation, request);
    assert.equal(typeof input, 'object');
  } catch (error) {
    if (!(error instanceof AwsError)) throw new Error(`not an AwsError for body ${JSON.stringify(request.body.toString('latin1'))}: ${String(error)}`);
    const status = wireError(target.model, error).status;
    assert.ok(status >= 400 && status < 500, `status ${status} for ${error.code}: ${error.message}`);
    // The error must serialize too.
    assert.equal(target.codec.serializeError(target.model, error, { requestId: 'r' }).status, status);
  }
}

describe('query and ec2 codecs under random and malformed input', () => {
  it('5,000 random bodies per operation: a parsed input or a 4xx AwsError, never anything else', () => {
    for (const [t, target] of targets.entries()) {
      const next = random(1000 + t);
      for (let i = 0; i < 5000; i++) attempt(target, formPost(randomBody(next, target)));
    }
  });

  it('random bytes as the body or the query string: a 4xx AwsError or an input', () => {
    const next = random(7);
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256)));
      const target = targets[i % targets.length];
      attempt(target, { method: 'POST', path: '/', rawQuery: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: bytes });
      attempt(target, { method: 'GET', path: '/', rawQuery: bytes.toString('latin1'), headers: {}, body: Buffer.alloc(0) });
    }
  });

  it('a huge list index (Tags.member.99999999.Key) is refused at once, not built', () => {
    const iam = loadModel('iam');
    const started = performance.now();
    assertAwsError(() => queryCodec.parse(iam, iam.operations.TagUser, formPost('Action=TagUser&UserName=a&Tags.member.99999999.Key=k&Tags.member.99999999.Value=v')), 'InvalidQueryParameter', 400);
    assert.ok(performance.now() - started < 50);
  });

  it('a name of 200,000 dots is refused quickly: InvalidQueryParameter', () => {
    const started = performance.now();
    assertAwsError(() => queryCodec.parse(syntheticModel, syntheticModel.operations.PutWidget, formPost(`Child${'.Next'.repeat(50_000)}.Id=1`)), 'InvalidQueryParameter', 400);
    assert.ok(performance.now() - started < 500);
  });

  it('10,000 list items and 50,000 repeated names parse in bounded time', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `Labels.member.${i + 1}=v${i}`).join('&');
    const repeated = Array.from({ length: 50_000 }, () => 'Name=again').join('&');
    const started = performance.now();
    const input = queryCodec.parse(syntheticModel, syntheticModel.operations.PutWidget, formPost(`${items}&${repeated}`));
    assert.equal((input.Labels as unknown[]).length, 10_000);
    assert.equal(input.Name, 'again');
    assert.ok(performance.now() - started < 2000);
  });

  it('wrong types everywhere are 400s naming the parameter', () => {
    const iam = loadModel('iam');
    const cases: [string, string][] = [
      ['ListUsers', 'MaxItems=abc'],
      ['ListUsers', 'MaxItems=1e9999'],
      ['CreateRole', 'RoleName=r&AssumeRolePolicyDocument=x&MaxSessionDuration=12.5'],
      ['SimulatePrincipalPolicy', 'PolicySourceArn=a&ActionNames.member.1=s3:*&MaxItems=-'],
    ];
    for (const [operation, body] of cases) {
      const error = assertAwsError(() => queryCodec.parse(iam, iam.operations[operation], formPost(`Action=${operation}&${body}`)), 'ValidationError', 400);
      assert.match(error.message, /MaxItems|MaxSessionDuration/);
    }
  });
});
