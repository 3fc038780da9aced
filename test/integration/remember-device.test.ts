// "Remember this device for 30 days" (DESIGN.md §1, issue #2 item 6).
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { DAY, SECOND } from '../../src/clock.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, signInWithCode, submitPassword } from '../support/sign-in.js';
import { startTestApp } from '../support/test-app.js';

describeOnEachDatabase('remember this device for 30 days', (database) => {
  const t = freshAppPerTest(database);

  async function rememberedBrowser() {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    const done = await signInWithCode(t(), browser, account, true);
    expect(done.location).toBe('/');
    await browser.post('/logout', {});
    return { account, browser };
  }

  it('sets an HttpOnly, SameSite=Lax cookie that lives 30 days', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    const done = await enroll(t(), browser, account, true);
    const cookie = done.setCookies.find((c) => c.name === 'hms_device');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 30 * 24 * 3600 });
    expect(cookie!.value).toMatch(/^[\w-]{43}$/);
  });

  it('skips the code step, never the password', async () => {
    const { account, browser } = await rememberedBrowser();
    const skipped = await submitPassword(browser, account);
    expect(skipped.location).toBe('/');
    expect((await browser.get('/')).status).toBe(200);
    await browser.post('/logout', {});
    await browser.get('/login');
    const wrong = await browser.post('/login', { email: account.email, password: 'wrong password, remembered device' });
    expect(wrong.status).toBe(401);
    expect((await browser.get('/')).status).not.toBe(200);
  });

  it('still works 30 days minus 1 second after it was ticked, and not 1 second after 30 days', async () => {
    const { account, browser } = await rememberedBrowser();
    const rememberedAt = t().clock.now();
    t().clock.set(rememberedAt + 30 * DAY - SECOND);
    expect((await submitPassword(browser, account)).location).toBe('/');
    await browser.post('/logout', {});
    t().clock.set(rememberedAt + 30 * DAY + SECOND);
    expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
  });

  it('is not extended by use: 30 days from when it was ticked, not from the last sign-in', async () => {
    const { account, browser } = await rememberedBrowser();
    const rememberedAt = t().clock.now();
    for (const day of [10, 20, 29]) {
      t().clock.set(rememberedAt + day * DAY);
      expect((await submitPassword(browser, account)).location).toBe('/');
      await browser.post('/logout', {});
    }
    t().clock.set(rememberedAt + 30 * DAY + SECOND);
    expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
  });

  it('another account on the same browser is still asked for its code; both accounts may remember it', async () => {
    const { account: first, browser } = await rememberedBrowser();
    const second = await addAccount(t(), 'clinician', 'Second User');
    await enroll(t(), browser, second);
    await browser.post('/logout', {});
    expect((await submitPassword(browser, second)).location).toBe('/mfa/verify');
    t().clock.advance(30_000);
    await browser.get('/mfa/verify');
    expect((await browser.post('/mfa/verify', { code: codeAt(second.secret!, t().clock.now()), remember: 'on' })).location).toBe('/');
    await browser.post('/logout', {});
    expect(browser.cookies.get('hms_device')!.split('.')).toHaveLength(2);
    expect((await submitPassword(browser, first)).location).toBe('/');
    await browser.post('/logout', {});
    expect((await submitPassword(browser, second)).location).toBe('/');
  });

  it("one account's device cookie copied to another browser does not help a different account", async () => {
    const { browser } = await rememberedBrowser();
    const other = await addAccount(t());
    const otherBrowser = new TestBrowser(t().app);
    await enroll(t(), otherBrowser, other);
    await otherBrowser.post('/logout', {});
    otherBrowser.cookies.set('hms_device', browser.cookies.get('hms_device')!);
    expect((await submitPassword(otherBrowser, other)).location).toBe('/mfa/verify');
  });

  it('a tampered device cookie is ignored: the code is asked for', async () => {
    const { account, browser } = await rememberedBrowser();
    const token = browser.cookies.get('hms_device')!;
    for (const tampered of [`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'x'.repeat(43), `${token}!`, '']) {
      browser.cookies.set('hms_device', tampered);
      expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
    }
  });

  it('survives a server restart: the next instance on the same database honours it', async () => {
    const { account, browser } = await rememberedBrowser();
    const restarted = await startTestApp(database, {}, t().database);
    try {
      restarted.clock.set(t().clock.now() + DAY);
      const after = new TestBrowser(restarted.app);
      after.cookies.set('hms_device', browser.cookies.get('hms_device')!);
      expect((await submitPassword(after, account)).location).toBe('/');
    } finally {
      await restarted.close();
    }
  });

  it('is stored as a hash: the table does not hold the cookie value', async () => {
    const { browser } = await rememberedBrowser();
    const token = browser.cookies.get('hms_device')!;
    const rows = await t().ctx.db.selectFrom('remembered_devices').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
