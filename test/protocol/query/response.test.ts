// Query responses and errors as AWS writes them, checked byte-for-byte for the form and
// through botocore's own parsers for meaning: what boto3 and the AWS CLI would read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { HttpResponse } from '../../../src/protocol/http.ts';
import { loadModel, type ServiceModel } from '../../../src/protocol/model.ts';
import { queryCodec } from '../../../src/protocol/query.ts';
import { parseWithBotocore, type BotocoreCase, type BotocoreResult } from './botocore.ts';
import { plain } from './support.ts';
import { syntheticModel } from './synthetic-model.ts';

const iam = loadModel('iam');
const sts = loadModel('sts');
const cloudwatch = loadModel('cloudwatch');
const context = { requestId: 'req-1' };

function output(model: ServiceModel, operation: string, value: unknown): HttpResponse {
  return queryCodec.serialize(model, model.operations[operation], value, context);
}

function error(model: ServiceModel, awsError: AwsError): HttpResponse {
  return queryCodec.serializeError(model, awsError, context);
}

const created = new Date('2025-01-02T03:04:05.123Z');
const user = {
  Path: '/eng/',
  UserName: 'alice',
  UserId: 'AIDAEXAMPLE1234567890',
  Arn: 'arn:aws:iam::123456789012:user/eng/alice',
  CreateDate: created,
  PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
  Tags: [
    { Key: 'team', Value: 'red' },
    { Key: 'env', Value: 'dev & test <1> "q" \'a\'' },
  ],
};
const widget = {
  Name: 'w',
  Count: 7,
  Ratio: 0.25,
  Enabled: false,
  When: new Date('2025-01-02T03:04:05Z'),
  Payload: Buffer.from([0, 1, 2, 250, 251, 255]),
  Labels: ['a', 'b'],
  FlatLabels: ['x', 'y'],
  NamedFlat: ['p', 'q'],
  Attributes: { color: 'red', size: 'L' },
  FlatAttributes: { one: '1' },
  NamedAttributes: { cpu: 4 },
  Child: { Id: '1', Next: { Id: '2' } },
};

interface Case {
  title: string;
  botocore: BotocoreCase;
  expected: BotocoreResult;
}

/** A response of ours, and what botocore must read from it: the value itself. */
function outputCase(title: string, model: ServiceModel, operation: string, value: Record<string, unknown>): Case {
  return {
    title,
    botocore: { protocol: 'query', service: model === syntheticModel ? model : model.name, operation, response: output(model, operation, value) },
    expected: { ...(plain(stripUndefined(value)) as object), ResponseMetadata: { RequestId: 'req-1' } },
  };
}

const outputCases: Case[] = [
  outputCase('IAM CreateUser: nested structures, tag lists, a timestamp with milliseconds', iam, 'CreateUser', { User: user }),
  outputCase('IAM ListUsers: a list of structures, a boolean and an escaped Marker', iam, 'ListUsers', {
    Users: [user, { ...user, UserName: 'bob', Tags: undefined, PermissionsBoundary: undefined }],
    IsTruncated: true,
    Marker: 'next&<page>',
  }),
  outputCase('IAM GetAccountSummary: a map of integers', iam, 'GetAccountSummary', { SummaryMap: { Users: 5, Groups: 2, AccountMFAEnabled: 1 } }),
  outputCase('IAM SimulatePrincipalPolicy: lists in lists, an empty list, a map', iam, 'SimulatePrincipalPolicy', {
    EvaluationResults: [
      {
        EvalActionName: 's3:GetObject',
        EvalResourceName: '*',
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'read', SourcePolicyType: 'user', StartPosition: { Line: 1, Column: 2 } }],
        MissingContextValues: [],
        EvalDecisionDetails: { IAM: 'allowed', SCP: 'implicitDeny' },
      },
    ],
    IsTruncated: false,
  }),
  outputCase('STS AssumeRole: credentials with an Expiration timestamp', sts, 'AssumeRole', {
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'secret/+=',
      SessionToken: 'token',
      Expiration: new Date('2025-01-02T04:04:05Z'),
    },
    AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:ci', Arn: 'arn:aws:sts::123456789012:assumed-role/deploy/ci' },
    PackedPolicySize: 6,
    SourceIdentity: 'me',
  }),
  outputCase('STS GetCallerIdentity', sts, 'GetCallerIdentity', { UserId: 'AIDA', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root' }),
  outputCase('IAM DeleteUser: an operation without output has only ResponseMetadata', iam, 'DeleteUser', {}),
  outputCase('CloudWatch GetMetricStatistics over query: doubles and timestamps in a list', cloudwatch, 'GetMetricStatistics', {
    Label: 'Latency',
    Datapoints: [{ Timestamp: new Date('2025-01-02T03:04:00Z'), SampleCount: 3, Average: 1.5, Maximum: 1e21, Unit: 'Milliseconds' }],
  }),
  outputCase('a synthetic model: flattened lists and maps, named map entries, blobs, recursion', syntheticModel, 'PutWidget', widget),
];

/** The handler's value as botocore reports it: members left undefined are simply absent. */
function stripUndefined(value: unknown): unknown {
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, stripUndefined(v)]));
  }
  return value;
}

interface ErrorCase {
  title: string;
  response: HttpResponse;
  model: ServiceModel;
  operation: string;
  status: number;
  code: string;
  type: 'Sender' | 'Receiver';
  shape?: string;
  fields?: Record<string, unknown>;
}

const errorCases: ErrorCase[] = [
  {
    title: 'a modelled error named by its shape: EntityAlreadyExistsException -> EntityAlreadyExists, 409',
    response: error(iam, new AwsError('EntityAlreadyExistsException', 'User with name alice already exists.')),
    model: iam, operation: 'CreateUser', status: 409, code: 'EntityAlreadyExists', type: 'Sender', shape: 'EntityAlreadyExistsException',
  },
  {
    title: 'a modelled error named by its wire code: NoSuchEntity, 404',
    response: error(iam, new AwsError('NoSuchEntity', 'The user with name bob cannot be found.')),
    model: iam, operation: 'GetUser', status: 404, code: 'NoSuchEntity', type: 'Sender', shape: 'NoSuchEntityException',
  },
  {
    title: 'a server-side modelled error: ServiceFailure, 500, Receiver',
    response: error(iam, new AwsError('ServiceFailureException', 'Something broke.')),
    model: iam, operation: 'GetUser', status: 500, code: 'ServiceFailure', type: 'Receiver', shape: 'ServiceFailureException',
  },
  {
    title: 'STS ExpiredTokenException keeps its code, 400',
    response: error(sts, new AwsError('ExpiredTokenException', 'The security token included in the request is expired')),
    model: sts, operation: 'GetCallerIdentity', status: 400, code: 'ExpiredTokenException', type: 'Sender', shape: 'ExpiredTokenException',
  },
  {
    title: 'a common error: AccessDenied, 403',
    response: error(sts, new AwsError('AccessDenied', 'User: x is not authorized to perform: sts:AssumeRole')),
    model: sts, operation: 'AssumeRole', status: 403, code: 'AccessDenied', type: 'Sender',
  },
  {
    title: 'a code nobody knows: 400, Sender',
    response: error(iam, new AwsError('SomethingOdd', 'odd <&>')),
    model: iam, operation: 'GetUser', status: 400, code: 'SomethingOdd', type: 'Sender',
  },
  {
    title: 'an explicit status wins over the modelled one',
    response: error(iam, new AwsError('LimitExceededException', 'Too many.', { status: 429 })),
    model: iam, operation: 'CreateUser', status: 429, code: 'LimitExceeded', type: 'Sender', shape: 'LimitExceededException',
  },
  {
    title: 'extra modelled members of the error go inside <Error>',
    response: error(syntheticModel, new AwsError('WidgetConflictException', 'Conflict.', { fields: { ConflictingName: 'w2', Attempts: 3 } })),
    model: syntheticModel, operation: 'PutWidget', status: 409, code: 'WidgetConflict', type: 'Sender', shape: 'WidgetConflictException',
    fields: { ConflictingName: 'w2', Attempts: 3 },
  },
  {
    title: 'a fault without a code or status: its shape name, 500, Receiver',
    response: error(syntheticModel, new AwsError('WidgetFailureException', 'Down.')),
    model: syntheticModel, operation: 'PutWidget', status: 500, code: 'WidgetFailureException', type: 'Receiver', shape: 'WidgetFailureException',
  },
];

describe('query protocol: responses', () => {
  it('writes the AWS envelope: <OpResponse xmlns><OpResult>..</OpResult><ResponseMetadata>', () => {
    const response = output(sts, 'GetCallerIdentity', { UserId: 'AIDA', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/xml');
    assert.equal(response.headers['x-amzn-requestid'], 'req-1');
    assert.equal(
      response.body,
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
        '<UserId>AIDA</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:root</Arn>' +
        '</GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
    );
  });

  it('writes members in the output shape\'s order, whatever the handler\'s key order', () => {
    const body = String(output(sts, 'GetCallerIdentity', { Arn: 'arn', Account: 'acct', UserId: 'id' }).body);
    assert.ok(body.indexOf('<UserId>') < body.indexOf('<Account>') && body.indexOf('<Account>') < body.indexOf('<Arn>'));
  });

  it('writes lists as <member> children and timestamps as ISO 8601 UTC, milliseconds only when present', () => {
    const body = String(output(iam, 'CreateUser', { User: { ...user, CreateDate: new Date('2025-01-02T03:04:05Z') } }).body);
    assert.match(body, /<CreateDate>2025-01-02T03:04:05Z<\/CreateDate>/);
    assert.match(body, /<Tags><member><Key>team<\/Key><Value>red<\/Value><\/member>/);
    const withMillis = String(output(iam, 'CreateUser', { User: user }).body);
    assert.match(withMillis, /<CreateDate>2025-01-02T03:04:05.123Z<\/CreateDate>/);
  });

  it('escapes text: & < > " \' and a carriage return', () => {
    const body = String(output(sts, 'GetCallerIdentity', { UserId: `a&b<c>"d"'e'\r\n` }).body);
    assert.match(body, /<UserId>a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;&#xD;\n<\/UserId>/);
  });

  it('an operation without output answers only ResponseMetadata', () => {
    assert.equal(
      output(iam, 'DeleteUser', {}).body,
      '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteUserResponse>',
    );
  });

  it('writes errors as <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>', () => {
    const response = error(iam, new AwsError('EntityAlreadyExistsException', 'User with name alice already exists.'));
    assert.equal(response.status, 409);
    assert.equal(response.headers['content-type'], 'text/xml');
    assert.equal(
      response.body,
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>EntityAlreadyExists</Code>' +
        '<Message>User with name alice already exists.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });
});

describe('query protocol: botocore reads our responses as AWS\'s', () => {
  let outputs: BotocoreResult[];
  let errors: BotocoreResult[];
  before(async () => {
    const results = await parseWithBotocore([
      ...outputCases.map((c) => c.botocore),
      ...errorCases.map((c) => ({ protocol: 'query' as const, service: c.model === syntheticModel ? c.model : c.model.name, operation: c.operation, response: c.response })),
    ]);
    outputs = results.slice(0, outputCases.length);
    errors = results.slice(outputCases.length);
  });

  outputCases.forEach((c, i) => {
    it(c.title, () => {
      assert.deepEqual(outputs[i], c.expected);
    });
  });

  errorCases.forEach((c, i) => {
    it(`errors: ${c.title}`, () => {
      const parsed = errors[i] as { Error: Record<string, unknown>; ResponseMetadata: unknown; ErrorShape?: string } & Record<string, unknown>;
      assert.equal(c.response.status, c.status);
      assert.equal(parsed.Error.Code, c.code);
      assert.equal(parsed.Error.Type, c.type);
      assert.equal(typeof parsed.Error.Message, 'string');
      assert.deepEqual(parsed.ResponseMetadata, { RequestId: 'req-1' });
      assert.equal(parsed.ErrorShape, c.shape);
      for (const [name, value] of Object.entries(c.fields ?? {})) assert.equal(parsed[name], value);
    });
  });
});
