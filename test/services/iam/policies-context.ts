// The policy tests' helpers, on the shared IAM test harness.
import assert from 'node:assert/strict';
export { ACCOUNT, awsError, EC2_TRUST, iam, OTHER_ACCOUNT, type Iam } from './harness.ts';

/** An identity policy allowing `actions` on everything. */
export function allow(...actions: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
}

/** A valid policy document of exactly `size` characters once white space is removed. */
export function documentOfSize(size: number): string {
  const base = allow('s3:GetObject');
  const padding = size - base.length;
  assert.ok(padding >= 0, 'size too small');
  // Pad the resource ARN: "*" -> "arn:aws:s3:::bbbb..." keeps the document valid.
  const resource = 'arn:aws:s3:::' + 'b'.repeat(padding + 1 - 'arn:aws:s3:::'.length);
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: resource }] });
  assert.equal(text.length, size);
  return text;
}

export const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
