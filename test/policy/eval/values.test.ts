// Focused tests of the small value modules and the parse / compile / explain steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wildcardMatcher, partsRegex } from '../../../src/policy/values/wildcard.ts';
import { cidrContains, parseCidr, parseIp } from '../../../src/policy/values/ip.ts';
import { parseDate } from '../../../src/policy/values/date.ts';
import { parseTemplate, resolveTemplate } from '../../../src/policy/variables.ts';
import { contextMap } from '../../../src/policy/context.ts';
import {
  compilePolicy,
  evaluate,
  explainDenial,
  parsePolicy,
  PolicyCompileError,
  PolicyParseError,
  toSimulatorResult,
} from '../../../src/policy/index.ts';

const inCidr = (block: string, ip: string) => cidrContains(parseCidr(block)!, parseIp(ip)!);

test('wildcards: * spans any run, ? one character, matching is case-sensitive by default', () => {
  const m = wildcardMatcher('a*b?c', 'plain');
  assert.equal(m('aXYZbQc'), true);
  assert.equal(m('abQc'), true);
  assert.equal(m('abc'), false);
  assert.equal(m('AbQc'), false);
  assert.equal(wildcardMatcher('s3:get*', 'plain', true)('S3:GetObject'), true);
});

test('wildcards in ARNs stay inside their segment except in the resource part', () => {
  const m = wildcardMatcher('arn:aws:iam::*:role/*', 'arn');
  assert.equal(m('arn:aws:iam::111122223333:role/a/b'), true);
  assert.equal(m('arn:aws:iam::1111:2222:role/x'), false);
  assert.equal(wildcardMatcher('arn:aws:logs:*:*:log-group:*', 'arn')('arn:aws:logs:us-east-1:1:log-group:g:log-stream:s'), true);
});

test('regex metacharacters in patterns are literal', () => {
  assert.equal(wildcardMatcher('a.b(c)+', 'plain')('a.b(c)+'), true);
  assert.equal(wildcardMatcher('a.b*', 'plain')('aXb'), false);
  assert.equal(partsRegex([{ text: 'x*', literal: true }], 'plain').test('x*'), true);
  assert.equal(partsRegex([{ text: 'x*', literal: true }], 'plain').test('xy'), false);
});

test('CIDR: IPv4 blocks, single addresses and /0', () => {
  assert.equal(inCidr('192.0.2.0/24', '192.0.2.255'), true);
  assert.equal(inCidr('192.0.2.0/24', '192.0.3.0'), false);
  assert.equal(inCidr('192.0.2.7', '192.0.2.7'), true);
  assert.equal(inCidr('0.0.0.0/0', '8.8.8.8'), true);
  assert.equal(inCidr('10.0.0.0/31', '10.0.0.1'), true);
  assert.equal(inCidr('10.0.0.0/31', '10.0.0.2'), false);
});

test('CIDR: IPv6 compressed and full forms, and no v4/v6 mixing', () => {
  assert.equal(inCidr('2001:db8::/32', '2001:0db8:0000:0000:0000:0000:0000:0001'), true);
  assert.equal(inCidr('2001:db8::/33', '2001:db8:8000::1'), false);
  assert.equal(inCidr('::/0', '::1'), true);
  assert.equal(inCidr('::ffff:192.0.2.0/120', '::ffff:192.0.2.9'), true);
  assert.equal(inCidr('192.0.2.0/24', '::ffff:192.0.2.9'), false);
});

test('CIDR: malformed input is rejected', () => {
  for (const bad of ['192.0.2.0/33', '256.1.1.1', '1.2.3', '2001:db8::1::2', '2001:db8::/129', 'abc']) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
});

test('dates: ISO 8601 forms, zones and epoch seconds', () => {
  const noon = Date.UTC(2024, 5, 1, 12);
  assert.equal(parseDate('2024-06-01T12:00:00Z'), noon);
  assert.equal(parseDate('2024-06-01T12:00:00'), noon);
  assert.equal(parseDate('2024-06-01T14:00:00+02:00'), noon);
  assert.equal(parseDate('20240601T120000Z'), noon);
  assert.equal(parseDate(String(noon / 1000)), noon);
  assert.equal(parseDate('2024-06-01'), Date.UTC(2024, 5, 1));
  assert.equal(parseDate('2024-06-01T12:00:00.250Z'), noon + 250);
  assert.equal(parseDate('2024-02-30'), undefined);
  assert.equal(parseDate('yesterday'), undefined);
});

test('variables: escapes, defaults and unresolvable keys', () => {
  const missing: string[] = [];
  const ctx = contextMap({ 'aws:username': 'alice', 'aws:TagKeys': ['a', 'b'] });
  const resolve = (v: string) => resolveTemplate(parseTemplate(v)!, ctx, (k) => missing.push(k))?.map((p) => p.text).join('');
  assert.equal(parseTemplate('no variables here'), undefined);
  assert.equal(resolve('home/${aws:username}/'), 'home/alice/');
  assert.equal(resolve('${*}${?}${$}'), '*?$');
  assert.equal(resolve("${aws:userid, 'nobody'}"), 'nobody');
  assert.equal(resolve('${aws:userid}'), undefined);
  assert.equal(resolve('${aws:TagKeys}'), undefined, 'a multivalued key is not a variable');
  assert.deepEqual(missing, ['aws:userid']);
});

test('parsePolicy rejects what cannot be evaluated with PolicyParseError', () => {
  for (const bad of ['{', '[]', '{"Statement": [{"Effect": "Maybe", "Action": "*"}]}', '{"Version": "2020-01-01", "Statement": []}',
    '{"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "s3:*"}]}', '{"Statement": [{"Effect": "Allow", "Resource": "*"}]}',
    '{"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"Bogus": "x"}}]}']) {
    assert.throws(() => parsePolicy(bad), PolicyParseError, bad);
  }
});

test('parsePolicy normalises single values to lists and keeps Sid, Id and positions', () => {
  const p = parsePolicy({ Version: '2012-10-17', Id: 'doc', Statement: { Sid: 'S', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'a*' } } } }, 'p1');
  assert.equal(p.id, 'p1');
  assert.equal(p.documentId, 'doc');
  assert.deepEqual(p.statements[0].action, { negated: false, values: ['s3:*'] });
  assert.deepEqual(p.statements[0].conditions[0], { operator: 'ForAnyValue:StringLikeIfExists', baseOperator: 'StringLike', qualifier: 'ForAnyValue', ifExists: true, key: 'aws:TagKeys', values: ['a*'] });
});

test('compilePolicy rejects an unknown condition operator with PolicyCompileError', () => {
  assert.throws(() => compilePolicy({ Statement: [{ Effect: 'Allow', Action: '*', Condition: { StringSortOf: { k: 'v' } } }] }), PolicyCompileError);
  assert.throws(() => compilePolicy({ Statement: [{ Effect: 'Allow', Action: '*', Condition: { NullIfExists: { k: 'true' } } }] }), PolicyCompileError);
});

test('compilePolicy caches by id and document text', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
  assert.equal(compilePolicy(doc, 'a'), compilePolicy(JSON.stringify(doc), 'a'));
  assert.notEqual(compilePolicy(doc, 'a'), compilePolicy(doc, 'b'));
});

test('explainDenial omits "on resource" for actions without a resource, and names the policy ARN on request', () => {
  const request = { principal: { type: 'user' as const, arn: 'arn:aws:iam::111122223333:user/alice' }, action: 'iam:ListUsers', resource: '*' };
  const deny = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] }, 'arn:aws:iam::111122223333:policy/NoIam');
  const decision = evaluate(request, { identity: [deny] });
  assert.equal(explainDenial(decision, request), 'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:ListUsers with an explicit deny in an identity-based policy');
  assert.equal(explainDenial(decision, request, { includePolicyArn: true }).endsWith('identity-based policy: arn:aws:iam::111122223333:policy/NoIam'), true);
  assert.equal(explainDenial(evaluate(request, { identity: [compilePolicy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })] }), request), '');
});

test('toSimulatorResult fills IAM EvaluationResult fields', () => {
  const request = { principal: { type: 'user' as const, arn: 'arn:aws:iam::111122223333:user/alice' }, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: {} };
  const identity = compilePolicy({ Version: '2012-10-17', Statement: [{ Sid: 'Tls', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }, 'user-inline');
  const boundary = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }, 'boundary');
  const result = toSimulatorResult(evaluate(request, { identity: [identity], permissionsBoundary: boundary, scps: [[compilePolicy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'scp')]] }), request);
  assert.equal(result.EvalDecision, 'implicitDeny');
  assert.deepEqual(result.MissingContextValues, ['aws:SecureTransport']);
  assert.deepEqual(result.MatchedStatements, [{ SourcePolicyId: 'scp', SourcePolicyType: 'none' }, { SourcePolicyId: 'user-inline', SourcePolicyType: 'none' }]);
  assert.deepEqual(result.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  assert.deepEqual(result.OrganizationsDecisionDetail, { AllowedByOrganizations: true });
  assert.equal(result.EvalDecisionDetails.boundary, 'implicitDeny');
});
