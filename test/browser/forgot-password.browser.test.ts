// Forgot password in a real Chromium (issue #15): the link is read from the mail a real SMTP server
// received, the code comes from oathtool as an authenticator would compute it, and only after it
// may a new password be chosen; then the new password signs in. Then the same with a security key
// (Chromium's virtual authenticator, through the DevTools protocol). Screenshots of every new page.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, oathtoolCode, screenshot, submitLoginForm } from '../support/chromium.js';
import { confirmItsYouIn, signInAndPair } from '../support/chromium-session.js';
import { sqlite } from '../support/databases.js';
import { MAIL_ENV } from '../support/mail.js';
import { chromium, command } from '../support/requirements.js';
import { freePort } from '../support/served-hms.js';
import { addAccount, type TestAccount } from '../support/sign-in.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userIdOf } from '../support/health.js';

const needs = [chromium(), command('oathtool', 'oathtool')];
const missing = needs.filter((r) => !r.available).map((r) => r.reason);
const NEW_PASSWORD = 'seven quiet lanterns over the harbour';
const SIZES = [{ name: 'desktop', width: 1366, height: 900 }, { name: 'phone', width: 390, height: 844 }] as const;

describe.skipIf(missing.length > 0)(`forgot password in Chromium${missing.length ? ` [skipped: ${missing.join('; ')}]` : ''}`, () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let dana: TestAccount;
  let danaBase32 = '';
  let admin: TestAccount;
  let adminSecret: Buffer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const port = await freePort();
    // Security keys need a host name: browsers refuse WebAuthn on an IP address.
    base = `http://localhost:${port}`;
    t = await startTestApp(sqlite, { ...MAIL_ENV, HMS_SMTP_URL: smtp.url, HMS_PUBLIC_URL: base });
    await t.app.listen({ port, host: '127.0.0.1' });
    dana = await addAccount(t, 'clinician', 'Dana Scully');
    admin = await addAccount(t, 'admin', 'Walter Skinner');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    await signInAndPair(page, base, t, dana, async (setup) => {
      danaBase32 = (await setup.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
    });
    await page.getByRole('button', { name: 'Sign out' }).first().click();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  /** Both sizes of the current page, each checked for content wider than the phone. */
  async function shoot(name: string) {
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await screenshot(page, `forgot-${name}-${size.name}`);
      if (size.name === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  }

  /** Dana signs in with this password and her app's next code, and lands on the worklist. */
  async function signInWithCode(password: string) {
    await submitLoginForm(page, { email: dana.email, password });
    await page.waitForURL(`${base}/mfa/verify`);
    t.clock.advance(30_000);
    await page.getByLabel('6-digit code').fill(oathtoolCode(danaBase32, t.clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
  }

  async function linkFromMail(): Promise<string> {
    await t.app.mail!.deliverDue();
    const mail = smtp.to(dana.email).filter((m) => m.subject.endsWith('reset your password')).at(-1)!;
    return /(http:\/\/localhost:\d+\/password\/reset\/[\w-]{43})/.exec(mail.text)![1]!;
  }

  it('from the sign-in page to a new password: link from the mail, code from oathtool, then sign-in with it', async () => {
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(`${base}/password/forgot`);
    await expectAccessible(page);
    await shoot('01-request');
    await page.getByLabel('Email').fill(dana.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('If an account uses this address, we sent a link to it.').waitFor();
    await shoot('02-sent');
    const link = await linkFromMail();

    await page.goto(link);
    expect(await page.getByLabel('New password').count()).toBe(0);
    await expectAccessible(page);
    await shoot('03-code');
    // Without the code, the password form's address leads back to the code.
    const csrf = (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
    const skipped = await page.request.post(`${link}/password`, { form: { _csrf: csrf, new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD }, maxRedirects: 0 });
    expect(skipped.status()).toBe(303);
    expect(skipped.headers().location).toBe(new URL(link).pathname);
    await page.goto(link);
    await page.getByRole('link', { name: 'Use a recovery code instead' }).click();
    await shoot('04-recovery-code');
    await page.getByRole('link', { name: 'Use a code from your authenticator app' }).click();
    t.clock.advance(30_000);
    await page.getByLabel('6-digit code').fill(oathtoolCode(danaBase32, t.clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('New password', { exact: true }).waitFor();
    await expectAccessible(page);
    await shoot('05-new-password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.waitForURL(`${base}/login?notice=password-reset`);
    await shoot('06-signed-out');

    await submitLoginForm(page, dana); // the old password no longer works
    await page.getByText('The email or password is not correct').waitFor();
    await signInWithCode(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).first().click();

    // The link is spent.
    await page.goto(link);
    await page.getByText('This password-reset link cannot be used').waitFor();
    await shoot('07-dead-link');
    await t.app.mail!.deliverDue();
    expect(smtp.to(dana.email).map((m) => m.subject)).toContain('Clinique du Lac: Your password was reset');
  });

  it('the console: "Send a password-reset link" and the mail page', async () => {
    adminSecret = await signInAndPair(page, base, t, admin);
    await confirmItsYouIn(page, base, t, adminSecret);
    await page.goto(`${base}/admin/users/${await userIdOf(t.ctx, dana.email)}`);
    await shoot('07b-admin-account');
    await page.getByRole('link', { name: 'Disable account…' }).click();
    await page.getByRole('button', { name: 'Disable account' }).waitFor();
    await expectAccessible(page);
    await shoot('07c-admin-confirm-disable');
    await page.getByRole('link', { name: 'Cancel, keep the account as it is' }).click();
    await page.getByRole('button', { name: 'Send a password-reset link' }).click();
    await page.getByText(`A password-reset link is on its way to ${dana.email}`).waitFor();
    await expectAccessible(page);
    await shoot('08-admin-reset-sent');
    smtp.setDown(true);
    await page.goto(`${base}/admin/invite`);
    await page.getByLabel('Full name').fill('Fox Mulder');
    await page.getByLabel('Email').fill('fox@clinic.example');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await page.getByText('The invitation is on its way to fox@clinic.example by mail').waitFor();
    await shoot('09-admin-invitation-mailed');
    await t.app.mail!.deliverDue();
    await page.goto(`${base}/admin/mail`);
    await page.getByText('fox@clinic.example').waitFor();
    await expectAccessible(page);
    await shoot('10-admin-mail');
    smtp.setDown(false);
  });

  it('with a security key instead of a code: the key (no PIN) signs this link\'s challenge, then the new password', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    // A plain key without PIN: enough for a reset, as the phone's code is (see web/password/routes.tsx).
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true },
    });
    await page.getByRole('button', { name: 'Sign out' }).first().click(); // the administrator of the test before
    await signInWithCode(NEW_PASSWORD);
    await page.goto(`${base}/account/security/keys/new`); // a sign-in with a code is fresh: no step-up
    await page.getByLabel('Name').fill('Virtual key');
    await page.getByRole('button', { name: 'Add security key' }).click();
    await page.waitForURL(`${base}/account/security/keys?done=key-added`);
    await page.getByRole('button', { name: 'Sign out' }).first().click();

    await page.goto(`${base}/password/forgot`);
    await page.getByLabel('Email').fill(dana.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('If an account uses this address, we sent a link to it.').waitFor();
    const link = await linkFromMail();
    await page.goto(link);
    await page.getByRole('link', { name: 'Use a security key' }).click();
    await page.waitForURL(`${link}?with=key`);
    await expectAccessible(page);
    await shoot('04b-security-key');
    await page.getByRole('button', { name: 'Use security key' }).click();
    await page.getByLabel('New password', { exact: true }).waitFor();
    expect(page.url()).toBe(link);
    const password = 'a heron waits by the cold river';
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('New password again').fill(password);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.waitForURL(`${base}/login?notice=password-reset`);
    await submitLoginForm(page, { email: dana.email, password });
    await page.waitForURL(`${base}/mfa/verify`);
    const events = await t.ctx.db.selectFrom('audit_events').select(['event', 'details'])
      .where('subject_user_id', '=', await userIdOf(t.ctx, dana.email)).where('event', '=', 'password.reset_factor_verified').execute();
    expect(events.map((e) => JSON.parse(e.details).second_factor)).toEqual(['totp', 'security_key']);
  });
});
