// HMS in French in a real Chromium (issue 16): a browser set to fr-CA signs in end to end in
// French (QR pairing, code, remembered device), axe-core finds nothing on any French page; the
// language switch works without JavaScript and is kept in a cookie; an account's saved language
// beats the browser's English.
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQr, expectAccessible, launchChromium, oathtoolCode, screenshot } from '../support/chromium.js';
import { signInAndPair } from '../support/chromium-session.js';
import { sqlite } from '../support/databases.js';
import { chromium, command } from '../support/requirements.js';
import { addAccount, type TestAccount } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = [chromium(), command('zbarimg', 'zbar-tools'), command('oathtool', 'oathtool')];
const missing = needs.filter((r) => !r.available).map((r) => r.reason);

describe.skipIf(missing.length > 0)(`HMS in French in Chromium${missing.length ? ` [skipped: ${missing.join('; ')}]` : ''}`, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let dana: TestAccount & { base32?: string };

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_SUPPORT_PHONE: '+1 555 0100' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    dana = await addAccount(t, 'clinician', 'Dana Scully');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  // Read as an attribute, not by script: one of the browsers below has JavaScript turned off.
  const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

  /** A page answered in Canadian French, with nothing for axe-core to object to. */
  async function expectFrench(page: Page, name: string) {
    expect(await htmlLang(page), `<html lang> of ${page.url()}`).toBe('fr-CA');
    await screenshot(page, `60-fr-${name}`);
    await expectAccessible(page);
  }

  describe('a browser set to fr-CA', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      // The context's locale is what Chromium sends as Accept-Language (and navigator.language).
      context = await browser.newContext({ locale: 'fr-CA', viewport: { width: 1100, height: 900 } });
      page = await context.newPage();
    });

    afterAll(async () => {
      await context?.close();
    });

    async function signInWithPassword() {
      await page.goto(`${base}/login`);
      await page.getByLabel('Courriel').fill(dana.email);
      await page.getByLabel('Mot de passe').fill(dana.password);
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      await page.waitForLoadState();
    }

    async function signOut() {
      await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
      await page.waitForURL(`${base}/login?notice=signed-out`);
    }

    it('sends fr-CA, and the sign-in page answers in French: Courriel, Mot de passe, Continuer', async () => {
      expect(await page.evaluate(() => navigator.language)).toBe('fr-CA');
      await page.goto(`${base}/login`);
      await expectFrench(page, 'login');
      expect(await page.getByLabel('Courriel').getAttribute('type')).toBe('email');
      expect(await page.getByLabel('Mot de passe').getAttribute('type')).toBe('password');
      expect(await page.getByRole('button', { name: 'Continuer', exact: true }).isVisible()).toBe(true);
      // The switch offers English, named in English and marked as such for a screen reader.
      const english = page.getByRole('link', { name: 'English' });
      expect(await english.getAttribute('lang')).toBe('en');
    });

    it('first sign-in: pairing in French, the QR code holding the key shown as text, a code from oathtool', async () => {
      await signInWithPassword();
      await page.waitForURL(`${base}/mfa/setup`);
      await expectFrench(page, 'mfa-setup');
      const uri = new URL(decodeQr(await page.locator('#totp-qr').screenshot()));
      const shown = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
      expect(uri.protocol).toBe('otpauth:');
      expect(decodeURIComponent(uri.pathname)).toBe(`/HMS:${dana.email}`);
      expect(uri.searchParams.get('issuer')).toBe('HMS');
      expect(uri.searchParams.get('secret')).toBe(shown);
      dana.base32 = shown;
      await page.locator('#code').fill(oathtoolCode(shown, t.clock.now()));
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      // The recovery codes, once, then the worklist.
      await page.waitForURL(/\/account\/security\/recovery-codes\/new/);
      await expectFrench(page, 'recovery-codes-new');
      await page.locator('#saved').check();
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      await page.waitForURL(`${base}/`);
      await expectFrench(page, 'worklist');
      expect(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Sécurité du compte' }).isVisible()).toBe(true);
    });

    it('a later sign-in: "Vérifiez votre identité", "Se souvenir de cet appareil pendant 30 jours" ticked, then the worklist', async () => {
      await signOut();
      await expectFrench(page, 'login-signed-out');
      await signInWithPassword();
      await page.waitForURL(`${base}/mfa/verify`);
      expect(await page.title()).toBe('Vérifiez votre identité · HMS');
      expect(await page.locator('h1').textContent()).toBe('Vérifiez votre identité');
      await expectFrench(page, 'mfa-verify');
      t.clock.advance(30_000);
      await page.locator('#code').fill(oathtoolCode(dana.base32!, t.clock.now()));
      const remember = page.getByLabel('Se souvenir de cet appareil pendant 30 jours');
      await remember.check();
      expect(await remember.isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      await page.waitForURL(`${base}/`);
      await expectFrench(page, 'worklist-again');
      expect((await context.cookies(base)).some((c) => c.name === 'hms_device')).toBe(true);
    });

    it('the remembered browser signs in again with the password alone, in French', async () => {
      await signOut();
      await signInWithPassword();
      await page.waitForURL(`${base}/`);
      expect(await htmlLang(page)).toBe('fr-CA');
      expect(await page.getByRole('button', { name: 'Se déconnecter' }).first().isVisible()).toBe(true);
    });
  });

  it('the language switch works without JavaScript, and a cookie keeps the choice on the next page', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'en-CA' });
    try {
      const page = await noScript.newPage();
      await page.goto(`${base}/login`);
      expect(await htmlLang(page)).toBe('en');
      expect(await page.getByRole('button', { name: 'Continue', exact: true }).isVisible()).toBe(true);
      await page.getByRole('link', { name: 'Français' }).click();
      await page.waitForURL(`${base}/login`);
      expect(await htmlLang(page)).toBe('fr-CA');
      expect(await page.getByLabel('Courriel').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Continuer', exact: true }).isVisible()).toBe(true);
      const cookie = (await noScript.cookies(base)).find((c) => c.name === 'hms_lang');
      expect(cookie?.value).toBe('fr');
      // The next page, reached by the sign-in page's link, is French too: the cookie, not the browser's English.
      await page.locator('main a[href="/password/forgot"]').click();
      await page.waitForURL(`${base}/password/forgot`);
      expect(await htmlLang(page)).toBe('fr-CA');
      expect(await page.locator('footer').textContent()).toContain('Besoin d’aide?');
      // And back to English the same way.
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(`${base}/password/forgot`);
      expect(await htmlLang(page)).toBe('en');
    } finally {
      await noScript.close();
    }
  });

  it('a language saved on /account/preferences beats the browser\'s English, and the switch\'s cookie', async () => {
    const fox = await addAccount(t, 'clinician', 'Fox Mulder');
    const english = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
    try {
      const page = await english.newPage();
      t.clock.advance(30_000);
      await signInAndPair(page, base, t, fox);
      expect(await htmlLang(page)).toBe('en');
      await page.goto(`${base}/account/preferences`);
      await page.getByLabel('Français').check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(`${base}/account/preferences?saved=1`);
      await expectFrench(page, 'preferences-saved');
      expect(await page.getByLabel('Français').isChecked()).toBe(true);
      await page.goto(`${base}/`);
      expect(await htmlLang(page)).toBe('fr-CA');
      // The switch's cookie says English: the account's choice still wins once signed in.
      await english.addCookies([{ name: 'hms_lang', value: 'en', url: base }]);
      await page.goto(`${base}/account/security`);
      expect(await htmlLang(page)).toBe('fr-CA');
      await expectAccessible(page);
    } finally {
      await english.close();
    }
  });
});
