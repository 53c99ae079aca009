// Policy engine throughput on one core: decisions per second for a typical principal
// (10 policies x 5 statements) and a heavy one (100 policies, SCPs on three levels, a
// boundary and a resource policy), and policies compiled per second (uncached).
import type { BenchResult } from './run.ts';
import { compileAst, compilePolicy, evaluate, parsePolicy, type AuthorizationRequest, type PolicySet } from '../src/policy/index.ts';

const ACCOUNT = '123456789012';
const SERVICES = ['s3', 'ec2', 'dynamodb', 'sqs', 'kms', 'lambda', 'iam', 'sns'];

/** A policy of five statements with mixed wildcards, each with one condition. */
function policyDocument(n: number): object {
  const service = SERVICES[n % SERVICES.length];
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Exact', Effect: 'Allow', Action: `${service}:Get${n}Thing`, Resource: `arn:aws:${service}:us-east-1:${ACCOUNT}:thing/${n}`, Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
      { Sid: 'Prefix', Effect: 'Allow', Action: [`${service}:List*`, `${service}:Describe*`], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      { Sid: 'Middle', Effect: 'Allow', Action: `${service}:*Object${n}`, Resource: `arn:aws:${service}:::bucket-${n}/*`, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      { Sid: 'Deny', Effect: 'Deny', Action: `${service}:Delete*`, Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'admins' } } },
      { Sid: 'Tagged', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::data-${n}/*`, Condition: { StringLike: { 'aws:PrincipalTag/team': 'team-*' } } },
    ],
  };
}

const request: AuthorizationRequest = {
  principal: { type: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice` },
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::data-3/reports/2024.csv',
  context: {
    'aws:RequestedRegion': 'us-east-1',
    'aws:SecureTransport': 'true',
    'aws:SourceIp': '10.1.2.3',
    'aws:PrincipalTag/team': 'team-data',
    'aws:username': 'alice',
  },
};

function decisionsPerSecond(set: PolicySet, seconds: number): number {
  for (let i = 0; i < 20_000; i++) evaluate(request, set); // warm up
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 10_000; i++) evaluate(request, set);
    count += 10_000;
    now = performance.now();
  }
  if (evaluate(request, set).decision !== 'Allow') throw new Error('benchmark request should be allowed');
  return Math.round(count / ((now - start) / 1000));
}

function compiledPerSecond(seconds: number): number {
  const documents = Array.from({ length: 2000 }, (_, n) => JSON.stringify(policyDocument(n)));
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (const text of documents) compileAst(parsePolicy(text, 'p'));
    count += documents.length;
    now = performance.now();
  }
  return Math.round(count / ((now - start) / 1000));
}

export default {
  async run(): Promise<BenchResult[]> {
    const small: PolicySet = {
      identity: Array.from({ length: 10 }, (_, n) => compilePolicy(policyDocument(n), `arn:aws:iam::${ACCOUNT}:policy/p${n}`)),
    };
    const allowAll = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'FullAWSAccess');
    const scpDeny = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] }, 'deny-leave');
    const large: PolicySet = {
      identity: Array.from({ length: 100 }, (_, n) => compilePolicy(policyDocument(n), `arn:aws:iam::${ACCOUNT}:policy/q${n}`)),
      scps: [[allowAll], [allowAll, scpDeny], [allowAll]],
      permissionsBoundary: compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*' }] }, 'boundary'),
      resource: compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::data-3/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }, 'bucket-policy'),
    };
    console.error('policy: measuring decisions with 10 policies');
    const smallRate = decisionsPerSecond(small, 2);
    console.error('policy: measuring decisions with 100 policies, SCPs, boundary, resource policy');
    const largeRate = decisionsPerSecond(large, 2);
    console.error('policy: measuring compile rate');
    const compileRate = compiledPerSecond(2);
    return [
      { bench: 'policy.decisions.10-policies', value: smallRate, unit: 'decisions/s', target: 1_000_000 },
      { bench: 'policy.decisions.100-policies-scp-boundary-resource', value: largeRate, unit: 'decisions/s', target: 100_000 },
      { bench: 'policy.compile', value: compileRate, unit: 'policies/s', target: 20_000 },
    ];
  },
};
