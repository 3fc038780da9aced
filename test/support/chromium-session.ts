// A signed-in Chromium page as a person gets one: password, pairing with the QR code's key (the
// code computed as an app would), recovery codes saved. For browser tests that start after sign-in.
import type { Page } from 'playwright-core';
import { codeAt } from '../../src/auth/totp.js';
import { submitLoginForm } from './chromium.js';
import { base32ToBuffer } from './sign-in.js';
import type { TestApp } from './test-app.js';

export async function signInAndPair(page: Page, base: string, t: TestApp, account: { email: string; password: string },
  onSetupPage?: (page: Page) => Promise<void>): Promise<Buffer> {
  await page.goto(`${base}/login`);
  await submitLoginForm(page, account);
  await page.waitForURL(`${base}/mfa/setup`);
  await onSetupPage?.(page);
  const secret = base32ToBuffer((await page.locator('#totp-secret').textContent())!.replace(/\s+/g, ''));
  await page.getByLabel('6-digit code').fill(codeAt(secret, t.clock.now()));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/account\/security\/recovery-codes\/new/);
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${base}/`);
  return secret;
}

/** Step-up in the browser: a fresh code on /verify-again (a first pairing is none). Moves the clock one step first. */
export async function confirmItsYouIn(page: Page, base: string, t: TestApp, secret: Buffer): Promise<void> {
  t.clock.advance(30_000);
  await page.goto(`${base}/verify-again`);
  await page.getByLabel('6-digit code').fill(codeAt(secret, t.clock.now()));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${base}/`);
}
