// The real clients' test environment, shared with the other tests.
export { awsEnv, CREDENTIALS, REGION } from '../../helpers/aws-env.ts';
