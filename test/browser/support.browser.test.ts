// Support in Chromium (issues #5, #12): a user loses their phone, an administrator resets their
// second factor and hands over a re-pairing link, the user pairs a new phone through it; and an
// invitation from link to dashboard.
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { expectAccessible, launchChromium, screenshot, submitLoginForm } from '../support/chromium.js';
import { sqlite } from '../support/databases.js';
import { chromium } from '../support/requirements.js';
import { addAccount, base32ToBuffer, type TestAccount } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = chromium();

describe.skipIf(!needs.available)(`support in Chromium${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: TestAccount;
  let dana: TestAccount;
  let adminPage: Page;
  let danaPage: Page;

  beforeAll(async () => {
    t = await startTestApp(sqlite);
    admin = await addAccount(t, 'admin', 'Ada Admin');
    dana = await addAccount(t, 'clinician', 'Dana Scully');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    adminPage = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    danaPage = await (await browser.newContext({ viewport: { width: 1000, height: 800 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, account: TestAccount) {
    await page.goto(`${base}/login`);
    await submitLoginForm(page, account);
    await page.waitForLoadState();
    await codeStep(page, account);
  }

  /** The page shows the QR code (a first pairing) or asks for the code: enter it, then on to the dashboard. */
  async function codeStep(page: Page, account: TestAccount) {
    t.clock.advance(30_000);
    const pairing = page.url().endsWith('/mfa/setup');
    if (pairing) account.secret = base32ToBuffer((await page.locator('#totp-secret').textContent())!.replace(/\s+/g, ''));
    await page.getByLabel('6-digit code').fill(codeAt(account.secret!, t.clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    if (pairing) {
      // A new pairing shows the recovery codes once, before anything else.
      await page.waitForURL(/\/account\/security\/recovery-codes\/new/);
      await page.getByLabel('I have saved these codes somewhere safe').check();
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.waitForURL(`${base}/`);
  }

  let rePairingLink = '';

  it('the user pairs a phone, then loses it: the verify page says whom to contact', async () => {
    await signIn(danaPage, dana);
    await danaPage.getByRole('button', { name: 'Sign out' }).click();
    await submitLoginForm(danaPage, dana);
    await danaPage.waitForURL(`${base}/mfa/verify`);
    expect(await danaPage.locator('main').textContent()).toContain('Your administrator can reset your authenticator');
  });

  it('the administrator finds the account and resets its second factor, with a reason', async () => {
    await signIn(adminPage, admin);
    await adminPage.getByRole('link', { name: 'Administration' }).click();
    await adminPage.waitForURL(`${base}/admin/users`);
    await screenshot(adminPage, '40-admin-accounts');
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Search by name or email').fill('scully');
    await adminPage.getByRole('button', { name: 'Search' }).click();
    await adminPage.getByRole('link', { name: 'Dana Scully' }).click();
    await adminPage.waitForURL(/\/admin\/users\/[^?]+$/);
    await screenshot(adminPage, '41-admin-account');
    await expectAccessible(adminPage);
    const reset = async () => {
      // Taking access away asks first, on a page of its own.
      await adminPage.getByRole('link', { name: 'Reset second factor…' }).click();
      await adminPage.waitForURL(/\/confirm\/reset-mfa$/);
      await adminPage.getByLabel('Reason').fill('Ticket 12: phone lost; identity confirmed in person');
      await adminPage.getByRole('button', { name: 'Reset second factor' }).click();
    };
    await reset();
    // Pairing one's own phone a minute ago is no fresh code: a code first, then back to this page.
    await adminPage.waitForURL(/\/verify-again\?next=/);
    t.clock.advance(30_000);
    await adminPage.getByLabel('6-digit code').fill(codeAt(admin.secret!, t.clock.now()));
    await adminPage.getByRole('button', { name: 'Continue' }).click();
    await adminPage.waitForURL(/\/admin\/users\/[^?]+$/);
    await reset();
    await adminPage.waitForLoadState();
    expect(await adminPage.locator('.notice-success').textContent()).toContain(`The second factor of ${dana.email} was reset`);
    rePairingLink = (await adminPage.locator('#pairing-link').textContent())!.replace('http://127.0.0.1:3000', base);
    await screenshot(adminPage, '42-admin-re-pairing-link');
    await expectAccessible(adminPage);
  });

  it('the user\'s password alone no longer pairs a phone; the link, then the password, does', async () => {
    dana.secret = undefined;
    await danaPage.goto(`${base}/login`);
    await submitLoginForm(danaPage, dana);
    await danaPage.waitForLoadState();
    expect(await danaPage.locator('h1').textContent()).toBe('Your authenticator was reset');
    await screenshot(danaPage, '42b-password-alone-after-reset');
    await expectAccessible(danaPage);
    await danaPage.goto(rePairingLink);
    await screenshot(danaPage, '42c-re-pairing-link');
    await expectAccessible(danaPage);
    await danaPage.getByLabel('Password').fill(dana.password);
    await danaPage.getByRole('button', { name: 'Continue' }).click();
    await danaPage.waitForURL(`${base}/mfa/setup`);
    await codeStep(danaPage, dana);
    expect(await danaPage.locator('.greeting').textContent()).toBe('Welcome, Dana Scully');
  });

  it('after 5 minutes, an action asks the administrator for a code first, then works', async () => {
    t.clock.advance(6 * 60_000);
    await adminPage.getByRole('link', { name: 'Back to the account' }).click();
    await adminPage.getByRole('link', { name: 'End all sessions…' }).click();
    await adminPage.waitForURL(/\/confirm\/end-sessions$/);
    await screenshot(adminPage, '42d-confirm-end-sessions');
    await expectAccessible(adminPage);
    await adminPage.getByRole('button', { name: 'End all sessions' }).click();
    await adminPage.waitForURL(/\/verify-again\?next=/);
    await screenshot(adminPage, '43-step-up');
    await expectAccessible(adminPage);
    await adminPage.getByLabel('6-digit code').fill(codeAt(admin.secret!, t.clock.now()));
    await adminPage.getByRole('button', { name: 'Continue' }).click();
    await adminPage.waitForURL(/\/admin\/users\/[^?]+$/);
    await adminPage.getByRole('link', { name: 'End all sessions…' }).click();
    await adminPage.getByRole('button', { name: 'End all sessions' }).click();
    await adminPage.waitForURL(/done=sessions-ended/);
  });

  it('an invitation: the admin creates it, the invitee opens the link, chooses a password, pairs and lands on the dashboard', async () => {
    await adminPage.goto(`${base}/admin/invite`);
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Full name').fill('Fox Mulder');
    await adminPage.getByLabel('Email').fill('fox.mulder@clinic.example');
    await adminPage.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await adminPage.locator('#invitation-link').textContent())!.replace('http://127.0.0.1:3000', base);
    await screenshot(adminPage, '44-invitation-link');

    const fox = { email: 'fox.mulder@clinic.example', password: 'the truth is out there, somewhere', name: 'Fox Mulder' };
    const foxPage = await (await browser.newContext()).newPage();
    await foxPage.goto(link);
    await screenshot(foxPage, '45-invitation-choose-password');
    await expectAccessible(foxPage);
    await foxPage.getByLabel('Password', { exact: true }).fill(fox.password);
    await foxPage.getByLabel('Password again').fill(fox.password);
    await foxPage.getByRole('button', { name: 'Continue' }).click();
    // The browser that chose the password goes on to pairing.
    await foxPage.waitForURL(`${base}/mfa/setup`);
    await codeStep(foxPage, fox);
    expect(await foxPage.locator('.greeting').textContent()).toBe('Welcome, Fox Mulder');
  });

  it('the audit log shows what support did', async () => {
    await adminPage.goto(`${base}/admin/audit`);
    const text = await adminPage.locator('table').textContent();
    expect(text).toContain('admin.mfa_reset');
    expect(text).toContain('admin.account_invited');
    await screenshot(adminPage, '46-audit-log');
    await expectAccessible(adminPage);
  });
});
