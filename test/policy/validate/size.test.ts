// Policy size quotas: IAM counts characters without white space (LimitExceeded, 409);
// Organizations counts every character of an SCP or RCP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicySize, POLICY_SIZE_LIMITS, policySize, validatePolicy } from '../../../src/policy/validate.ts';

/** A valid identity policy whose size without white space is exactly `size`. */
function policyOfSize(size: number): string {
  const skeleton = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' }] });
  const text = skeleton('S'.repeat(size - skeleton('').length));
  assert.equal(text.length, size);
  return text;
}

describe('policy size quotas', () => {
  it('IAM does not count white space; Organizations does', () => {
    const text = '{\n  "Version": "2012-10-17",\n\t"Statement": []\r\n}';
    const compact = '{"Version":"2012-10-17","Statement":[]}';
    assert.equal(policySize(text, 'managed'), compact.length);
    assert.equal(policySize(text, 'scp'), text.length);
  });

  it('keeps the limits in a table: user 2048, group 5120, role 10240, managed 6144, trust 2048, SCP/RCP 5120', () => {
    const limits = Object.fromEntries(Object.entries(POLICY_SIZE_LIMITS).map(([target, quota]) => [target, quota.limit]));
    assert.deepEqual(limits, {
      'user-inline': 2048,
      'group-inline': 5120,
      'role-inline': 10240,
      managed: 6144,
      trust: 2048,
      scp: 5120,
      rcp: 5120,
    });
  });

  it('CreatePolicy over 6144 characters: LimitExceeded "Cannot exceed quota for PolicySize: 6144"', () => {
    assert.deepEqual(validatePolicy(policyOfSize(6144), 'identity', { sizeTarget: 'managed' }), { ok: true });
    assert.deepEqual(validatePolicy(policyOfSize(6145), 'identity', { sizeTarget: 'managed' }), {
      ok: false,
      code: 'LimitExceeded',
      status: 409,
      message: 'Cannot exceed quota for PolicySize: 6144',
    });
  });

  it('white space does not count toward the managed policy quota', () => {
    const padded = policyOfSize(6000).replaceAll(',', ',\n' + ' '.repeat(300));
    assert.ok(padded.length > 6144);
    assert.deepEqual(validatePolicy(padded, 'identity', { sizeTarget: 'managed' }), { ok: true });
  });

  it('inline policies of a user count together: "Maximum policy size of 2048 bytes exceeded for user alice"', () => {
    const total = policySize(policyOfSize(1500), 'user-inline') + policySize(policyOfSize(600), 'user-inline');
    assert.deepEqual(checkPolicySize(total, 'user-inline', 'alice'), {
      ok: false,
      size: 2100,
      limit: 2048,
      code: 'LimitExceeded',
      status: 409,
      message: 'Maximum policy size of 2048 bytes exceeded for user alice',
    });
    assert.equal(checkPolicySize(2048, 'user-inline', 'alice').ok, true);
    const group = checkPolicySize(5121, 'group-inline', 'travis-ci');
    assert.equal(group.ok ? '' : group.message, 'Maximum policy size of 5120 bytes exceeded for group travis-ci');
    assert.equal(checkPolicySize(10240, 'role-inline', 'app').ok, true);
  });

  it('a trust policy over 2048 characters: "Cannot exceed quota for ACLSizePerRole: 2048"', () => {
    const check = checkPolicySize(2049, 'trust');
    assert.equal(check.ok ? '' : check.message, 'Cannot exceed quota for ACLSizePerRole: 2048');
  });

  it('an SCP over 5120 characters, white space included: ConstraintViolationException', () => {
    const scp = policyOfSize(5000).replaceAll(',', ',' + ' '.repeat(300));
    const result = validatePolicy(scp, 'scp', { sizeTarget: 'scp' });
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.code, 'ConstraintViolationException');
  });

  it('a malformed document is reported before its size', () => {
    const result = validatePolicy('{' + ' '.repeat(7000), 'identity', { sizeTarget: 'managed' });
    assert.equal(result.ok ? '' : result.message, 'Syntax errors in policy.');
  });
});
