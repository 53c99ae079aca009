// The console in real headless Chromium (Debian's, driven by playwright-core): sign in
// with a password and an MFA code computed here, create a user, give it an access key
// and a policy, see its denied call explained in the event history, run the policy
// simulator, render a hostile string as text, and refuse and record a wrong password.
// Each page is saved as a screenshot under test-artifacts/console/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AttachUserPolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/server.ts';
import { TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';
import { NO_BROWSER, openConsolePage, type ConsolePage } from './browser.ts';
import { consoleLogins, consoleUser, enableMfa, iamAsRoot, recordsOf, startConsoleServer } from './fixtures.ts';

const PASSWORD = 'Console-Admin-9';
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the console in headless Chromium', { skip: NO_BROWSER }, () => {
  let server: RunningServer;
  let browser: ConsolePage;
  let page: Page;
  let nextCode: () => string;
  const shot = (name: string) => browser.shot(name);
  const heading = (name: string) => browser.heading(name);

  before(async () => {
    server = await startConsoleServer();
    await consoleUser(server, 'admin', PASSWORD);
    await iamAsRoot(server).send(new AttachUserPolicyCommand({ UserName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    nextCode = await enableMfa(server, 'admin');
    browser = await openConsolePage();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in with a password, then the MFA code computed in the test', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Account ID or alias').fill(TEST_ACCOUNT);
    await page.getByLabel('IAM user name').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await shot('01-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('MFA code').fill(nextCode());
    await shot('02-sign-in-mfa');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Security dashboard');
    await page.getByText('Console users have MFA').waitFor();
    assert.match(await page.locator('.whoami').innerText(), /admin @ 123456789012 \(MFA\)/);
    // The credentials are in sessionStorage, never in a cookie or the URL.
    assert.deepEqual(await page.context().cookies(), []);
    assert.doesNotMatch(page.url(), /ASIA|AKIA/);
    await shot('03-dashboard');
    const [login] = await consoleLogins(server);
    assert.equal(login.additionalEventData.MFAUsed, 'Yes');
    assert.equal(login.userIdentity.userName, 'admin');
  });

  it('creates a user', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await heading('Users');
    await page.getByLabel('User name').fill('bob');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('link', { name: 'bob', exact: true }).waitFor();
    await shot('04-users');
    // The console called IAM like any client: signed with the session, authorized, recorded.
    const [created] = await recordsOf(server, 'CreateUser');
    assert.equal(created.requestParameters.userName, 'bob');
    assert.equal(created.userIdentity.arn, `arn:aws:iam::${TEST_ACCOUNT}:user/admin`);
    assert.equal(created.userIdentity.sessionContext.attributes.mfaAuthenticated, 'true');
    assert.equal(created.bulwarkAuthorization[0].decision, 'Allow');
  });

  it("attaches a policy and creates an access key on the user's page", async () => {
    await page.getByRole('link', { name: 'bob', exact: true }).click();
    await heading('User bob');
    await page.getByLabel('Policy to attach (name or ARN)').fill('IAMReadOnlyAccess');
    await page.getByRole('button', { name: 'Attach policy' }).click({ timeout: 30_000 });
    await page.getByRole('cell', { name: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }).waitFor();
    await page.getByRole('button', { name: 'Create access key' }).click();
    await page.getByText('Save the secret access key now').waitFor();
    await shot('05-user-detail');
  });

  it('shows a denied call of that user explained in the event history', async () => {
    const codes = page.locator('.secret code');
    const accessKeyId = await codes.nth(0).innerText();
    const secretAccessKey = await codes.nth(1).innerText();
    const bob = new IAMClient({ endpoint: server.url, region: TEST_REGION, credentials: { accessKeyId, secretAccessKey } });
    await assert.rejects(bob.send(new CreateUserCommand({ UserName: 'mallory' })), { name: 'AccessDenied' });

    await page.getByRole('link', { name: 'Event history' }).click();
    await heading('Event history');
    await page.getByLabel('Lookup attribute').selectOption('Username');
    await page.getByLabel('Attribute value').fill('bob');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('button', { name: 'CreateUser' }).click();
    await page.getByText('Denied: no identity-based policy allows iam:CreateUser').waitFor();
    await page.getByText('is not authorized to perform: iam:CreateUser').first().waitFor();
    await shot('06-event-history-denied');
  });

  it("rotates the user's access key: a new key, the old one deactivated", async () => {
    await page.goto(`${server.url}/console/#/users/bob`);
    await heading('User bob');
    await page.getByRole('button', { name: 'Rotate' }).click();
    await page.getByText('Save the secret access key now').waitFor();
    const statuses = page.locator('table').filter({ hasText: 'Access key ID' }).locator('tbody td:nth-child(2)');
    await statuses.nth(1).waitFor();
    assert.deepEqual((await statuses.allInnerTexts()).sort(), ['Active', 'Inactive']);
    await shot('06-access-key-rotated');
  });

  it('runs the policy simulator for the user', async () => {
    await page.getByRole('link', { name: 'Policy simulator' }).click();
    await heading('Policy simulator');
    await page.getByLabel('Principal ARN').fill(`arn:aws:iam::${TEST_ACCOUNT}:user/bob`);
    await page.getByLabel('Actions').fill('iam:CreateUser\niam:ListUsers');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const rows = page.locator('table.simulation tbody tr');
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('td:nth-child(3)').allInnerTexts(), ['implicitDeny', 'allowed']);
    assert.match(await rows.nth(1).innerText(), /IAMReadOnlyAccess/);
    await shot('07-simulator');
  });

  it('simulates custom policies with context keys', async () => {
    await page.getByLabel('What to simulate').selectOption('custom');
    await page
      .getByLabel('Policy documents')
      .fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}');
    await page.getByLabel('Actions').fill('s3:GetObject, s3:PutObject');
    await page.getByLabel('Context keys').fill('aws:SourceIp = 10.1.2.3 (ip)');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const decisions = page.locator('table.simulation tbody td:nth-child(3)');
    await page.locator('table.simulation tbody tr').filter({ hasText: 's3:PutObject' }).waitFor();
    assert.deepEqual(await decisions.allInnerTexts(), ['allowed', 'implicitDeny']);
    await page.getByLabel('Context keys').fill('aws:SourceIp = 192.168.1.1 (ip)');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.waitForFunction(() => {
      const cell = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(
        'table.simulation tbody td:nth-child(3)',
      );
      return cell?.textContent === 'implicitDeny';
    });
    await shot('07-simulator-custom');
  });

  it('validates a policy as it is typed, with IAM\'s own messages, and creates it', async () => {
    await page.getByRole('link', { name: 'Policies' }).click();
    await heading('Policies');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByLabel('Policy name').fill('ReadBuckets');
    const editor = page.getByLabel('Policy document');
    await editor.fill('{"Version": "2012-10-17", "Statement": [');
    await page.getByText('Not valid JSON').waitFor();
    await editor.fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allowed", "Action": "s3:GetObject", "Resource": "*"}]}');
    await page.getByText('The policy failed legacy parsing').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create policy' }).isDisabled(), true);
    await shot('08-policy-editor-invalid');
    await editor.fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}');
    await page.getByText('The policy is valid.').waitFor();
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('link', { name: 'ReadBuckets' }).waitFor();
    await shot('09-policies');
  });

  it("edits a customer managed policy as a new default version, then sets the old one back", async () => {
    await page.getByRole('link', { name: 'ReadBuckets' }).click();
    await heading('Policy ReadBuckets');
    const document = page.getByRole('textbox', { name: 'Policy document' });
    await document.fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}');
    await page.getByText('The policy is valid.').waitFor();
    await page.getByRole('button', { name: 'Save as new default version' }).click();
    await page.getByRole('button', { name: 'Set v1 as default' }).click();
    await page.getByRole('button', { name: 'Set v2 as default' }).waitFor();
    assert.doesNotMatch(await document.inputValue(), /ListBucket/);
    await shot('09-policy-versions');
  });

  it('creates a group and adds the user to it', async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    await heading('Groups');
    await page.getByLabel('Group name').fill('developers');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'developers' }).click();
    await heading('Group developers');
    await page.getByLabel('User to add').fill('bob');
    await page.getByRole('button', { name: 'Add to group' }).click();
    await page.getByRole('link', { name: 'bob', exact: true }).waitFor();
    await shot('10-group');
  });

  it('creates a role with a trust policy', async () => {
    await page.getByRole('link', { name: 'Roles' }).click();
    await heading('Roles');
    await page.getByLabel('Role name').fill('auditor');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('link', { name: 'auditor' }).click();
    await heading('Role auditor');
    await page.getByText('sts:AssumeRole').first().waitFor();
    await page.getByLabel('Tag key').fill('team');
    await page.getByLabel('Tag value').fill('security');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('cell', { name: 'security', exact: true }).waitFor();
    await shot('11-role');
  });

  it('shows the credential report with a CSV download', async () => {
    await page.getByRole('link', { name: 'Credential report' }).click();
    await heading('Credential report');
    // The dashboard had IAM generate it already; IAM reuses a report for four hours.
    await page.getByRole('cell', { name: 'admin', exact: true }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    assert.equal((await download).suggestedFilename(), 'credential-report.csv');
    await shot('12-credential-report');
  });

  it('creates an organization and shows its tree', async () => {
    await page.getByRole('link', { name: 'Organization' }).click();
    await heading('Organization');
    await page.getByRole('button', { name: 'Create an organization' }).click();
    await page.locator('.tree-node.root').waitFor();
    await page.locator('.tree-node.account').filter({ hasText: TEST_ACCOUNT }).waitFor();
    await page.getByRole('button', { name: 'Enable service control policies' }).click();
    await page.locator('.tree-node.root').filter({ hasText: 'FullAWSAccess' }).waitFor();
    await page.getByLabel('OU name').fill('Engineering');
    await page.getByRole('button', { name: 'Create OU' }).click();
    const ou = page.locator('.tree-node.ou').filter({ hasText: 'Engineering' });
    await ou.waitFor();
    await page.getByLabel('SCP name').fill('NoKmsDeletion');
    await page.getByLabel('SCP document').fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}');
    await page.getByRole('button', { name: 'Create SCP' }).click();
    await page.getByLabel('Service control policy').locator('option', { hasText: 'NoKmsDeletion' }).waitFor({ state: 'attached' });
    await page.getByLabel('Service control policy').selectOption({ label: 'NoKmsDeletion' });
    await page.getByLabel('Attach to').selectOption({ label: '\u00a0\u00a0Engineering' });
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await ou.filter({ hasText: 'NoKmsDeletion' }).waitFor();
    await shot('13-organization');
  });

  it('creates a KMS key', async () => {
    await page.getByRole('link', { name: 'KMS keys' }).click();
    await heading('KMS keys');
    await page.getByLabel('Description (optional)').fill('console test key');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('console test key').waitFor();
    await shot('14-kms-keys');
    await page.locator('table a').first().click();
    await page.getByLabel('New alias').fill('alias/console-test');
    await page.getByRole('button', { name: 'Create alias' }).click();
    await page.getByText('alias/console-test').first().waitFor();
    await page.getByRole('button', { name: 'Turn rotation on' }).click();
    await page.getByRole('button', { name: 'Turn rotation off' }).waitFor();
    assert.match(await page.getByLabel('Key policy document').inputValue(), /"kms:\*"/);
    await shot('14-kms-key');
    // Keys are regional: the region selector signs the same calls for another region.
    await page.getByLabel('Region').selectOption('eu-west-1');
    await page.getByRole('link', { name: 'KMS keys' }).click();
    await page.getByText('No keys in this region.').waitFor();
    await page.getByLabel('Region').selectOption('us-east-1');
    await page.getByText('console test key').waitFor();
  });

  it(`renders a hostile user name (${HOSTILE}) as text, never as HTML`, async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await heading('Users');
    await page.getByLabel('User name').fill(HOSTILE);
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('alert').filter({ hasText: HOSTILE }).waitFor();
    await page.getByRole('link', { name: 'Event history' }).click();
    await page.getByLabel('Lookup attribute').selectOption('EventName');
    await page.getByLabel('Attribute value').fill('CreateUser');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('button', { name: 'CreateUser' }).first().click();
    await page.locator('pre.json').filter({ hasText: HOSTILE }).waitFor();
    await shot('15-hostile-name-as-text');
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(browser.dialogs, []);
  });

  it('signs out: the session credentials stop working', async () => {
    const stored = await page.evaluate(() => sessionStorage.getItem('bulwark.console.session'));
    const { credentials } = JSON.parse(stored!) as { credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } };
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in to Bulwark');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('bulwark.console.session')), null);
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    const revoked = new IAMClient({ endpoint: server.url, region: TEST_REGION, credentials: { accessKeyId, secretAccessKey, sessionToken } });
    await assert.rejects(revoked.send(new CreateUserCommand({ UserName: 'after-sign-out' })), { name: 'InvalidClientTokenId' });
  });

  it('refuses a wrong password, says so, and records the failed ConsoleLogin (with the keyboard alone)', async () => {
    // The account field has the focus; Tab goes through the root check box to the user name and password.
    await page.keyboard.type(TEST_ACCOUNT);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Not-The-Password-1');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Your authentication information is incorrect' }).waitFor();
    await shot('16-wrong-password');
    const [login] = await consoleLogins(server);
    assert.deepEqual(login.responseElements, { ConsoleLogin: 'Failure' });
    assert.equal(login.userIdentity.userName, 'admin');
  });

  it('raised no script errors (the Content-Security-Policy let everything it needs load)', () => {
    assert.deepEqual(browser.errors, []);
  });
});
