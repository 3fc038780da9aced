// Every page of HMS at 390 × 844, as a clinician and as an administrator, forms with errors
// included: none may be wider than the screen. The header folds into a menu that works without
// JavaScript, and pairing on a phone offers the otpauth:// link without scrolling past the QR code.
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/demo.js';
import { expectAccessible, launchChromium, screenshot, submitLoginForm } from '../support/chromium.js';
import { confirmItsYouIn, signInAndPair } from '../support/chromium-session.js';
import { sqlite } from '../support/databases.js';
import { chromium } from '../support/requirements.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = chromium();
// Not isMobile: a mobile viewport zooms out to fit a page that is too wide, and would hide the overflow.
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true };
// The patient list is being rewritten into the triage worklist (issue 13); it is swept with the
// rest, and listed here only while it overflows on this branch.
describe.skipIf(!needs.available)(`every page at 390 px${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let demo: Awaited<ReturnType<typeof createDemo>>;
  let adminState: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;
  const overflowing: string[] = [];
  const visited: string[] = [];

  async function check(page: Page, name: string) {
    // The record page's charts arrive by script: wait for the network to settle, briefly.
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => page.waitForLoadState('load'));
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    visited.push(name);
    if (scrollWidth > innerWidth) overflowing.push(`${name}: ${scrollWidth} px`);
  }

  async function visit(page: Page, path: string, name = path) {
    await page.goto(`${base}${path}`);
    await check(page, name);
  }

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_TIME_ZONE: 'America/Montreal' });
    demo = await createDemo(t.ctx);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signed out: sign-in, its error, and pairing (the app link, the page opening at its heading)', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await visit(page, '/login');
    await submitLoginForm(page, { email: 'nobody@demo.hms.example', password: 'wrong password here' });
    await check(page, '/login (wrong password)');
    await visit(page, '/setup/not-a-token', '/setup/… (dead link)');
    await visit(page, '/invite/not-a-token', '/invite/… (dead link)');
    const mulder = demo.accounts.find((a) => a.name === 'Fox Mulder')!;
    await signInAndPair(page, base, t, mulder, async (setup) => {
      await check(setup, '/mfa/setup');
      expect(await setup.evaluate(() => window.scrollY)).toBe(0);
      expect(await setup.locator('h1').boundingBox().then((box) => box!.y)).toBeLessThan(200);
      expect(await setup.getByRole('link', { name: 'Open in authenticator app' }).getAttribute('href')).toMatch(/^otpauth:\/\/totp\/HMS:mulder%40demo\.hms\.example\?(.+&)?secret=[A-Z2-7]{32}(&|$)/);
      await expectAccessible(setup);
      await screenshot(setup, '40-pairing-390');
      await setup.getByLabel('6-digit code').fill('000000');
      await setup.getByRole('button', { name: 'Continue' }).click();
      await check(setup, '/mfa/setup (wrong code)');
    });
    await context.close();
    // The second factor of an account that has one: the verify page and its error.
    const again = await browser.newContext(PHONE);
    const second = await again.newPage();
    await second.goto(`${base}/login`);
    await submitLoginForm(second, mulder);
    await second.waitForURL(/\/mfa\/verify/);
    await check(second, '/mfa/verify');
    await second.getByLabel('6-digit code').fill('12');
    await second.getByRole('button', { name: 'Continue' }).click();
    await check(second, '/mfa/verify (malformed code)');
    await visit(second, '/mfa/recovery');
    await again.close();
  });

  it('as a clinician and as an administrator, every page and form with errors fits the screen', async () => {
    const clinician = await browser.newContext(PHONE);
    const admin = await browser.newContext(PHONE);
    const [c, a] = [await clinician.newPage(), await admin.newPage()];
    const clinicianSecret = await signInAndPair(c, base, t, demo.accounts.find((x) => x.name === 'Dana Scully')!);
    const adminSecret = await signInAndPair(a, base, t, demo.accounts.find((x) => x.role === 'admin')!);

    await check(c, '/ (worklist)');
    for (const filter of ['?filter=flagged', '?sort=name']) await visit(c, `/${filter}`);
    const patientPath = new URL(await c.locator('table.worklist tbody tr td a').first().evaluate((link: HTMLAnchorElement) => link.href)).pathname;
    await visit(c, patientPath, '/patients/:id');
    await expectAccessible(c);
    await screenshot(c, '41-patient-390');
    await c.getByRole('button', { name: 'Import' }).click();
    await check(c, '/patients/:id (import without a file)');
    const recordPath = new URL(await c.locator('table.data-table tbody tr td a').first().evaluate((link: HTMLAnchorElement) => link.href)).pathname;
    await visit(c, recordPath, '/records/:id');
    await visit(c, `${recordPath}?from=2026-11-22T22:00:00-05:00&to=2026-11-23T01:00:00-05:00`, '/records/:id?from=&to=');
    await visit(c, `${recordPath}/delete`, '/records/:id/delete');
    await visit(c, `${patientPath}/rules`, '/patients/:id/rules');
    await visit(c, `${patientPath}/edit`, '/patients/:id/edit');
    await c.getByLabel('Date of birth').fill('2099-01-01');
    await c.getByRole('button', { name: 'Save changes' }).click();
    await check(c, '/patients/:id/edit (date in the future)');
    expect(await c.evaluate(() => document.activeElement?.id)).toBe('date_of_birth');
    expect(await c.getByLabel('Date of birth').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(c);
    await screenshot(c, '42-patient-edit-error-390');
    for (const path of ['/account/security', '/account/security/password', '/account/security/authenticator', '/account/security/recovery-codes',
      '/account/security/keys', '/account/security/sessions', '/account/security/devices', '/verify-again']) await visit(c, path);
    await confirmItsYouIn(c, base, t, clinicianSecret);
    await visit(c, '/account/security/password');
    await c.getByLabel('Current password').fill('not my password at all');
    await c.getByLabel('New password', { exact: true }).fill('short');
    await c.getByLabel('New password again').fill('different');
    await c.getByRole('button', { name: /Change password/ }).click();
    await check(c, '/account/security/password (errors)');
    await visit(c, '/no/such/page', '404 page');

    await visit(a, '/', '/ (worklist, admin)');
    await confirmItsYouIn(a, base, t, adminSecret);
    for (const path of ['/patients/new', '/admin', '/admin/rules', '/admin/users', '/admin/invite', '/admin/audit', '/admin/audit?event=sign_in.succeeded']) {
      await visit(a, path, `${path} (admin)`);
    }
    await visit(a, patientPath, '/patients/:id (admin, with the care team)');
    await visit(a, `${patientPath}/delete`, '/patients/:id/delete (admin)');
    await expectAccessible(a);
    await screenshot(a, '43-patient-admin-390');
    await visit(a, '/patients/new', '/patients/new (admin)');
    await a.getByRole('button', { name: 'Add patient' }).click();
    await check(a, '/patients/new (empty form)');
    expect(await a.evaluate(() => document.activeElement?.id)).toBe('name');
    await visit(a, '/admin/users');
    await a.locator('table.data-table tbody tr a').first().click();
    await check(a, '/admin/users/:id');
    await screenshot(a, '44-admin-user-390');
    await visit(a, '/admin/invite', '/admin/invite (admin)');
    await a.getByLabel('Full name').fill('New Person');
    await a.getByLabel('Email').fill('not an email');
    await a.getByRole('button', { name: 'Create invitation' }).click();
    await check(a, '/admin/invite (invalid email)');
    await visit(a, '/admin', '/admin (header)');
    await expectAccessible(a);
    await screenshot(a, '45-admin-390');

    adminState = await admin.storageState();
    console.log(`390 px sweep: ${visited.length} pages; wider than the screen: ${overflowing.join("; ") || "none"}`);
    expect(visited.length).toBeGreaterThan(30);
    expect(overflowing).toEqual([]);
    await clinician.close();
    await admin.close();
  });

  it('the header folds into a menu that opens and works without JavaScript', async () => {
    expect(adminState).toBeDefined();
    const plain = await browser.newContext({ ...PHONE, javaScriptEnabled: false, storageState: adminState });
    const noScript = await plain.newPage();
    await noScript.goto(`${base}/admin`);
    expect(await noScript.locator('.site-nav').isVisible()).toBe(false);
    expect(await noScript.getByRole('link', { name: 'Account security' }).isVisible()).toBe(false);
    await noScript.getByText('Menu', { exact: true }).click();
    await screenshot(noScript, '46-menu-open-390');
    await noScript.getByRole('link', { name: 'Account security' }).click();
    await noScript.waitForURL(`${base}/account/security`);
    await noScript.getByText('Menu', { exact: true }).click();
    expect(await noScript.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await plain.close();
  });
});
