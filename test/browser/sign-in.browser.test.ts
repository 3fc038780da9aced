// The whole sign-in in a real Chromium, as a clinician does it (issue #2, "Browser").
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../src/clock.js';
import { expectAccessible, decodeQr, launchChromium, oathtoolCode, screenshot, submitLoginForm } from '../support/chromium.js';
import { sqlite } from '../support/databases.js';
import { chromium, command } from '../support/requirements.js';
import { addAccount, type TestAccount } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = [chromium(), command('zbarimg', 'zbar-tools'), command('oathtool', 'oathtool')];
const missing = needs.filter((r) => !r.available).map((r) => r.reason);

describe.skipIf(missing.length > 0)(`sign-in in Chromium${missing.length ? ` [skipped: ${missing.join('; ')}]` : ''}`, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let first: TestAccount & { base32?: string };
  let second: TestAccount & { base32?: string };

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_SUPPORT_PHONE: '+1 555 0100' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    first = await addAccount(t, 'clinician', 'Dana Scully');
    second = await addAccount(t, 'clinician', 'Fox Mulder');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signInWithPassword(account: TestAccount) {
    await page.goto(`${base}/login`);
    await submitLoginForm(page, account);
    await page.waitForLoadState();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(`${base}/login?notice=signed-out`);
  }

  /** Pairs the account: reads the QR code from a screenshot, checks it against the text, enters a code. */
  async function enrollFromQrCode(account: TestAccount & { base32?: string }, name: string) {
    await page.waitForURL(`${base}/mfa/setup`);
    await screenshot(page, `${name}-mfa-setup`);
    const uri = new URL(decodeQr(await page.locator('#totp-qr').screenshot()));
    const shown = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toBe(`/HMS:${account.email}`);
    expect(uri.searchParams.get('issuer')).toBe('HMS');
    expect(uri.searchParams.get('secret')).toBe(shown);
    account.base32 = shown;
    await page.getByLabel('6-digit code').fill(oathtoolCode(shown, t.clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    // The new recovery codes come first, once (account-security.browser.test.ts looks at them closely).
    await page.waitForURL(/\/account\/security\/recovery-codes\/new/);
    await page.getByLabel('I have saved these codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
  }

  it('the login page is accessible, and focus starts on the email field', async () => {
    await page.goto(`${base}/login`);
    await screenshot(page, '01-login');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await expectAccessible(page);
  });

  it('a wrong password shows one message tied to both fields', async () => {
    await signInWithPassword({ ...first, password: 'definitely not it' });
    await screenshot(page, '02-login-error');
    expect(await page.locator('#login-error').textContent()).toContain('email or password is not correct');
    expect(await page.getByLabel('Email').inputValue()).toBe(first.email);
    expect(await page.getByLabel('Email').getAttribute('aria-describedby')).toContain('login-error');
    await expectAccessible(page);
  });

  it('first sign-in: the QR code holds the secret shown as text; a code from oathtool pairs the account', async () => {
    await signInWithPassword(first);
    await page.waitForURL(`${base}/mfa/setup`);
    await expectAccessible(page);
    // The pairing page opens at its heading: focusing the code field would scroll a phone past the QR code.
    expect(await page.evaluate(() => [document.activeElement?.tagName, window.scrollY])).toEqual(['BODY', 0]);
    await enrollFromQrCode(first, '03');
    expect(await page.locator('.greeting').textContent()).toBe('Welcome, Dana Scully');
    await screenshot(page, '04-dashboard');
    await expectAccessible(page);
  });

  it('a later sign-in asks for the code; a wrong code is explained next to the field', async () => {
    await signOut();
    await signInWithPassword(first);
    await page.waitForURL(`${base}/mfa/verify`);
    expect(await page.title()).toBe('Verify Your Identity · HMS');
    expect(await page.locator('h1').textContent()).toBe('Verify Your Identity');
    const code = page.getByLabel('6-digit code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code');
    await screenshot(page, '05-verify');
    await expectAccessible(page);
    await code.fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('#code-error').textContent()).toContain('That code is not correct');
    expect(await page.getByLabel('6-digit code').getAttribute('aria-describedby')).toContain('code-error');
    await screenshot(page, '06-verify-wrong-code');
    await expectAccessible(page);
  });

  it('the right code with "Remember this device for 30 days" signs in and sets a 30-day HttpOnly cookie', async () => {
    t.clock.advance(30_000);
    await page.getByLabel('6-digit code').fill(oathtoolCode(first.base32!, t.clock.now()));
    await page.getByLabel('Remember this device for 30 days').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
    const cookies = await context.cookies(base);
    const device = cookies.find((c) => c.name === 'hms_device')!;
    expect(device.httpOnly).toBe(true);
    expect(device.sameSite).toBe('Lax');
    expect((device.expires * 1000 - Date.now()) / DAY).toBeCloseTo(30, 1);
    const session = cookies.find((c) => c.name === 'hms_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.expires).toBe(-1); // a browser-session cookie
  });

  it('the remembered browser signs in with the password alone', async () => {
    await signOut();
    await signInWithPassword(first);
    await page.waitForURL(`${base}/`);
    expect(await page.locator('.greeting').textContent()).toBe('Welcome, Dana Scully');
  });

  it('a second account on the same browser is still asked for its code', async () => {
    await signOut();
    await signInWithPassword(second);
    await enrollFromQrCode(second, '07-second-account');
    await signOut();
    t.clock.advance(30_000);
    await signInWithPassword(second);
    await page.waitForURL(`${base}/mfa/verify`);
    await page.getByLabel('6-digit code').fill(oathtoolCode(second.base32!, t.clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.greeting').textContent()).toBe('Welcome, Fox Mulder');
  });

  it('works without JavaScript: the same sign-in in a browser with scripts disabled', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await plain.goto(`${base}/login`);
      await submitLoginForm(plain, first);
      await plain.waitForURL(`${base}/mfa/verify`);
      t.clock.advance(30_000);
      await plain.getByLabel('6-digit code').fill(oathtoolCode(first.base32!, t.clock.now()));
      await plain.getByRole('button', { name: 'Continue' }).click();
      await plain.waitForURL(`${base}/`);
      expect(await plain.locator('.greeting').textContent()).toBe('Welcome, Dana Scully');
    } finally {
      await noScript.close();
    }
  });
});
