// "Send again" on the console's mail page in Chromium (issue #15): a failed security notice, the
// button on its row, the notice after it, the page accessible at desktop and phone widths.
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setEnabled } from '../../src/auth/support.js';
import { GIVE_UP_AFTER } from '../../src/mail/outbox.js';
import { expectAccessible, launchChromium, screenshot } from '../support/chromium.js';
import { confirmItsYouIn, signInAndPair } from '../support/chromium-session.js';
import { sqlite } from '../support/databases.js';
import { userIdOf } from '../support/health.js';
import { MAIL_ENV } from '../support/mail.js';
import { chromium } from '../support/requirements.js';
import { addAccount } from '../support/sign-in.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = chromium();

describe.skipIf(!needs.available)(`sending failed mail again in Chromium${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(sqlite, { ...MAIL_ENV, HMS_SMTP_URL: smtp.url });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  /** A clinician disabled while SMTP is down: the notice to them is tried until it is given up; with how many failed then. */
  async function accountWithFailedNotice(name: string) {
    const account = await addAccount(t, 'clinician', name);
    await setEnabled(t.ctx, { via: 'cli' }, await userIdOf(t.ctx, account.email), false);
    smtp.setDown(true);
    await t.app.mail!.deliverDue();
    t.clock.advance(GIVE_UP_AFTER);
    return { account, failed: (await t.app.mail!.deliverDue()).failed };
  }

  it('a failed notice shows "Send again"; pressing it queues it, says so, and the mail arrives once', async () => {
    const { account: dana, failed } = await accountWithFailedNotice('Dana Scully');
    expect(failed).toBe(1);
    // Back up before the button is pressed: the sender also polls on its own (real time), and a
    // poll while still down would push the queued message past this test's (manual) clock.
    smtp.setDown(false);

    const admin = await addAccount(t, 'admin', 'Walter Skinner');
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    const secret = await signInAndPair(page, base, t, admin);
    await confirmItsYouIn(page, base, t, secret);
    await page.goto(`${base}/admin/mail`);
    await expectAccessible(page);
    await screenshot(page, 'mail-resend-failed');
    await page.getByRole('button', { name: `Send again: security notice to ${dana.email}` }).click();
    await page.waitForURL(`${base}/admin/mail?done=resent`);
    expect(await page.locator('#mail-notice').textContent()).toContain('The message is queued again');
    await expectAccessible(page);
    await screenshot(page, 'mail-resend-done');

    await t.app.mail!.deliverDue();
    expect(smtp.to(dana.email).map((mail) => mail.subject)).toEqual(['Clinique du Lac: Your account was disabled']);
  });

  it('on a phone, the failed row and its button fit the page', async () => {
    const { account: fox } = await accountWithFailedNotice('Fox Mulder');
    const admin = await addAccount(t, 'admin', 'Monica Reyes');
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await signInAndPair(page, base, t, admin);
    await page.goto(`${base}/admin/mail`);
    expect(await page.getByRole('button', { name: `Send again: security notice to ${fox.email}` }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'mail-resend-phone');
  });
});
