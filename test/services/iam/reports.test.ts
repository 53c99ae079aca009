// Account reports: GetAccountSummary, GetAccountAuthorizationDetails, the credential
// report, service last accessed data, account settings and the Organizations-related
// operations of an account outside any organization.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CREDENTIAL_COLLECTIONS, recordServiceAccess } from '../../../src/services/iam/reports.ts';
import { selfSigned } from './credentials/keys.ts';
import { ACCOUNT, awsError, iam, OTHER_ACCOUNT, policy, samlMetadata, type Iam } from './reports-context.ts';

const HOUR = 3_600_000;
const S3_READ = policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' });

async function people(client: Iam): Promise<void> {
  await client.call('CreateUser', { UserName: 'alice' });
  await client.call('CreateUser', { UserName: 'bob' });
  await client.call('CreateGroup', { GroupName: 'devs' });
  await client.call('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  await client.call('PutUserPolicy', { UserName: 'alice', PolicyName: 's3-read', PolicyDocument: S3_READ });
  await client.call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])));
}

describe('GetAccountSummary', () => {
  it('counts the account\'s entities from the store and reports IAM\'s quotas', async () => {
    const client = await iam();
    await people(client);
    await client.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: S3_READ });
    await client.call('CreateOpenIDConnectProvider', { Url: 'https://token.example.com' });
    await client.call('CreateSAMLProvider', { Name: 'idp', SAMLMetadataDocument: samlMetadata() });
    await client.call('CreateUser', { UserName: 'elsewhere' }, OTHER_ACCOUNT);
    const { SummaryMap: summary } = await client.call('GetAccountSummary', {});
    assert.equal(summary!.Users, 2);
    assert.equal(summary!.Groups, 1);
    assert.equal(summary!.Roles, 0);
    assert.equal(summary!.Policies, 1);
    assert.equal(summary!.Providers, 2);
    assert.equal(summary!.PolicyVersionsInUse, 2); // p's v1 and ReadOnlyAccess in use
    assert.equal(summary!.UsersQuota, 5000);
    assert.equal(summary!.GroupsPerUserQuota, 10);
    assert.equal(summary!.GlobalEndpointTokenVersion, 1);
    assert.equal(Object.keys(summary!).length, 34);
  });

  it("the Account*Present flags speak of the root user's own credentials only", async () => {
    const [aliceCertificate, rootCertificate] = [selfSigned('alice.example.com'), selfSigned('root.example.com')];
    const client = await iam(new Date()); // after the certificates' start of validity
    const flags = async () => {
      const { SummaryMap: summary } = await client.call('GetAccountSummary', {});
      return [summary!.AccountAccessKeysPresent, summary!.AccountPasswordPresent, summary!.AccountSigningCertificatesPresent];
    };
    await client.call('CreateUser', { UserName: 'alice' });
    await client.call('CreateAccessKey', { UserName: 'alice' });
    await client.call('CreateLoginProfile', { UserName: 'alice', Password: 'Alice-Password-1!' });
    await client.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: aliceCertificate.cert });
    assert.deepEqual(await flags(), [0, 0, 0], "a user's credentials are not the root user's");
    await client.call('CreateAccessKey', {}); // the caller is the root user
    await client.call('UploadSigningCertificate', { CertificateBody: rootCertificate.cert });
    assert.deepEqual(await flags(), [1, 0, 1]);
  });

  it('SetSecurityTokenServicePreferences v2Token shows as GlobalEndpointTokenVersion 2', async () => {
    const client = await iam();
    await client.call('SetSecurityTokenServicePreferences', { GlobalEndpointTokenVersion: 'v2Token' });
    assert.equal((await client.call('GetAccountSummary', {})).SummaryMap!.GlobalEndpointTokenVersion, 2);
  });
});

describe('GetAccountAuthorizationDetails', () => {
  it('lists users, groups, roles and the managed policies in use with their URL-encoded documents', async () => {
    const client = await iam();
    await people(client);
    const details = await client.call('GetAccountAuthorizationDetails', {});
    const alice = details.UserDetailList!.find((u) => u.UserName === 'alice')!;
    assert.deepEqual(alice.GroupList, ['devs']);
    assert.deepEqual(alice.UserPolicyList, [{ PolicyName: 's3-read', PolicyDocument: encodeURIComponent(S3_READ) }]);
    assert.deepEqual(details.GroupDetailList![0]!.AttachedManagedPolicies, [
      { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ]);
    const readOnly = details.Policies!.find((p) => p.PolicyName === 'ReadOnlyAccess')!;
    assert.equal(readOnly.AttachmentCount, 1);
    assert.ok(readOnly.PolicyVersionList!.some((v) => v.IsDefaultVersion && decodeURIComponent(v.Document!).includes('Statement')));
    assert.equal(details.IsTruncated, false);
  });

  it('Filter keeps the asked types; MaxItems and Marker page across them', async () => {
    const client = await iam();
    await people(client);
    const users = await client.call('GetAccountAuthorizationDetails', { Filter: ['User'] });
    assert.deepEqual(users.UserDetailList!.map((u) => u.UserName), ['alice', 'bob']);
    assert.deepEqual(users.GroupDetailList, []);
    const first = await client.call('GetAccountAuthorizationDetails', { Filter: ['User', 'Group'], MaxItems: 2 });
    assert.equal(first.IsTruncated, true);
    const second = await client.call('GetAccountAuthorizationDetails', { Filter: ['User', 'Group'], MaxItems: 2, Marker: first.Marker! });
    assert.deepEqual(second.GroupDetailList!.map((g) => g.GroupName), ['devs']);
    assert.equal(second.IsTruncated, false);
  });
});

describe('credential report', () => {
  it('GetCredentialReport before any generation: ReportNotPresent', async () => {
    const client = await iam();
    await assert.rejects(client.call('GetCredentialReport', {}), awsError('CredentialReportNotPresentException'));
  });

  it('GenerateCredentialReport starts once, then stays COMPLETE for 4 hours; the report expires after 4 hours', async () => {
    const client = await iam();
    assert.equal((await client.call('GenerateCredentialReport', {})).State, 'STARTED');
    assert.equal((await client.call('GenerateCredentialReport', {})).State, 'COMPLETE');
    const report = await client.call('GetCredentialReport', {});
    assert.equal(report.ReportFormat, 'text/csv');
    assert.deepEqual(report.GeneratedTime, client.now());
    client.advance(4 * HOUR);
    await assert.rejects(client.call('GetCredentialReport', {}), awsError('CredentialReportExpiredException'));
    assert.equal((await client.call('GenerateCredentialReport', {})).State, 'STARTED');
    assert.deepEqual((await client.call('GetCredentialReport', {})).GeneratedTime, client.now());
  });

  it('the CSV has AWS\'s columns in order, the root account first, and AWS\'s placeholder values', async () => {
    const client = await iam();
    await people(client);
    await client.store.put(CREDENTIAL_COLLECTIONS.accessKeys, `${ACCOUNT}/alice/AKIAEXAMPLE1`, {
      userName: 'alice',
      accessKeyId: 'AKIAEXAMPLE1',
      status: 'Active',
      createDate: '2024-04-01T08:00:00.000Z',
      lastUsed: { date: '2024-04-30T09:30:00.000Z', region: 'eu-west-1', service: 's3' },
    });
    await client.store.put(CREDENTIAL_COLLECTIONS.loginProfiles, `${ACCOUNT}/bob`, { userName: 'bob', createDate: '2024-04-02T00:00:00.000Z' });
    await client.call('GenerateCredentialReport', {});
    const csv = Buffer.from((await client.call('GetCredentialReport', {})).Content!).toString('utf8');
    const header = csv.split('\n')[0]!.split(',');
    assert.deepEqual(header, [
      'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation',
      'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region',
      'access_key_1_last_used_service', 'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
      'access_key_2_last_used_region', 'access_key_2_last_used_service', 'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
    ]);
    const [root, alice, bob] = parseCsv(csv);
    assert.equal(root!.user, '<root_account>');
    assert.equal(root!.arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(root!.password_enabled, 'not_supported');
    assert.equal(root!.password_last_changed, 'not_supported');
    assert.equal(alice!.user, 'alice');
    assert.equal(alice!.user_creation_time, '2024-05-01T12:00:00+00:00');
    assert.equal(alice!.password_enabled, 'false');
    assert.equal(alice!.password_last_used, 'N/A');
    assert.equal(alice!.access_key_1_active, 'true');
    assert.equal(alice!.access_key_1_last_rotated, '2024-04-01T08:00:00+00:00');
    assert.equal(alice!.access_key_1_last_used_date, '2024-04-30T09:30:00+00:00');
    assert.equal(alice!.access_key_1_last_used_region, 'eu-west-1');
    assert.equal(alice!.access_key_1_last_used_service, 's3');
    assert.equal(alice!.access_key_2_active, 'false');
    assert.equal(alice!.access_key_2_last_rotated, 'N/A');
    assert.equal(alice!.cert_1_active, 'false');
    assert.equal(bob!.password_enabled, 'true');
    assert.equal(bob!.password_last_used, 'no_information');
    assert.equal(bob!.password_last_changed, '2024-04-02T00:00:00+00:00');
    assert.equal(bob!.password_next_rotation, 'N/A');
  });
});

describe('service last accessed', () => {
  it('reports when, where and by whom each allowed service was last used; services never used have no LastAuthenticated', async () => {
    const client = await iam();
    await people(client);
    const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
    await recordServiceAccess(client.store, {
      accountId: ACCOUNT,
      principalArn: alice,
      entityChain: [alice, `arn:aws:iam::${ACCOUNT}:group/devs`],
      serviceNamespace: 's3',
      action: 'GetObject',
      region: 'eu-west-1',
      date: new Date('2024-04-30T10:00:00Z'),
    });
    const job = await client.call('GenerateServiceLastAccessedDetails', { Arn: alice, Granularity: 'ACTION_LEVEL' });
    const first = await client.call('GetServiceLastAccessedDetails', { JobId: job.JobId! });
    assert.equal(first.JobStatus, 'COMPLETED');
    assert.equal(first.JobType, 'ACTION_LEVEL');
    const services = [...first.ServicesLastAccessed];
    for (let marker = first.Marker; marker !== undefined; ) {
      const page = await client.call('GetServiceLastAccessedDetails', { JobId: job.JobId!, Marker: marker });
      services.push(...page.ServicesLastAccessed);
      marker = page.Marker;
    }
    assert.equal(first.IsTruncated, true); // ReadOnlyAccess reaches more than 100 services
    const s3 = services.find((s) => s.ServiceNamespace === 's3')!;
    assert.deepEqual(s3.LastAuthenticated, new Date('2024-04-30T10:00:00Z'));
    assert.equal(s3.LastAuthenticatedEntity, alice);
    assert.equal(s3.LastAuthenticatedRegion, 'eu-west-1');
    assert.equal(s3.ServiceName, 'Amazon S3');
    assert.deepEqual(s3.TrackedActionsLastAccessed!.map((a) => a.ActionName), ['GetObject']);
    // ReadOnlyAccess (through the group) allows many services alice never used.
    const unused = services.filter((s) => s.LastAuthenticated === undefined);
    assert.ok(unused.length > 10);
    assert.ok(unused.some((s) => s.ServiceNamespace === 'ec2'));

    const group = await client.call('GenerateServiceLastAccessedDetails', { Arn: `arn:aws:iam::${ACCOUNT}:group/devs` });
    const entities = await client.call('GetServiceLastAccessedDetailsWithEntities', { JobId: group.JobId!, ServiceNamespace: 's3' });
    assert.deepEqual(entities.EntityDetailsList.map((e) => [e.EntityInfo.Name, e.EntityInfo.Type, e.LastAuthenticated]), [
      ['alice', 'USER', new Date('2024-04-30T10:00:00Z')],
    ]);
  });

  it('an unknown job id is NoSuchEntity; an entity or policy that does not exist is NoSuchEntity', async () => {
    const client = await iam();
    await assert.rejects(
      client.call('GenerateServiceLastAccessedDetails', { Arn: `arn:aws:iam::${ACCOUNT}:policy/not-there` }),
      awsError('NoSuchEntityException'),
    );
    await assert.rejects(client.call('GetServiceLastAccessedDetails', { JobId: '00000000-0000-0000-0000-000000000000' }), awsError('NoSuchEntityException'));
    await assert.rejects(
      client.call('GenerateServiceLastAccessedDetails', { Arn: `arn:aws:iam::${ACCOUNT}:role/ghost` }),
      awsError('NoSuchEntityException', 'The role with name ghost cannot be found.'),
    );
  });
});

describe('account settings and Organizations', () => {
  it('outbound web identity federation: Enable gives an issuer, a second Enable is FeatureEnabled, Disable then Get is FeatureDisabled', async () => {
    const client = await iam();
    await assert.rejects(client.call('GetOutboundWebIdentityFederationInfo', {}), awsError('FeatureDisabledException'));
    const { IssuerIdentifier } = await client.call('EnableOutboundWebIdentityFederation', {});
    assert.match(IssuerIdentifier!, /^https:\/\/[0-9a-f-]{36}\.tokens\.sts\.global\.api\.aws$/);
    await assert.rejects(client.call('EnableOutboundWebIdentityFederation', {}), awsError('FeatureEnabledException'));
    assert.deepEqual(await client.call('GetOutboundWebIdentityFederationInfo', {}), { IssuerIdentifier, JwtVendingEnabled: true });
    await client.call('DisableOutboundWebIdentityFederation', {});
    await assert.rejects(client.call('DisableOutboundWebIdentityFederation', {}), awsError('FeatureDisabledException'));
    assert.equal((await client.call('EnableOutboundWebIdentityFederation', {})).IssuerIdentifier, IssuerIdentifier);
  });

  it('the Organizations features answer OrganizationNotFound for an account outside any organization', async () => {
    const client = await iam();
    for (const operation of [
      'ListOrganizationsFeatures',
      'EnableOrganizationsRootCredentialsManagement',
      'DisableOrganizationsRootCredentialsManagement',
      'EnableOrganizationsRootSessions',
      'DisableOrganizationsRootSessions',
    ] as const) {
      await assert.rejects(client.call(operation, {}), awsError('OrganizationNotFoundException'), operation);
    }
    await assert.rejects(client.call('GenerateOrganizationsAccessReport', { EntityPath: 'o-abc/r-ab12' }), awsError('AWSOrganizationsNotInUseException'));
  });
});
