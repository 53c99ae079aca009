// Sign-in paths in headless Chromium: the root user with the password the server made
// at its first start, a password that must be changed before the session starts, a
// virtual MFA device assigned from its QR code page, and a session that ends under the
// page's feet (the sign-in page comes back).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AttachUserPolicyCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/server.ts';
import { base32Decode, hotp } from '../../src/services/iam/credentials/totp.ts';
import { TEST_ACCOUNT } from '../helpers/server.ts';
import { NO_BROWSER, openConsolePage, type ConsolePage } from './browser.ts';
import { consoleUser, iamAsRoot, postJson, startConsoleServer } from './fixtures.ts';

const OLD_PASSWORD = 'Old-Password-11';
const NEW_PASSWORD = 'New-Password-22';

describe('console sign-in paths in headless Chromium', { skip: NO_BROWSER }, () => {
  let server: RunningServer;
  let browser: ConsolePage;
  let page: Page;

  before(async () => {
    server = await startConsoleServer();
    await consoleUser(server, 'newcomer', OLD_PASSWORD, true);
    await iamAsRoot(server).send(new AttachUserPolicyCommand({ UserName: 'newcomer', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));
    browser = await openConsolePage();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Submits the sign-in form as the root user, with the password the server made at its start. */
  async function signInAsRoot() {
    await page.getByLabel('Account ID or alias').fill(TEST_ACCOUNT);
    await page.getByLabel('Sign in as the root user').check();
    await page.getByLabel('Password', { exact: true }).fill(server.rootPassword!);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await browser.heading('Sign in to Bulwark');
  }

  it('signs the root user in with the password made at first start', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Account ID or alias').fill(TEST_ACCOUNT);
    await page.getByLabel('Sign in as the root user').check();
    assert.equal(await page.getByLabel('IAM user name').count(), 0);
    await page.getByLabel('Password', { exact: true }).fill(server.rootPassword!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await browser.heading('Security dashboard');
    assert.match(await page.locator('.whoami').innerText(), /^root @ 123456789012$/);
    await page.getByText('The root user has no MFA device.').waitFor();
    await browser.shot('20-root-dashboard');
    await signOut();
  });

  it('lets the root user assign its own MFA device from its security credentials page; root sign-in then asks for the code', async () => {
    await signInAsRoot();
    await page.getByRole('link', { name: "The root user's security credentials" }).first().click();
    await browser.heading('My security credentials');
    const step = await assignMfaFromQrCode('the root user');
    await page.getByRole('link', { name: 'Security dashboard' }).click();
    await page.getByText('An MFA device protects the root user.').waitFor();
    await signOut();
    await signInAsRoot();
    await page.getByLabel('MFA code').fill(step.next());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await browser.heading('Security dashboard');
    assert.match(await page.locator('.whoami').innerText(), /^root @ 123456789012 \(MFA\)$/);
    await signOut();
  });

  it('makes a user whose password must be reset choose a new one first', async () => {
    await page.getByLabel('Account ID or alias').fill(TEST_ACCOUNT);
    await page.getByLabel('IAM user name').fill('newcomer');
    await page.getByLabel('Password', { exact: true }).fill(OLD_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Password does not conform to the account password policy.' }).waitFor();
    await browser.shot('21-password-change-refused');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await browser.heading('Security dashboard');
    assert.equal((await postJson(server, '/console/api/signin', { account: TEST_ACCOUNT, userName: 'newcomer', password: OLD_PASSWORD })).status, 401);
  });

  /** Assigns a virtual MFA device on the page shown, reading its key from the page; returns the next code's maker. */
  async function assignMfaFromQrCode(owner: string): Promise<{ next: () => string }> {
    await page.getByRole('button', { name: 'Assign virtual MFA device' }).click();
    await page.getByRole('button', { name: 'Create the device and show its QR code' }).click();
    const qr = page.getByRole('img', { name: `QR code of the virtual MFA device for ${owner}` });
    await qr.waitFor();
    // The QR code (a blob: URL) is allowed by the Content-Security-Policy and really drawn.
    const width = await qr.evaluate(async (element) => {
      const image = element as unknown as { decode(): Promise<void>; naturalWidth: number }; // an HTMLImageElement (no DOM types here)
      await image.decode();
      return image.naturalWidth;
    });
    assert.ok(width > 100, `QR code width ${width}`);
    const seed = base32Decode(await page.locator('.mfa-assign code').innerText());
    const step = Math.floor(server.clock.nowMs() / 30_000);
    await page.getByLabel('MFA code 1').fill(hotp(seed, step - 2));
    await page.getByLabel('MFA code 2').fill(hotp(seed, step - 1));
    await browser.shot(`22-mfa-qr-code-${owner.replace(/\W+/g, '-')}`);
    await page.getByRole('button', { name: 'Assign MFA' }).click();
    await page.getByRole('button', { name: 'Remove MFA device' }).waitFor();
    return { next: () => hotp(seed, Math.floor(server.clock.nowMs() / 30_000)) };
  }

  it('assigns a virtual MFA device to a user from its QR code page, with two codes computed from the key it shows', async () => {
    await page.goto(`${server.url}/console/#/users/newcomer`);
    await browser.heading('User newcomer');
    await assignMfaFromQrCode('newcomer');
    const { MFADevices } = await iamAsRoot(server).send(new ListMFADevicesCommand({ UserName: 'newcomer' }));
    assert.equal(MFADevices?.length, 1);
    await browser.shot('23-mfa-assigned');
  });

  it('goes back to the sign-in page when the session is ended elsewhere', async () => {
    const stored = await page.evaluate(() => sessionStorage.getItem('bulwark.console.session'));
    const { credentials } = JSON.parse(stored!) as { credentials: { accessKeyId: string; sessionToken: string } };
    await postJson(server, '/console/api/signout', { accessKeyId: credentials.accessKeyId, sessionToken: credentials.sessionToken });
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('bulwark.console.session')), null);
    await browser.shot('24-session-ended');
  });

  it('raised no script errors and opened no dialogs', () => {
    assert.deepEqual(browser.errors, []);
    assert.deepEqual(browser.dialogs, []);
  });
});
