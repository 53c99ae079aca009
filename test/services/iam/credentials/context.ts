// The credential tests' helpers, on the shared IAM test harness.
export { ACCOUNT, awsError, iam, ROOT, type Iam } from '../harness.ts';
