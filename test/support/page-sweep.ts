// Every page of HMS a person reaches, walked in Chromium on the demo clinic, forms with errors
// included: the list the 390 px sweep and the pseudo-language sweep share. The walk finds fields and
// buttons by id, name and form action, never by their words, so it runs the same in any language;
// `check` is called once on each page it reaches, under a stable name.
import type { BrowserContext, Page } from 'playwright-core';
import { codeAt } from '../../src/auth/totp.js';
import type { createDemo } from '../../src/demo.js';
import { base32ToBuffer } from './sign-in.js';
import type { TestApp } from './test-app.js';

export type Demo = Awaited<ReturnType<typeof createDemo>>;
type DemoAccount = Demo['accounts'][number];

export interface Sweep {
  base: string;
  t: TestApp;
  demo: Demo;
  /** A fresh browser context (viewport, cookies of the sweep's language). */
  newContext(): Promise<BrowserContext>;
  /** Called on each page once it is shown; `name` is the same in every language. */
  check(page: Page, name: string): Promise<void>;
}

/** What the signed-in part leaves behind: the administrator's cookies, for a later test. */
export interface SweepResult {
  adminState: Awaited<ReturnType<BrowserContext['storageState']>>;
}

export async function visit(sweep: Sweep, page: Page, path: string, name = path): Promise<void> {
  await page.goto(`${sweep.base}${path}`);
  await sweep.check(page, name);
}

/** Clicks the submit button of the form that posts to `action`. */
export async function submitForm(page: Page, action: string): Promise<void> {
  await page.locator(`form[action="${action}"] button[type="submit"]`).first().click();
}

export async function submitPassword(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.locator('#email').fill(account.email);
  await page.locator('#password').fill(account.password);
  await submitForm(page, '/login');
}

/**
 * First sign-in: password, pairing with the key the page shows (its code as an app computes it),
 * recovery codes saved; ends on the worklist. `onSetupPage` runs on the pairing page first.
 */
export async function signInAndPairAnyLanguage(sweep: Sweep, page: Page, account: { email: string; password: string },
  onSetupPage?: (page: Page) => Promise<void>): Promise<Buffer> {
  const { base, t } = sweep;
  await page.goto(`${base}/login`);
  await submitPassword(page, account);
  await page.waitForURL(`${base}/mfa/setup`);
  await onSetupPage?.(page);
  const secret = base32ToBuffer((await page.locator('#totp-secret').textContent())!.replace(/\s+/g, ''));
  await page.locator('#code').fill(codeAt(secret, t.clock.now()));
  await submitForm(page, '/mfa/setup');
  await page.waitForURL(/\/account\/security\/recovery-codes\/new/);
  await sweep.check(page, '/account/security/recovery-codes/new (after pairing)');
  await page.locator('#saved').check();
  await submitForm(page, '/account/security/recovery-codes/saved');
  await page.waitForURL(`${base}/`);
  return secret;
}

/** Step-up: a fresh code on /verify-again (the clock moved one step first, so the code is new). */
export async function confirmItsYouAnyLanguage(sweep: Sweep, page: Page, secret: Buffer): Promise<void> {
  const { base, t } = sweep;
  t.clock.advance(30_000);
  await page.goto(`${base}/verify-again`);
  await page.locator('#code').fill(codeAt(secret, t.clock.now()));
  await submitForm(page, '/verify-again');
  await page.waitForURL(`${base}/`);
}

export const accountNamed = (demo: Demo, name: string): DemoAccount => demo.accounts.find((a) => a.name === name)!;
export const adminOf = (demo: Demo): DemoAccount => demo.accounts.find((a) => a.role === 'admin')!;

/** Signed out: sign-in and its error, dead links, pairing (Fox Mulder's), the code step and its error. */
export async function sweepSignedOut(sweep: Sweep): Promise<void> {
  const { base, demo } = sweep;
  const context = await sweep.newContext();
  const page = await context.newPage();
  await visit(sweep, page, '/login');
  await submitPassword(page, { email: 'nobody@demo.hms.example', password: 'wrong password here' });
  await sweep.check(page, '/login (wrong password)');
  await visit(sweep, page, '/setup/not-a-token', '/setup/… (dead link)');
  await visit(sweep, page, '/invite/not-a-token', '/invite/… (dead link)');
  await signInAndPairAnyLanguage(sweep, page, accountNamed(demo, 'Fox Mulder'), async (setup) => {
    await sweep.check(setup, '/mfa/setup');
    await setup.locator('#code').fill('000000');
    await submitForm(setup, '/mfa/setup');
    await sweep.check(setup, '/mfa/setup (wrong code)');
  });
  await context.close();
  // The second factor of an account that has one: the verify page and its error.
  const again = await sweep.newContext();
  const second = await again.newPage();
  await second.goto(`${base}/login`);
  await submitPassword(second, accountNamed(demo, 'Fox Mulder'));
  await second.waitForURL(/\/mfa\/verify/);
  await sweep.check(second, '/mfa/verify');
  await second.locator('#code').fill('12');
  await submitForm(second, '/mfa/verify');
  await sweep.check(second, '/mfa/verify (malformed code)');
  await visit(sweep, second, '/mfa/recovery');
  await again.close();
}

/** Signed in, as a clinician (Dana Scully) and as the administrator: every page, and forms with errors. */
export async function sweepSignedIn(sweep: Sweep): Promise<SweepResult> {
  const { demo } = sweep;
  const clinician = await sweep.newContext();
  const admin = await sweep.newContext();
  const [c, a] = [await clinician.newPage(), await admin.newPage()];
  const clinicianSecret = await signInAndPairAnyLanguage(sweep, c, accountNamed(demo, 'Dana Scully'));
  const adminSecret = await signInAndPairAnyLanguage(sweep, a, adminOf(demo));

  await sweep.check(c, '/ (worklist)');
  for (const filter of ['?filter=flagged', '?sort=name']) await visit(sweep, c, `/${filter}`);
  const patientPath = new URL(await c.locator('table.worklist tbody tr td a').first().evaluate((link: HTMLAnchorElement) => link.href)).pathname;
  await visit(sweep, c, patientPath, '/patients/:id');
  await submitForm(c, `${patientPath}/records`);
  await sweep.check(c, '/patients/:id (import without a file)');
  const recordPath = new URL(await c.locator('table.data-table tbody tr td a').first().evaluate((link: HTMLAnchorElement) => link.href)).pathname;
  await visit(sweep, c, recordPath, '/records/:id');
  await visit(sweep, c, `${recordPath}?from=2026-11-22T22:00:00-05:00&to=2026-11-23T01:00:00-05:00`, '/records/:id?from=&to=');
  await visit(sweep, c, `${recordPath}/delete`, '/records/:id/delete');
  await visit(sweep, c, `${patientPath}/rules`, '/patients/:id/rules');
  await visit(sweep, c, `${patientPath}/edit`, '/patients/:id/edit');
  await c.locator('#date_of_birth').fill('2099-01-01');
  await submitForm(c, `${patientPath}/edit`);
  await sweep.check(c, '/patients/:id/edit (date in the future)');
  for (const path of ['/account/security', '/account/security/password', '/account/security/authenticator', '/account/security/recovery-codes',
    '/account/security/keys', '/account/security/sessions', '/account/security/devices', '/account/preferences', '/verify-again']) await visit(sweep, c, path);
  await confirmItsYouAnyLanguage(sweep, c, clinicianSecret);
  await visit(sweep, c, '/account/security/password');
  await c.locator('#current_password').fill('not my password at all');
  await c.locator('#new_password').fill('short');
  await c.locator('#new_password_again').fill('different');
  await submitForm(c, '/account/security/password');
  await sweep.check(c, '/account/security/password (errors)');
  await visit(sweep, c, '/no/such/page', '404 page');

  await visit(sweep, a, '/', '/ (worklist, admin)');
  await confirmItsYouAnyLanguage(sweep, a, adminSecret);
  for (const path of ['/patients/new', '/admin', '/admin/rules', '/admin/users', '/admin/invite', '/admin/audit', '/admin/audit?event=sign_in.succeeded']) {
    await visit(sweep, a, path, `${path} (admin)`);
  }
  await visit(sweep, a, patientPath, '/patients/:id (admin, with the care team)');
  await visit(sweep, a, `${patientPath}/delete`, '/patients/:id/delete (admin)');
  await visit(sweep, a, '/patients/new', '/patients/new (admin)');
  await submitForm(a, '/patients');
  await sweep.check(a, '/patients/new (empty form)');
  await visit(sweep, a, '/admin/users');
  await a.locator('table.data-table tbody tr a').first().click();
  await sweep.check(a, '/admin/users/:id');
  await visit(sweep, a, '/admin/invite', '/admin/invite (admin)');
  await a.locator('#name').fill('New Person');
  await a.locator('#email').fill('not an email');
  await submitForm(a, '/admin/invite');
  await sweep.check(a, '/admin/invite (invalid email)');
  await visit(sweep, a, '/admin', '/admin (header)');

  const adminState = await admin.storageState();
  await clinician.close();
  await admin.close();
  return { adminState };
}
