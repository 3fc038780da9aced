// Account security self-service in a real Chromium (issue #4, "Done when"): recovery codes after
// pairing and at sign-in, a security key through Chrome's virtual authenticator (DevTools
// protocol), sessions, devices, new phone and password. Screenshots in test-results/screenshots.
import net from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, decodeQr, launchChromium, oathtoolCode, screenshot, submitLoginForm } from '../support/chromium.js';
import { sqlite } from '../support/databases.js';
import { chromium, command } from '../support/requirements.js';
import { addAccount, type TestAccount } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = [chromium(), command('zbarimg', 'zbar-tools'), command('oathtool', 'oathtool')];
const missing = needs.filter((r) => !r.available).map((r) => r.reason);

/** A free port, so HMS_PUBLIC_URL (and with it the WebAuthn origin) is known before start. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

describe.skipIf(missing.length > 0)(`account security in Chromium${missing.length ? ` [skipped: ${missing.join('; ')}]` : ''}`, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let account: TestAccount & { base32?: string };
  let recoveryCodes: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    // Security keys need a host name: browsers refuse WebAuthn on an IP address.
    base = `http://localhost:${port}`;
    t = await startTestApp(sqlite, { HMS_PUBLIC_URL: base });
    await t.app.listen({ port, host: '127.0.0.1' });
    account = await addAccount(t, 'clinician', 'Dana Scully');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Script errors only: a refused form's 400 status is logged by Chromium too, and is intended.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signInWithPassword() {
    await page.goto(`${base}/login`);
    await submitLoginForm(page, account);
    await page.waitForLoadState();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(`${base}/login?notice=signed-out`);
  }

  it('after pairing, ten recovery codes are shown once, with download and print, until the user confirms saving them', async () => {
    await signInWithPassword();
    await page.waitForURL(`${base}/mfa/setup`);
    account.base32 = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
    await page.getByLabel('6-digit code').fill(oathtoolCode(account.base32, t.clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/account\/security\/recovery-codes\/new/);
    expect(await page.locator('h1').textContent()).toBe('Save your recovery codes');
    recoveryCodes = await page.locator('#recovery-codes code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
    await screenshot(page, '20-recovery-codes');
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as .txt' }).click()]);
    expect(download.suggestedFilename()).toBe('hms-recovery-codes.txt');
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString());
    for (const code of recoveryCodes) expect(text).toContain(code);

    // The box must be ticked: the browser itself stops the form until it is.
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(page.url()).toContain('/account/security/recovery-codes/new');
    await page.getByLabel('I have saved these codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
  });

  it('the account security page shows each factor and leads to its page', async () => {
    await page.getByRole('link', { name: 'Account security' }).click();
    await page.waitForURL(`${base}/account/security`);
    expect(await page.locator('#codes-heading + p').textContent()).toContain('10 of 10 unused');
    await screenshot(page, '21-account-security');
    await expectAccessible(page);
  });

  it('signs in with a recovery code, then says how many are left and offers pairing a new phone', async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForURL(`${base}/mfa/verify`);
    await page.getByRole('link', { name: 'Use a recovery code instead' }).click();
    await page.waitForURL(`${base}/mfa/recovery`);
    await screenshot(page, '22-recovery-code-sign-in');
    await expectAccessible(page);
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!.toUpperCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/account\/security\/recovery-codes\/used/);
    expect(await page.locator('#codes-left').textContent()).toBe('You have 9 recovery codes left.');
    expect(await page.getByRole('link', { name: 'Pair a new phone now' }).count()).toBe(1);
    await screenshot(page, '23-recovery-code-used');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
  });

  it('adds a security key with Chromium\'s virtual authenticator', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.goto(`${base}/account/security/keys`);
    await screenshot(page, '24-security-keys-empty');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Add a security key' }).click();
    await page.waitForURL(`${base}/account/security/keys/new`); // the recovery code sign-in is a fresh factor: no step-up
    await page.getByLabel('Name').fill('Virtual key');
    await screenshot(page, '25-add-security-key');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add security key' }).click();
    await page.waitForURL(`${base}/account/security/keys?done=key-added`);
    expect(await page.locator('.key-list h2').allTextContents()).toEqual(['Virtual key']);
    await screenshot(page, '26-security-key-added');
    await expectAccessible(page);
  });

  it('signs in with the security key instead of a code, and remembers the device', async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForURL(`${base}/mfa/verify`);
    await screenshot(page, '27-verify-with-key-offered');
    await page.getByRole('link', { name: 'Use a security key' }).click();
    await page.waitForURL(`${base}/mfa/security-key`);
    await screenshot(page, '28-security-key-sign-in');
    await expectAccessible(page);
    await page.getByLabel('Remember this device for 30 days').check();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('.greeting').textContent()).toBe('Welcome, Dana Scully');
  });

  it('lists sessions and remembered devices, this one marked', async () => {
    await page.goto(`${base}/account/security/sessions`);
    expect(await page.locator('.flag-current').textContent()).toBe('This session');
    expect(await page.locator('table.data-table tbody tr').first().textContent()).toMatch(/HeadlessChrome|Chrome/);
    await screenshot(page, '29-sessions');
    await expectAccessible(page);
    await page.goto(`${base}/account/security/devices`);
    expect(await page.locator('.flag-current').textContent()).toBe('This device');
    await screenshot(page, '30-devices');
    await expectAccessible(page);
  });

  it('pairs a new phone: a code asked first, then the QR code read by zbarimg and a code from oathtool', async () => {
    t.clock.advance(10 * 60_000); // the key's sign-in is no longer fresh
    await page.goto(`${base}/account/security`);
    await page.getByRole('link', { name: 'Pair a new phone' }).click();
    await page.waitForURL(/\/verify-again/);
    await screenshot(page, '31-verify-again');
    await expectAccessible(page);
    await page.getByLabel('6-digit code').fill(oathtoolCode(account.base32!, t.clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/account/security/authenticator`);
    await screenshot(page, '32-new-phone');
    await expectAccessible(page);
    const uri = new URL(decodeQr(await page.locator('#totp-qr').screenshot()));
    const newSecret = uri.searchParams.get('secret')!;
    expect(newSecret).not.toBe(account.base32);
    t.clock.advance(30_000);
    await page.getByLabel('6-digit code from the new app').fill(oathtoolCode(newSecret, t.clock.now()));
    await page.getByLabel(/Keep them/).check();
    await page.getByRole('button', { name: 'Pair new phone' }).click();
    await page.waitForURL(`${base}/account/security?done=authenticator`);
    await screenshot(page, '33-new-phone-paired');
    await expectAccessible(page);
    account.base32 = newSecret;
  });

  it('changes the password; the page explains each refusal', async () => {
    await page.goto(`${base}/account/security/password`);
    await page.getByLabel('Current password').fill(account.password);
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('New password again').fill('password1234');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.locator('#new_password-error').textContent()).toContain('attackers try first');
    await screenshot(page, '34-password-refused');
    await expectAccessible(page);
    await page.getByLabel('Current password').fill(account.password);
    await page.getByLabel('New password', { exact: true }).fill('seven quiet lanterns over the harbour');
    await page.getByLabel('New password again').fill('seven quiet lanterns over the harbour');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(`${base}/account/security?done=password`);
    await screenshot(page, '35-password-changed');
    expect(pageErrors).toEqual([]);
  });
});
