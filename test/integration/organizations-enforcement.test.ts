// Organizations policies applied to real calls, end to end with the AWS SDK for
// JavaScript v3: SCPs on an OU three levels above a member account (deny lists and
// allow lists, detached again), RCPs guarding a member account's roles and keys from
// principals outside the organization, the aws:ResourceOrg* keys, and the member
// account's own CloudTrail. (organizations.test.ts covers building the tree and the
// SCP on role sessions and the root user.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LookupEventsCommand, CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  CreateRoleCommand,
  CreateUserCommand,
  EnableOrganizationsRootSessionsCommand,
  GenerateOrganizationsAccessReportCommand,
  GetAccountSummaryCommand,
  GetOrganizationsAccessReportCommand,
  IAMClient,
  ListOrganizationsFeaturesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { AttachPolicyCommand, DetachPolicyCommand, EnableAWSServiceAccessCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRootCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { RunningServer } from '../../src/server/server.ts';
import {
  assumeRole,
  clientConfig,
  createAccessKey,
  createAdministrator,
  createMemberAccount,
  createOrganization,
  createOrganizationPolicy,
  createUnitChain,
  organizationAccessRole,
  rootCredentials,
} from '../helpers/organizations.ts';
import { startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

/** An account in no organization. */
const STANDALONE = '444455556666';

const FULL_AWS_ACCESS = 'p-FullAWSAccess';

function trustPolicy(...accounts: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: accounts.map((account) => `arn:aws:iam::${account}:root`) }, Action: 'sts:AssumeRole' }],
  });
}

async function deniedWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.match(error.name, /^AccessDenied(Exception)?$/);
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('Organizations policies enforced on every call (AWS SDK for JavaScript v3)', () => {
  let server: RunningServer;
  let organizations: OrganizationsClient;
  let orgId: string;
  let rootId: string;
  let units: string[];
  let member: string;
  /** An administrator user of the management account, and one of the member account. */
  let managementAdmin: AwsCredentialIdentity;
  let memberAdmin: AwsCredentialIdentity;
  /** A session of OrganizationAccountAccessRole in the member account. */
  let memberSession: AwsCredentialIdentity;
  /** An administrator user of an account outside the organization. */
  let outsider: AwsCredentialIdentity;
  const iamAs = (credentials: AwsCredentialIdentity) => new IAMClient(clientConfig(server, credentials));

  before(async () => {
    server = await startTestServer({ cloudTrailRecording: true });
    organizations = new OrganizationsClient(clientConfig(server));
    ({ orgId, rootId } = await createOrganization(organizations, ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']));
    units = await createUnitChain(organizations, rootId, ['workloads', 'prod', 'payments']);
    member = await createMemberAccount(organizations, 'payments', rootId, units[2]);
    managementAdmin = await createAdministrator(new IAMClient(clientConfig(server)), 'org-admin');
    memberSession = await assumeRole(server, managementAdmin, organizationAccessRole(member), 'admin');
    memberAdmin = await createAdministrator(iamAs(memberSession), 'member-admin');
    outsider = await createAdministrator(iamAs(rootCredentials(STANDALONE)), 'outsider');
  });
  after(() => server.close());

  it('an SCP denying an action on the top OU blocks an administrator three levels below, names the service control policy, spares the management account; detaching it restores access', async () => {
    const policyId = await createOrganizationPolicy(organizations, 'SERVICE_CONTROL_POLICY', 'no-create-user', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }],
    });
    await organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: units[0] }));
    await deniedWith(
      iamAs(memberAdmin).send(new CreateUserCommand({ UserName: 'blocked' })),
      new RegExp(`^User: arn:aws:iam::${member}:user/member-admin is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${member}:user/blocked with an explicit deny in a service control policy`),
    );
    await iamAs(managementAdmin).send(new CreateUserCommand({ UserName: 'allowed-in-management' }));

    await organizations.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: units[0] }));
    await iamAs(memberAdmin).send(new CreateUserCommand({ UserName: 'blocked' }));
  });

  it('an allow-list SCP (FullAWSAccess detached from the OU) limits member accounts to the actions it lists', async () => {
    const policyId = await createOrganizationPolicy(organizations, 'SERVICE_CONTROL_POLICY', 'read-iam-only', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:List*', 'iam:Get*'], Resource: '*' }],
    });
    await organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: units[1] }));
    await organizations.send(new DetachPolicyCommand({ PolicyId: FULL_AWS_ACCESS, TargetId: units[1] }));

    await iamAs(memberAdmin).send(new ListUsersCommand({}));
    await deniedWith(
      iamAs(memberAdmin).send(new CreateUserCommand({ UserName: 'not-listed' })),
      /is not authorized to perform: iam:CreateUser on resource: .* because no service control policy allows the iam:CreateUser action$/,
    );
    const kms = new KMSClient(clientConfig(server, memberSession));
    await deniedWith(kms.send(new CreateKeyCommand({})), /because no service control policy allows the kms:CreateKey action$/);
    await iamAs(managementAdmin).send(new CreateUserCommand({ UserName: 'management-unaffected' }));

    await organizations.send(new AttachPolicyCommand({ PolicyId: FULL_AWS_ACCESS, TargetId: units[1] }));
    await organizations.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: units[1] }));
    await iamAs(memberAdmin).send(new CreateUserCommand({ UserName: 'not-listed' }));
  });

  it("IAM's policy simulator applies the SCPs of the principal's account: OrganizationsDecisionDetail says whether they allow", async () => {
    const policyId = await createOrganizationPolicy(organizations, 'SERVICE_CONTROL_POLICY', 'no-delete-user', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }],
    });
    await organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: units[2] }));
    const simulate = (credentials: AwsCredentialIdentity, arn: string) =>
      iamAs(credentials).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ['iam:DeleteUser', 'iam:ListUsers'] }));

    const inMember = await simulate(memberSession, `arn:aws:iam::${member}:user/member-admin`);
    const [deleteUser, listUsers] = inMember.EvaluationResults!;
    assert.equal(deleteUser?.EvalDecision, 'explicitDeny');
    assert.deepEqual(deleteUser?.OrganizationsDecisionDetail, { AllowedByOrganizations: false });
    assert.equal(listUsers?.EvalDecision, 'allowed');
    assert.deepEqual(listUsers?.OrganizationsDecisionDetail, { AllowedByOrganizations: true });

    // SCPs do not bind the management account: no organizations detail, AdministratorAccess decides.
    const inManagement = await simulate(managementAdmin, `arn:aws:iam::${TEST_ACCOUNT}:user/org-admin`);
    assert.equal(inManagement.EvaluationResults![0]?.EvalDecision, 'allowed');
    assert.equal(inManagement.EvaluationResults![0]?.OrganizationsDecisionDetail, undefined);
    await organizations.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: units[2] }));
  });

  it("IAM's Organizations access report: the services the SCPs allow at an OU or account, and when the accounts below last used them", async () => {
    await iamAs(memberSession).send(new ListUsersCommand({}));
    const iam = new IAMClient(clientConfig(server));
    const report = async (EntityPath: string, OrganizationsPolicyId?: string) => {
      const { JobId } = await iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath, OrganizationsPolicyId }));
      return iam.send(new GetOrganizationsAccessReportCommand({ JobId: JobId!, MaxItems: 1000 }));
    };
    const accountPath = `${orgId}/${rootId}/${units.join('/')}/${member}`;
    const ofAccount = await report(accountPath);
    assert.equal(ofAccount.JobStatus, 'COMPLETED');
    const iamDetail = ofAccount.AccessDetails?.find((detail) => detail.ServiceNamespace === 'iam');
    assert.equal(iamDetail?.ServiceName, 'AWS Identity and Access Management (IAM)');
    assert.equal(iamDetail?.EntityPath, accountPath);
    assert.equal(iamDetail?.Region, 'us-east-1');
    assert.ok(iamDetail?.LastAuthenticatedTime instanceof Date);
    assert.equal(iamDetail?.TotalAuthenticatedEntities, 1);
    assert.equal(ofAccount.NumberOfServicesAccessible, ofAccount.AccessDetails?.length);
    assert.ok(ofAccount.NumberOfServicesNotAccessed! < ofAccount.NumberOfServicesAccessible!);

    // One SCP's view: only the services it allows.
    const readIam = await createOrganizationPolicy(organizations, 'SERVICE_CONTROL_POLICY', 'report-iam-only', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }],
    });
    const ofOu = await report(`${orgId}/${rootId}/${units[0]}`, readIam);
    assert.deepEqual(ofOu.AccessDetails?.map((detail) => detail.ServiceNamespace), ['iam']);
    assert.equal(ofOu.NumberOfServicesAccessible, 1);
    assert.equal(ofOu.NumberOfServicesNotAccessed, 0);

    await assert.rejects(report(`${orgId}/${rootId}/ou-nope-12345678`), { name: 'InvalidInputException' });
    await assert.rejects(
      iamAs(memberSession).send(new GenerateOrganizationsAccessReportCommand({ EntityPath: accountPath })),
      { name: 'AccessDeniedException' },
    );
  });

  it("a role session in a created account acts as that account: its calls are in the member account's CloudTrail, not the management account's", async () => {
    const identity = await new STSClient(clientConfig(server, memberSession)).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, member);
    await iamAs(memberSession).send(new CreateUserCommand({ UserName: 'traced' }));

    const lookup = (credentials: AwsCredentialIdentity) =>
      new CloudTrailClient(clientConfig(server, credentials)).send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }),
      );
    const createdTraced = (events: { CloudTrailEvent?: string }[] = []) =>
      events.find((event) => JSON.parse(event.CloudTrailEvent!).requestParameters?.userName === 'traced');
    const created = createdTraced((await lookup(memberSession)).Events);
    assert.ok(created, 'CreateUser is in the member account trail');
    const record = JSON.parse(created.CloudTrailEvent!);
    assert.equal(record.recipientAccountId, member);
    assert.equal(record.userIdentity.type, 'AssumedRole');
    assert.equal(record.userIdentity.accountId, member);
    assert.equal(record.userIdentity.arn, `arn:aws:sts::${member}:assumed-role/OrganizationAccountAccessRole/admin`);
    assert.equal(record.userIdentity.sessionContext.sessionIssuer.arn, organizationAccessRole(member));

    assert.equal(createdTraced((await lookup(managementAdmin)).Events), undefined);
  });

  it('aws:ResourceOrgID and aws:ResourceOrgPaths describe where the resource lives', async () => {
    await new IAMClient(clientConfig(server)).send(new CreateUserCommand({ UserName: 'org-roles-only' }));
    await new IAMClient(clientConfig(server)).send(
      new PutUserPolicyCommand({
        UserName: 'org-roles-only',
        PolicyName: 'assume-in-workloads',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Resource: '*',
              Condition: {
                StringEquals: { 'aws:ResourceOrgID': orgId },
                'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': `${orgId}/${rootId}/${units[0]}/*` },
              },
            },
          ],
        }),
      }),
    );
    const credentials = await createAccessKey(new IAMClient(clientConfig(server)), 'org-roles-only');
    await assumeRole(server, credentials, organizationAccessRole(member));
    const outside = `arn:aws:iam::${STANDALONE}:role/trusts-management`;
    await iamAs(outsider).send(new CreateRoleCommand({ RoleName: 'trusts-management', AssumeRolePolicyDocument: trustPolicy(TEST_ACCOUNT) }));
    await deniedWith(assumeRole(server, credentials, outside), /because no identity-based policy allows the sts:AssumeRole action$/);
  });

  it('an RCP denying principals outside the organization stops an outsider whom the trust policy and key policy allow; members and the management account are unaffected', async () => {
    const roleArn = `arn:aws:iam::${member}:role/shared-with-partner`;
    await iamAs(memberSession).send(
      new CreateRoleCommand({ RoleName: 'shared-with-partner', AssumeRolePolicyDocument: trustPolicy(STANDALONE, TEST_ACCOUNT) }),
    );
    const keyPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${member}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${STANDALONE}:root` }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    const { KeyMetadata } = await new KMSClient(clientConfig(server, memberSession)).send(new CreateKeyCommand({ Policy: keyPolicy }));
    const encryptAsOutsider = () =>
      new KMSClient(clientConfig(server, outsider)).send(new EncryptCommand({ KeyId: KeyMetadata!.Arn!, Plaintext: Buffer.from('secret') }));
    // A role in the management account: RCPs never apply to its resources.
    const managementRole = `arn:aws:iam::${TEST_ACCOUNT}:role/management-partner-role`;
    await new IAMClient(clientConfig(server)).send(
      new CreateRoleCommand({ RoleName: 'management-partner-role', AssumeRolePolicyDocument: trustPolicy(STANDALONE) }),
    );

    await assumeRole(server, outsider, roleArn);
    await encryptAsOutsider();

    const rcp = await createOrganizationPolicy(organizations, 'RESOURCE_CONTROL_POLICY', 'organization-only', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: ['sts:AssumeRole', 'kms:*'],
          Resource: '*',
          Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': orgId }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
        },
      ],
    });
    await organizations.send(new AttachPolicyCommand({ PolicyId: rcp, TargetId: rootId }));

    await deniedWith(
      assumeRole(server, outsider, roleArn),
      new RegExp(`^User: arn:aws:iam::${STANDALONE}:user/outsider is not authorized to perform: sts:AssumeRole on resource: ${roleArn} with an explicit deny in a resource control policy`),
    );
    await deniedWith(encryptAsOutsider(), /is not authorized to perform: kms:Encrypt on resource: .* with an explicit deny in a resource control policy/);
    await assumeRole(server, managementAdmin, roleArn);
    await assumeRole(server, outsider, managementRole);

    await organizations.send(new DetachPolicyCommand({ PolicyId: rcp, TargetId: rootId }));
    await assumeRole(server, outsider, roleArn);
  });

  it('STS AssumeRoot: the management account opens a root session on a member account once root sessions are enabled; the task policy scopes it', async () => {
    const sts = new STSClient(clientConfig(server, managementAdmin));
    const auditRoot = (TargetPrincipal: string) =>
      sts.send(new AssumeRootCommand({ TargetPrincipal, TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' } }));
    await deniedWith(auditRoot(member), /sts:AssumeRoot on resource: arn:aws:iam::\d{12}:root because root sessions are not enabled/);

    const managementIam = new IAMClient(clientConfig(server, managementAdmin));
    await assert.rejects(managementIam.send(new ListOrganizationsFeaturesCommand({})), { name: 'ServiceAccessNotEnabledException' });
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
    await assert.rejects(iamAs(memberSession).send(new EnableOrganizationsRootSessionsCommand({})), { name: 'CallerIsNotManagementAccountException' });
    await assert.rejects(
      iamAs(memberSession).send(new ListOrganizationsFeaturesCommand({})),
      { name: 'AccountNotManagementOrDelegatedAdministratorException' },
    );
    const { EnabledFeatures } = await managementIam.send(new EnableOrganizationsRootSessionsCommand({}));
    assert.deepEqual(EnabledFeatures, ['RootSessions']);
    assert.deepEqual((await managementIam.send(new ListOrganizationsFeaturesCommand({}))).OrganizationId, orgId);

    const { Credentials } = await auditRoot(member);
    assert.ok(Credentials?.Expiration && Credentials.Expiration.getTime() - Date.now() <= 900_000 + 5_000);
    const rootSession = { accessKeyId: Credentials.AccessKeyId!, secretAccessKey: Credentials.SecretAccessKey!, sessionToken: Credentials.SessionToken! };
    const identity = await new STSClient(clientConfig(server, rootSession)).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:iam::${member}:root`);
    await iamAs(rootSession).send(new GetAccountSummaryCommand({}));
    await deniedWith(iamAs(rootSession).send(new CreateUserCommand({ UserName: 'by-root-session' })), /iam:CreateUser .* with an explicit deny in a session policy$/);

    // Only member accounts, only from the management account (or IAM's delegated administrator), never as root.
    await deniedWith(auditRoot(TEST_ACCOUNT), /because the target is not a member account of the organization$/);
    await deniedWith(auditRoot(STANDALONE), /because the target is not a member account of the organization$/);
    await deniedWith(
      new STSClient(clientConfig(server, memberSession)).send(
        new AssumeRootCommand({ TargetPrincipal: member, TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' } }),
      ),
      /because account \d{12} is not the management account or a delegated administrator for centralized root access$/,
    );
    await deniedWith(
      new STSClient(clientConfig(server)).send(
        new AssumeRootCommand({ TargetPrincipal: member, TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' } }),
      ),
      /^User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRoot/,
    );
  });
});
