// Bad input gets a clear 4xx page and changes nothing (issue #2, "Bad input").
import { expect, it } from 'vitest';
import { newToken } from '../../src/auth/tokens.js';
import { MINUTE } from '../../src/clock.js';
import { TestBrowser, type Page } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword, type TestAccount } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';
import type { TestApp } from '../support/test-app.js';

function expectClearRefusal(page: Page, status: number, message: string | RegExp) {
  expect(page.status).toBe(status);
  expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
  expect(page.body).toMatch(message);
  expect(page.body).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
  expect(page.body).not.toMatch(/FST_[A-Z_]+|\b[A-Za-z]+Error\b/); // no internal error names
}

describeOnEachDatabase('bad input is refused clearly and changes nothing', (database) => {
  const t = freshAppPerTest(database);

  /** A browser at the code step of an enrolled account. */
  async function atCodeStep(app: TestApp): Promise<{ browser: TestBrowser; account: TestAccount }> {
    const account = await addAccount(app);
    const browser = new TestBrowser(app.app);
    await enroll(app, browser, account);
    await browser.post('/logout', {});
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    return { browser, account };
  }

  async function expectUnchanged(action: () => Promise<void>) {
    const before = await snapshot(t().ctx);
    await action();
    expect(await snapshot(t().ctx)).toEqual(before);
  }

  it.each([
    ['a missing email', { password: 'whatever password' }, 400, 'Email is missing.'],
    ['a missing password', { email: 'a@b.example' }, 400, 'Password is missing.'],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@b.example`, password: 'x' }, 400, /Email is too long \(at most 254/],
    ['a password over 256 characters', { email: 'a@b.example', password: 'p'.repeat(257) }, 400, /Password is too long/],
    ['an empty email and password', { email: '', password: '' }, 400, 'Enter your email and your password.'],
  ])('login with %s', async (_what, fields, status, message) => {
    await addAccount(t());
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    await expectUnchanged(async () => expectClearRefusal(await browser.post('/login', fields), status, message));
  });

  it('a U+0000 character in a form field, a query or a path (PostgreSQL refuses it in any text)', async () => {
    const NUL_REFUSED = /character that is not allowed \(U\+0000\)/;
    await addAccount(t());
    const visitor = new TestBrowser(t().app);
    await visitor.get('/login');
    await expectUnchanged(async () => expectClearRefusal(await visitor.post('/login', { email: 'a\u0000@b.example', password: 'x' }), 400, NUL_REFUSED));

    const admin = await addAccount(t(), 'admin');
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, admin);
    for (const url of ['/?q=%00', '/patients/%00', '/records/%00', '/admin/users/%00', '/admin/users?q=%00', '/admin/audit?user=%00']) {
      await expectUnchanged(async () => expectClearRefusal(await browser.get(url), 400, NUL_REFUSED));
    }
  });

  it('login with a field given twice', async () => {
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    const page = await browser.request('POST', '/login', `_csrf=${encodeURIComponent(browser.lastPage.match(/name="_csrf" value="([^"]+)"/)![1]!)}&email=a%40b.example&email=c%40d.example&password=x`,
      { 'content-type': 'application/x-www-form-urlencoded' });
    expectClearRefusal(page, 400, 'Email must be text.');
  });

  it.each([['abcdef'], ['12345'], ['1234567'], ['12 34 5'], [''], ['１２３４５６']])('the code %j', async (code) => {
    const { browser } = await atCodeStep(t());
    await expectUnchanged(async () =>
      expectClearRefusal(await browser.post('/mfa/verify', { code }), 400, 'Enter the 6-digit code shown in your authenticator app'));
  });

  it('a code longer than any code could be', async () => {
    const { browser } = await atCodeStep(t());
    await expectUnchanged(async () => expectClearRefusal(await browser.post('/mfa/verify', { code: '1'.repeat(65) }), 400, /The code is too long/));
  });

  it('a remember field that is not a checkbox value', async () => {
    const { browser } = await atCodeStep(t());
    await expectUnchanged(async () =>
      expectClearRefusal(await browser.post('/mfa/verify', { code: '123456', remember: 'yes please' }), 400, /Remember this device must be a checkbox/));
  });

  it('a code for a pending session that expired', async () => {
    const { browser } = await atCodeStep(t());
    t().clock.advance(11 * MINUTE);
    await expectUnchanged(async () =>
      expectClearRefusal(await browser.post('/mfa/verify', { code: '123456' }), 401, 'Your sign-in has expired'));
  });

  it.each([
    ['forged', () => newToken()],
    ['malformed', () => 'garbage;"<script>'],
    ['oversized', () => 'A'.repeat(4000)],
  ])('a %s session cookie', async (_what, value) => {
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    browser.cookies.set('hms_session', value());
    await expectUnchanged(async () => {
      expectClearRefusal(await browser.get('/'), 401, 'Your session has ended');
      browser.cookies.set('hms_session', value());
      expectClearRefusal(await browser.post('/mfa/verify', { code: '123456' }), 401, 'Your sign-in has expired');
      browser.cookies.set('hms_session', value());
      expect((await browser.get('/mfa/verify')).status).toBe(401);
    });
  });

  it('a stale cookie of a signed-out session', async () => {
    const { browser } = await atCodeStep(t());
    const stale = browser.cookies.get('hms_session')!;
    await browser.post('/logout', {});
    browser.cookies.set('hms_session', stale);
    await expectUnchanged(async () => expectClearRefusal(await browser.get('/'), 401, 'Your session has ended'));
  });

  it('a POST without a CSRF token, with a wrong one, or without the CSRF cookie', async () => {
    const { email, password } = await addAccount(t());
    const account = { email, password };
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    await expectUnchanged(async () => {
      expectClearRefusal(await browser.post('/login', { ...account, _csrf: undefined }), 403, 'This form is out of date or did not come from HMS');
      expectClearRefusal(await browser.post('/login', { ...account, _csrf: 'forged-token' }), 403, 'This form is out of date');
      browser.cookies.delete('hms_csrf');
      expectClearRefusal(await browser.post('/login', account), 403, 'its security cookie is missing');
    });
    expect(browser.cookies.has('hms_session')).toBe(false);
  });

  it('a CSRF token from another browser', async () => {
    const { email, password } = await addAccount(t());
    const account = { email, password };
    const attacker = new TestBrowser(t().app);
    await attacker.get('/login');
    const victim = new TestBrowser(t().app);
    await victim.get('/login');
    await expectUnchanged(async () =>
      expectClearRefusal(await victim.post('/login', { ...account, _csrf: /name="_csrf" value="([^"]+)"/.exec(attacker.lastPage)![1] }), 403, 'out of date'));
  });

  it('a body over 64 KiB', async () => {
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    await expectUnchanged(async () =>
      expectClearRefusal(await browser.post('/login', { email: 'a@b.example', password: 'x'.repeat(70 * 1024) }), 413, 'larger than 64 KiB'));
  });

  it('a body of an unsupported type, JSON included (no form needs it)', async () => {
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    await expectUnchanged(async () => {
      expectClearRefusal(await browser.request('POST', '/login', '<xml/>', { 'content-type': 'application/xml' }), 415, 'HTML forms');
      expectClearRefusal(await browser.request('POST', '/login', '{"email":"a@b.example"}', { 'content-type': 'application/json' }), 415, 'HTML forms');
    });
  });

  it.each([['/setup/%ZZ', 400, 'cannot be read'], ['/%', 400, 'cannot be read'], [`/setup/${'a'.repeat(150)}`, 414, 'longer than any HMS link']] as const)(
    'an unreadable or overlong address %s', async (url, status, message) => {
      const page = await new TestBrowser(t().app).get(url);
      expectClearRefusal(page, status, message);
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['cache-control']).toBe('no-store');
    });

  it('a method no route answers gets 404, not a CSRF refusal', async () => {
    const page = await t().app.inject({ method: 'DELETE', url: '/' });
    expect(page.statusCode).toBe(404);
  });

  it('an unknown page', async () => {
    expectClearRefusal(await new TestBrowser(t().app).get('/no/such/page'), 404, 'There is no page at this address');
  });

  it('the MFA pages without having entered a password', async () => {
    const browser = new TestBrowser(t().app);
    expect((await browser.get('/mfa/verify')).location).toBe('/login');
    expect((await browser.get('/mfa/setup')).location).toBe('/login');
    await browser.get('/login');
    await expectUnchanged(async () => expectClearRefusal(await browser.post('/mfa/setup', { code: '123456' }), 401, 'Sign in to continue'));
  });
});
