import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../../src/protocol/model.ts';
import type { ServiceModel, Shape, StructureShape } from '../../../src/protocol/model.ts';
import { MODEL_NAMES } from '../../../src/protocol/model-names.ts';
import {
  MAX_REPORTED_VIOLATIONS,
  fillIdempotencyTokens,
  javaDouble,
  validateInput,
  validateOperationInput,
  validationFailure,
  validationMessage,
} from '../../../src/protocol/validate.ts';

const iam = loadModel('iam');
const sts = loadModel('sts');
const kms = loadModel('kms');
const guardduty = loadModel('guardduty');
const acm = loadModel('acm');

/** The message AWS would send for this input, or undefined when it is valid. */
function messageFor(model: ServiceModel, shape: string, input: unknown): string | undefined {
  const violations = validateInput(model, shape, input);
  return violations.length === 0 ? undefined : validationMessage(violations);
}

/** A small model for rules the vendored models only use deep inside big shapes. */
function syntheticModel(shapes: Record<string, Shape>): ServiceModel {
  return {
    name: 'iam',
    metadata: { apiVersion: '2020-01-01', endpointPrefix: 'test', protocol: 'json', serviceId: 'Test' },
    operations: {},
    shapes,
  };
}

// --- required members ---------------------------------------------------------------------

test('IAM CreateUser without UserName: Value null at userName, Member must not be null', () => {
  assert.equal(
    messageFor(iam, 'CreateUserRequest', { Path: '/' }),
    "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
  );
});

test('a valid IAM CreateUser input has no violations', () => {
  assert.deepEqual(validateInput(iam, 'CreateUserRequest', {
    UserName: 'alice+ops@example.com',
    Path: '/division/',
    Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost center', Value: '' }],
  }), []);
});

test('STS AssumeRole without RoleArn nor RoleSessionName reports both, in model member order', () => {
  assert.equal(
    messageFor(sts, 'AssumeRoleRequest', {}),
    "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "
      + "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
  );
});

test('validateOperationInput validates against the operation input shape', () => {
  const violations = validateOperationInput(iam, iam.operations.GetUser, { UserName: 'a b' });
  assert.deepEqual(violations.map((v) => v.path), ['userName']);
  assert.deepEqual(validateOperationInput(sts, sts.operations.GetCallerIdentity, {}), []);
});

// --- patterns -------------------------------------------------------------------------------

test("IAM CreateUser with UserName 'a b' fails the name pattern with AWS's exact message", () => {
  assert.equal(
    messageFor(iam, 'CreateUserRequest', { UserName: 'a b' }),
    "1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: "
      + 'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
  );
});

test('patterns must match the whole string, not a part of it', () => {
  // [\w+=,.@-]* would match an empty prefix of 'bad/name'; AWS still rejects it.
  assert.equal(
    messageFor(sts, 'AssumeRoleRequest', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'bad/name' }),
    "1 validation error detected: Value 'bad/name' at 'roleSessionName' failed to satisfy constraint: "
      + 'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
  );
});

test('STS AssumeRole with an empty RoleArn: the pattern violation comes before the length one', () => {
  assert.equal(
    messageFor(sts, 'AssumeRoleRequest', { RoleArn: '', RoleSessionName: 'session' }),
    "2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular "
      + 'expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+; '
      + "Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
  );
});

test('the STS role ARN pattern rejects characters outside the BMP, as Java reads \\u10000 as \\u1000 + "0"', () => {
  const emoji = '\u{1F600}'.repeat(30);
  const violations = validateInput(sts, 'AssumeRoleRequest', { RoleArn: emoji, RoleSessionName: 'session' });
  assert.deepEqual(violations.map((v) => v.kind), ['pattern']);
  assert.deepEqual(validateInput(sts, 'AssumeRoleRequest', { RoleArn: 'é'.repeat(30), RoleSessionName: 'session' }), []);
});

// --- lengths ----------------------------------------------------------------------------------

test('IAM CreateUser with a 65-character name: Member must have length less than or equal to 64', () => {
  const name = 'u'.repeat(65);
  assert.equal(
    messageFor(iam, 'CreateUserRequest', { UserName: name }),
    `1 validation error detected: Value '${name}' at 'userName' failed to satisfy constraint: `
      + 'Member must have length less than or equal to 64',
  );
  assert.equal(messageFor(iam, 'CreateUserRequest', { UserName: 'u'.repeat(64) }), undefined);
});

test('STS AssumeRole RoleSessionName of one character: length greater than or equal to 2', () => {
  assert.equal(
    messageFor(sts, 'AssumeRoleRequest', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'a' }),
    "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: "
      + 'Member must have length greater than or equal to 2',
  );
});

test('string lengths count code points: 2048 emoji fit a 2048-character limit, 2049 do not', () => {
  const lengthViolations = (arn: string) =>
    validateInput(sts, 'AssumeRoleRequest', { RoleArn: arn, RoleSessionName: 'session' })
      .filter((v) => v.kind === 'length').map((v) => v.constraint);
  assert.deepEqual(lengthViolations('\u{1F600}'.repeat(2048)), []);
  assert.deepEqual(lengthViolations('\u{1F600}'.repeat(2049)), ['Member must have length less than or equal to 2048']);
  // A decomposed 'é' is two code points.
  assert.deepEqual(lengthViolations('e\u0301'.repeat(1025)), ['Member must have length less than or equal to 2048']);
});

test('KMS Encrypt with a 4097-byte Plaintext: a sensitive blob, so its value is not echoed', () => {
  assert.equal(
    messageFor(kms, 'EncryptRequest', { KeyId: 'alias/app', Plaintext: Buffer.alloc(4097) }),
    "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
      + 'Member must have length less than or equal to 4096',
  );
  assert.equal(messageFor(kms, 'EncryptRequest', { KeyId: 'alias/app', Plaintext: Buffer.alloc(4096) }), undefined);
  assert.equal(
    messageFor(kms, 'EncryptRequest', { KeyId: 'alias/app', Plaintext: new Uint8Array(0) }),
    "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
      + 'Member must have length greater than or equal to 1',
  );
});

test('a non-sensitive blob is rendered as Java renders a ByteBuffer', () => {
  const model = syntheticModel({
    Input: { type: 'structure', members: { Data: { shape: 'Data' } } },
    Data: { type: 'blob', max: 4 },
  });
  assert.equal(
    messageFor(model, 'Input', { Data: Buffer.from('hello') }),
    "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=5 cap=5]' at 'data' failed to satisfy "
      + 'constraint: Member must have length less than or equal to 4',
  );
});

test('IAM CreateLoginProfile with an empty password: "Value at", the password is sensitive', () => {
  assert.equal(
    messageFor(iam, 'CreateLoginProfileRequest', { UserName: 'alice', Password: '' }),
    "2 validation errors detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular "
      + 'expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+; '
      + "Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

// --- numeric ranges -----------------------------------------------------------------------------

test('IAM ListUsers MaxItems 0: Member must have value greater than or equal to 1', () => {
  assert.equal(
    messageFor(iam, 'ListUsersRequest', { MaxItems: 0 }),
    "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: "
      + 'Member must have value greater than or equal to 1',
  );
});

test('IAM ListUsers MaxItems 1001: Member must have value less than or equal to 1000', () => {
  assert.equal(
    messageFor(iam, 'ListUsersRequest', { MaxItems: 1001 }),
    "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: "
      + 'Member must have value less than or equal to 1000',
  );
  assert.equal(messageFor(iam, 'ListUsersRequest', { MaxItems: 1000 }), undefined);
  assert.equal(messageFor(iam, 'ListUsersRequest', { MaxItems: 1 }), undefined);
});

test('STS AssumeRole DurationSeconds 899 and 43201 are out of range', () => {
  const input = { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session' };
  assert.equal(
    messageFor(sts, 'AssumeRoleRequest', { ...input, DurationSeconds: 899 }),
    "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: "
      + 'Member must have value greater than or equal to 900',
  );
  assert.equal(
    messageFor(sts, 'AssumeRoleRequest', { ...input, DurationSeconds: 43201 }),
    "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: "
      + 'Member must have value less than or equal to 43200',
  );
});

test('GuardDuty ListDetectors maxResults 51 (a boxed integer) is out of range', () => {
  assert.equal(
    messageFor(guardduty, 'ListDetectorsRequest', { MaxResults: 51 }),
    "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: "
      + 'Member must have value less than or equal to 50',
  );
});

test('double bounds and values are rendered as Java doubles', () => {
  const model = syntheticModel({
    Input: { type: 'structure', members: { Weight: { shape: 'Weight' } } },
    Weight: { type: 'double', min: 0, max: 1 },
  });
  assert.equal(
    messageFor(model, 'Input', { Weight: 2 }),
    "1 validation error detected: Value '2.0' at 'weight' failed to satisfy constraint: "
      + 'Member must have value less than or equal to 1.0',
  );
  assert.deepEqual([0.5, 1e7, 1.5e-4, -3, 123456.25].map(javaDouble), ['0.5', '1.0E7', '1.5E-4', '-3.0', '123456.25']);
});

// --- enums ------------------------------------------------------------------------------------

test('IAM UpdateAccessKey with Status Bad: Member must satisfy enum value set', () => {
  assert.equal(
    messageFor(iam, 'UpdateAccessKeyRequest', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Bad' }),
    "1 validation error detected: Value 'Bad' at 'status' failed to satisfy constraint: "
      + 'Member must satisfy enum value set: [Active, Inactive, Expired]',
  );
});

test('enum values are case-sensitive: KMS Encrypt EncryptionAlgorithm symmetric_default is rejected', () => {
  const violations = validateInput(kms, 'EncryptRequest', {
    KeyId: 'k', Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'symmetric_default',
  });
  assert.deepEqual(violations.map((v) => [v.path, v.kind]), [['encryptionAlgorithm', 'enum']]);
});

// --- lists and maps -----------------------------------------------------------------------------

test('IAM CreateUser tag errors are reported at tags.N.member.key, 1-based', () => {
  assert.equal(
    messageFor(iam, 'CreateUserRequest', {
      UserName: 'alice',
      Tags: [{ Key: 'ok', Value: 'v' }, { Key: 'bad*key', Value: 'v' }, { Value: 'no key' }],
    }),
    "2 validation errors detected: Value 'bad*key' at 'tags.2.member.key' failed to satisfy constraint: "
      + 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+; '
      + "Value null at 'tags.3.member.key' failed to satisfy constraint: Member must not be null",
  );
});

test('IAM CreateUser with 51 tags: Value at tags, Member must have length less than or equal to 50', () => {
  const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  assert.equal(
    messageFor(iam, 'CreateUserRequest', { UserName: 'alice', Tags: tags }),
    "1 validation error detected: Value at 'tags' failed to satisfy constraint: "
      + 'Member must have length less than or equal to 50',
  );
});

test('GuardDuty CreateMembers: nested list element paths and a sensitive e-mail', () => {
  assert.equal(
    messageFor(guardduty, 'CreateMembersRequest', {
      DetectorId: 'd1',
      AccountDetails: [{ AccountId: '123456789012', Email: 'a@example.com' }, { AccountId: '1234', Email: '' }],
    }),
    "2 validation errors detected: Value '1234' at 'accountDetails.2.member.accountId' failed to satisfy constraint: "
      + 'Member must have length greater than or equal to 12; '
      + "Value at 'accountDetails.2.member.email' failed to satisfy constraint: "
      + 'Member must have length greater than or equal to 1',
  );
});

test('GuardDuty CreateMembers with an empty account list: length greater than or equal to 1', () => {
  assert.equal(
    messageFor(guardduty, 'CreateMembersRequest', { DetectorId: 'd1', AccountDetails: [] }),
    "1 validation error detected: Value at 'accountDetails' failed to satisfy constraint: "
      + 'Member must have length greater than or equal to 1',
  );
});

test('list of strings: element constraints are reported once at the list, with all of them in brackets', () => {
  assert.equal(
    messageFor(kms, 'EncryptRequest', { KeyId: 'k', Plaintext: Buffer.from('x'), GrantTokens: ['t1', '', ''] }),
    "1 validation error detected: Value '[t1, , ]' at 'grantTokens' failed to satisfy constraint: "
      + 'Member must satisfy constraint: [Member must have length less than or equal to 8192, '
      + 'Member must have length greater than or equal to 1]',
  );
});

test('IAM CreateOpenIDConnectProvider with a short thumbprint', () => {
  assert.equal(
    messageFor(iam, 'CreateOpenIDConnectProviderRequest', { Url: 'https://idp.example.com', ThumbprintList: ['abc'] }),
    "1 validation error detected: Value '[abc]' at 'thumbprintList' failed to satisfy constraint: "
      + 'Member must satisfy constraint: [Member must have length less than or equal to 40, '
      + 'Member must have length greater than or equal to 40]',
  );
});

test('GuardDuty CreateDetector tags: map keys are checked together, rendered as a Java map', () => {
  assert.equal(
    messageFor(guardduty, 'CreateDetectorRequest', { Enable: true, Tags: { team: 'blue', 'aws:owner': 'x' } }),
    "1 validation error detected: Value '{team=blue, aws:owner=x}' at 'tags' failed to satisfy constraint: "
      + 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, '
      + 'Member must have length greater than or equal to 1, '
      + 'Member must satisfy regular expression pattern: (?!aws:)[a-zA-Z+-=._:/]+]',
  );
});

test('GuardDuty CreateDetector with an empty tag map: length greater than or equal to 1', () => {
  assert.equal(
    messageFor(guardduty, 'CreateDetectorRequest', { Enable: true, Tags: {} }),
    "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: "
      + 'Member must have length greater than or equal to 1',
  );
});

test('map values: scalar values are checked together (keys first), structure values at map.KEY.member', () => {
  const model = syntheticModel({
    Input: { type: 'structure', members: { Labels: { shape: 'Labels' }, Items: { shape: 'Items' } } },
    Labels: { type: 'map', key: { shape: 'Key' }, value: { shape: 'Value' } },
    Items: { type: 'map', key: { shape: 'Value' }, value: { shape: 'Item' } },
    Item: { type: 'structure', required: ['Name'], members: { Name: { shape: 'Key' } } },
    Key: { type: 'string', min: 1, max: 3 },
    Value: { type: 'string', max: 2 },
  });
  assert.equal(
    messageFor(model, 'Input', { Labels: { long: 'toolong' }, Items: { t1: {} } }),
    "3 validation errors detected: Value '{long=toolong}' at 'labels' failed to satisfy constraint: "
      + 'Map keys must satisfy constraint: [Member must have length less than or equal to 3, '
      + 'Member must have length greater than or equal to 1]; '
      + "Value '{long=toolong}' at 'labels' failed to satisfy constraint: "
      + 'Map value must satisfy constraint: [Member must have length less than or equal to 2]; '
      + "Value null at 'items.t1.member.name' failed to satisfy constraint: Member must not be null",
  );
});

test('a sensitive list is not echoed', () => {
  const model = syntheticModel({
    Input: { type: 'structure', members: { Secrets: { shape: 'Secrets' } } },
    Secrets: { type: 'list', member: { shape: 'Secret' }, sensitive: true, max: 1 },
    Secret: { type: 'string' },
  });
  assert.equal(
    messageFor(model, 'Input', { Secrets: ['a', 'b'] }),
    "1 validation error detected: Value at 'secrets' failed to satisfy constraint: "
      + 'Member must have length less than or equal to 1',
  );
});

// --- several violations ----------------------------------------------------------------------------

test('two violations at once are counted and joined with "; "', () => {
  assert.equal(
    messageFor(iam, 'CreateUserRequest', { UserName: 'a b', Path: 'no-slashes' }),
    "2 validation errors detected: Value 'no-slashes' at 'path' failed to satisfy constraint: "
      + 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); '
      + "Value 'a b' at 'userName' failed to satisfy constraint: "
      + 'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
  );
});

test('AWS reports at most 10 violations', () => {
  const tags = Array.from({ length: 20 }, () => ({ Key: '', Value: 'v' }));
  const violations = validateInput(iam, 'CreateUserRequest', { UserName: 'alice', Tags: tags });
  assert.equal(violations.length, MAX_REPORTED_VIOLATIONS);
  assert.match(validationMessage(violations), /^10 validation errors detected: /);
  assert.equal(validationMessage(violations).split('; ').length, 10);
});

test('validationFailure builds the protocol error: code given by the caller, status 400, sender fault', () => {
  const error = validationFailure('ValidationError', validateInput(iam, 'CreateUserRequest', {}));
  assert.equal(error.code, 'ValidationError');
  assert.equal(error.status, 400);
  assert.equal(error.senderFault, true);
  assert.match(error.message, /^1 validation error detected: Value null at 'userName'/);
});

// --- unions, documents, types ------------------------------------------------------------------------

test('ACM SearchCertificates: a union filter statement must have exactly one member set', () => {
  const filter = { Filter: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } };
  assert.deepEqual(validateInput(acm, 'SearchCertificatesRequest', { FilterStatement: filter }), []);
  const two = validateInput(acm, 'SearchCertificatesRequest', { FilterStatement: { ...filter, Not: filter } });
  assert.deepEqual(two.map((v) => [v.path, v.kind]), [['filterStatement', 'union']]);
  const none = validateInput(acm, 'SearchCertificatesRequest', { FilterStatement: { And: [{}] } });
  assert.deepEqual(none.map((v) => [v.path, v.kind]), [['filterStatement.and.1.member', 'union']]);
});

test('documents accept any JSON value', () => {
  const model = syntheticModel({
    Input: { type: 'structure', required: ['Doc'], members: { Doc: { shape: 'Doc' } } },
    Doc: { type: 'structure', members: {}, document: true } as Shape,
  });
  for (const doc of [{ a: [1, 'x'] }, [1, 2], 'text', 3, true]) assert.deepEqual(validateInput(model, 'Input', { Doc: doc }), []);
  assert.equal(validateInput(model, 'Input', {})[0].kind, 'required');
});

test('a value of the wrong type is a type violation', () => {
  const violations = validateInput(iam, 'ListUsersRequest', { MaxItems: 'ten', PathPrefix: 5 });
  assert.deepEqual(violations.map((v) => [v.path, v.kind]), [['pathPrefix', 'type'], ['maxItems', 'type']]);
  assert.equal(validateInput(iam, 'CreateUserRequest', { UserName: 'x', Tags: 'not a list' })[0].kind, 'type');
});

test('timestamps must be valid dates', () => {
  const model = syntheticModel({
    Input: { type: 'structure', members: { At: { shape: 'At' } } },
    At: { type: 'timestamp' },
  });
  assert.deepEqual(validateInput(model, 'Input', { At: new Date(0) }), []);
  assert.equal(validateInput(model, 'Input', { At: new Date(Number.NaN) })[0].kind, 'type');
});

// --- idempotency tokens ------------------------------------------------------------------------------

test('fillIdempotencyTokens fills an absent GuardDuty CreateDetector ClientToken with a UUID', () => {
  const input = { Enable: true };
  const filled = fillIdempotencyTokens(guardduty, 'CreateDetectorRequest', input);
  assert.match(String(filled.ClientToken), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(input.Enable, true);
  assert.equal('ClientToken' in input, false, 'the caller input is not modified');
  const second = fillIdempotencyTokens(guardduty, 'CreateDetectorRequest', { Enable: true });
  assert.notEqual(second.ClientToken, filled.ClientToken);
});

test('fillIdempotencyTokens keeps a token the caller sent, and inputs without tokens as they are', () => {
  const input = { Enable: true, ClientToken: 'mine' };
  assert.equal(fillIdempotencyTokens(guardduty, 'CreateDetectorRequest', input), input);
  const user = { UserName: 'alice' };
  assert.equal(fillIdempotencyTokens(iam, 'CreateUserRequest', user), user);
});

// --- every model ---------------------------------------------------------------------------------

test('every operation of every vendored model validates an empty input: only its required members are reported', () => {
  for (const name of MODEL_NAMES) {
    const model = loadModel(name);
    for (const operation of Object.values(model.operations)) {
      const violations = validateOperationInput(model, operation, {});
      const required = operation.input ? (model.shapes[operation.input.shape] as StructureShape).required ?? [] : [];
      const expected = required.slice(0, MAX_REPORTED_VIOLATIONS).map((m) => `${m.charAt(0).toLowerCase()}${m.slice(1)}`);
      assert.deepEqual(violations.map((v) => v.path), expected, `${name} ${operation.name}`);
      assert.ok(violations.every((v) => v.kind === 'required' && v.value === null), `${name} ${operation.name}`);
    }
  }
});

// --- speed ---------------------------------------------------------------------------------------------

test('validation is fast enough for thousands of requests per second', () => {
  const input = {
    UserName: 'alice', Path: '/engineering/',
    Tags: Array.from({ length: 10 }, (_, i) => ({ Key: `key${i}`, Value: `value ${i}` })),
  };
  validateInput(iam, 'CreateUserRequest', input);
  const started = performance.now();
  for (let i = 0; i < 10_000; i++) validateInput(iam, 'CreateUserRequest', input);
  const perRequestMs = (performance.now() - started) / 10_000;
  assert.ok(perRequestMs < 0.05, `validating CreateUser took ${perRequestMs.toFixed(4)} ms`);
});
