// Building an AWS Organizations setup through the real SDK clients against a test
// server: the organization with its policy types, OU chains, created member accounts,
// policies, and the IAM principals (an administrator user, a role session) tests act as.
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeCreateAccountStatusCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, TEST_REGION } from './server.ts';

/** SDK client settings for the test server, as the default account's root unless told otherwise. */
export function clientConfig(server: RunningServer, credentials: AwsCredentialIdentity = DUMMY_CREDENTIALS) {
  return { endpoint: server.url, region: TEST_REGION, credentials, maxAttempts: 1 };
}

/** The root user of any account (permissive mode takes an unknown key id that is an account id as that account's root). */
export function rootCredentials(accountId: string): AwsCredentialIdentity {
  return { accessKeyId: accountId, secretAccessKey: 'bulwark-test' };
}

/** Creates the organization (all features) with the given policy types enabled; its id and root id. */
export async function createOrganization(organizations: OrganizationsClient, policyTypes: PolicyType[] = []): Promise<{ orgId: string; rootId: string }> {
  const { Organization } = await organizations.send(new CreateOrganizationCommand({}));
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  for (const type of policyTypes) await organizations.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: type }));
  return { orgId: Organization!.Id!, rootId };
}

/** OUs nested one in the other below `parentId`, in order; their ids, outermost first. */
export async function createUnitChain(organizations: OrganizationsClient, parentId: string, names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const { OrganizationalUnit } = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }));
    parentId = OrganizationalUnit!.Id!;
    ids.push(parentId);
  }
  return ids;
}

/** CreateAccount, waited for, then moved from the root into `parentId` when given; the new account's id. */
export async function createMemberAccount(organizations: OrganizationsClient, name: string, rootId: string, parentId?: string): Promise<string> {
  const { CreateAccountStatus } = await organizations.send(new CreateAccountCommand({ Email: `${name}@example.com`, AccountName: name }));
  const { CreateAccountStatus: done } = await organizations.send(
    new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }),
  );
  if (done?.State !== 'SUCCEEDED') throw new Error(`CreateAccount ${name}: ${done?.State} ${done?.FailureReason ?? ''}`);
  const accountId = done.AccountId!;
  if (parentId) await organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: parentId }));
  return accountId;
}

/** A customer managed organization policy; its id. */
export async function createOrganizationPolicy(organizations: OrganizationsClient, type: PolicyType, name: string, document: object): Promise<string> {
  const { Policy } = await organizations.send(
    new CreatePolicyCommand({ Name: name, Description: name, Type: type, Content: JSON.stringify(document) }),
  );
  return Policy!.PolicySummary!.Id!;
}

/** An IAM user with AdministratorAccess created by `iam`'s caller; its access key. */
export async function createAdministrator(iam: IAMClient, userName: string): Promise<AwsCredentialIdentity> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  return createAccessKey(iam, userName);
}

/** A new access key of an existing IAM user. */
export async function createAccessKey(iam: IAMClient, userName: string): Promise<AwsCredentialIdentity> {
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** AssumeRole as `credentials`' owner; the session's credentials. */
export async function assumeRole(server: RunningServer, credentials: AwsCredentialIdentity, roleArn: string, sessionName = 'test'): Promise<AwsCredentialIdentity> {
  const sts = new STSClient(clientConfig(server, credentials));
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

/** The role CreateAccount puts in every new account for the management account. */
export function organizationAccessRole(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`;
}
