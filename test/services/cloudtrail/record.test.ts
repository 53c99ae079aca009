// The CloudTrail record built from a call event: identity per principal type, AWS's
// parameter shapes, hidden secrets, readOnly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEvent } from '../../../src/events/call-event.ts';
import { cloudTrailTime, HIDDEN, isReadOnly, toCloudTrailRecord } from '../../../src/services/cloudtrail/record.ts';

const ACCOUNT = '123456789012';

function callEvent(overrides: Partial<CallEvent>): CallEvent {
  return {
    requestId: 'req-1',
    eventTime: new Date('2026-01-02T03:04:05.678Z'),
    service: 'iam',
    eventSource: 'iam.amazonaws.com',
    operation: 'GetUser',
    region: 'us-east-1',
    principal: { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT },
    sessionCredentials: false,
    status: 200,
    authorization: [],
    ...overrides,
  };
}

describe('CloudTrail records', () => {
  it('an assumed-role session carries its sessionContext: issuer role, creation date, mfa flag, source identity', () => {
    const record = toCloudTrailRecord(
      callEvent({
        principal: {
          type: 'AssumedRole',
          accountId: ACCOUNT,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`,
          userId: 'AROAEXAMPLE:alice',
          roleName: 'admin',
          roleId: 'AROAEXAMPLE',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/admin`,
          rolePath: '/',
          sessionName: 'alice',
          issuedAt: '2026-01-02T03:00:00.000Z',
          sourceIdentity: 'alice@example.com',
        },
        accessKeyId: 'ASIAEXAMPLE',
        sessionCredentials: true,
      }),
      ACCOUNT,
    );
    assert.deepEqual(record.userIdentity, {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:alice',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:role/admin`, accountId: ACCOUNT, userName: 'admin' },
        attributes: { creationDate: '2026-01-02T03:00:00Z', mfaAuthenticated: 'false' },
        sourceIdentity: 'alice@example.com',
      },
    });
    assert.equal(record.eventTime, '2026-01-02T03:04:05Z');
  });

  it('hides passwords in request parameters as AWS does', () => {
    const record = toCloudTrailRecord(
      callEvent({ operation: 'CreateLoginProfile', input: { UserName: 'bob', Password: 'Sup3r$ecret!', PasswordResetRequired: true } }),
      ACCOUNT,
    );
    assert.deepEqual(record.requestParameters, { userName: 'bob', password: HIDDEN, passwordResetRequired: true });
  });

  it('an error is recorded with errorCode and errorMessage, and no responseElements', () => {
    const record = toCloudTrailRecord(callEvent({ error: { code: 'NoSuchEntity', message: 'The user with name x cannot be found.' }, status: 404, input: { UserName: 'x' } }), ACCOUNT);
    assert.equal(record.errorCode, 'NoSuchEntity');
    assert.equal(record.errorMessage, 'The user with name x cannot be found.');
    assert.equal(record.responseElements, null);
  });

  it('responseElements are recorded for calls that change state only, as AWS does: a read-only call has null', () => {
    const user = { UserName: 'bob', UserId: 'AIDAEXAMPLE', Arn: `arn:aws:iam::${ACCOUNT}:user/bob`, Path: '/', CreateDate: new Date('2026-01-01T00:00:00Z') };
    const read = toCloudTrailRecord(callEvent({ operation: 'GetUser', input: { UserName: 'bob' }, output: { User: user } }), ACCOUNT);
    assert.equal(read.readOnly, true);
    assert.equal(read.responseElements, null);
    const written = toCloudTrailRecord(callEvent({ operation: 'CreateUser', input: { UserName: 'bob' }, output: { User: user } }), ACCOUNT);
    assert.equal(written.readOnly, false);
    assert.equal((written.responseElements as { user: { userName: string } }).user.userName, 'bob');
  });

  it('readOnly follows the operation name: Get/List/Describe/Lookup read, the rest write', () => {
    assert.deepEqual(
      ['GetUser', 'ListRoles', 'DescribeTrails', 'LookupEvents', 'CreateUser', 'PutRolePolicy', 'Encrypt'].map(isReadOnly),
      [true, true, true, true, false, false, false],
    );
  });

  it('prints timestamps inside parameters as AWS does: "Jan 2, 2026, 3:04:05 AM"', () => {
    assert.equal(cloudTrailTime(new Date('2026-01-02T03:04:05Z')), 'Jan 2, 2026, 3:04:05 AM');
    assert.equal(cloudTrailTime(new Date('2026-10-12T15:31:57Z')), 'Oct 12, 2026, 3:31:57 PM');
    assert.equal(cloudTrailTime(new Date('2026-10-12T00:01:02Z')), 'Oct 12, 2026, 12:01:02 AM');
  });
});
