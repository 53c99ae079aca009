// The identity tests' helpers, on the shared IAM test harness.
export { ACCOUNT, awsError, EC2_TRUST, iam, OTHER_ACCOUNT, ROOT, type Iam } from './harness.ts';
export { rootPrincipal as rootOf } from '../../../src/auth/principal.ts';

export function trustFor(principal: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });
}
