// The sign-in a user sees (DESIGN.md §1, issue #2), through HTTP on a real database.
import { expect, it } from 'vitest';
import { deleteEndedSessions } from '../../src/auth/sessions.js';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { headingOf, TestBrowser, textById } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, secretFromSetupPage, signInWithCode, submitPassword } from '../support/sign-in.js';

const AFTER_ENROLLMENT = `/account/security/recovery-codes/new?next=${encodeURIComponent('/')}`;

describeOnEachDatabase('sign-in with password and authenticator code', (database) => {
  const t = freshAppPerTest(database);

  it('the login page asks for email and password with a Continue button', async () => {
    const page = await new TestBrowser(t().app).get('/login');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<input[^>]*name="email"/);
    expect(page.body).toMatch(/<input[^>]*name="password"[^>]*type="password"/);
    expect(page.body).toMatch(/<button type="submit"[^>]*>Continue<\/button>/);
  });

  it('a wrong password and an unknown email get the same message, and the form keeps the email', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    const wrongPassword = await browser.post('/login', { email: account.email, password: 'not the password at all' });
    const unknownEmail = await browser.post('/login', { email: 'nobody@clinic.example', password: account.password });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(textById(wrongPassword.body, 'login-error')).toBe(textById(unknownEmail.body, 'login-error'));
    expect(textById(wrongPassword.body, 'login-error')).toMatch(/email or password is not correct/);
    expect(wrongPassword.body).toContain(`value="${account.email}"`);
    expect(unknownEmail.body).toContain('value="nobody@clinic.example"');
    expect(browser.cookies.has('hms_session')).toBe(false);
  });

  it('the password is checked exactly as typed: no trimming, no case folding', async () => {
    const account = await addAccount(t());
    for (const variant of [` ${account.password}`, `${account.password} `, account.password.toUpperCase()]) {
      expect((await submitPassword(new TestBrowser(t().app), { ...account, password: variant })).status).toBe(401);
    }
  });

  it('email is case-insensitive at sign-in', async () => {
    const account = await addAccount(t());
    const page = await submitPassword(new TestBrowser(t().app), { ...account, email: ` ${account.email.toUpperCase()} ` });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/mfa/setup');
  });

  it('first sign-in shows the QR code and the secret, and enrolls only with a correct code', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await submitPassword(browser, account);
    const setup = await browser.get('/mfa/setup');
    expect(setup.status).toBe(200);
    expect(setup.body).toMatch(/<div id="totp-qr"[^>]*><svg/);
    expect(textById(setup.body, 'totp-secret')).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(setup.body).toMatch(/<input[^>]*name="code"/);
    expect(setup.body).toMatch(/<input[^>]*name="remember"/);
    expect(setup.body).toContain('Google Authenticator');
    const secret = secretFromSetupPage(setup.body);

    const wrong = await browser.post('/mfa/setup', { code: codeAt(Buffer.alloc(20, 1), t().clock.now()) });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('That code does not match');
    expect(await t().ctx.db.selectFrom('totp_credentials').select('confirmed_at').execute()).toEqual([{ confirmed_at: null }]);

    const done = await browser.post('/mfa/setup', { code: codeAt(secret, t().clock.now()) });
    expect(done.status).toBe(303);
    expect(done.location).toBe(AFTER_ENROLLMENT); // the new recovery codes first, then the dashboard
    expect((await browser.get('/')).location).toBe(AFTER_ENROLLMENT.split('?')[0]); // not skippable
    expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/' })).location).toBe('/');
    const dashboard = await browser.get('/');
    expect(dashboard.status).toBe(200);
    expect(headingOf(dashboard.body)).toBe("Patients");
    expect(dashboard.body).toContain(`Welcome, ${account.name}`);
  });

  it('reloading the setup page shows the same secret; a new sign-in starts over with a fresh one', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await submitPassword(browser, account);
    const first = textById((await browser.get('/mfa/setup')).body, 'totp-secret');
    expect(textById((await browser.get('/mfa/setup')).body, 'totp-secret')).toBe(first);
    await submitPassword(browser, account);
    const setup = await browser.get('/mfa/setup');
    expect(textById(setup.body, 'totp-secret')).not.toBe(first);
    const done = await browser.post('/mfa/setup', { code: codeAt(secretFromSetupPage(setup.body), t().clock.now()) });
    expect(done.location).toBe(AFTER_ENROLLMENT); // the new recovery codes first, then the dashboard
    // Confirming one secret discards every other pending one.
    expect(await t().ctx.db.selectFrom('totp_credentials').select('confirmed_at').execute()).toHaveLength(1);
  });

  it('a secret seen in another sign-in (with a stolen password) is useless once the owner pairs their own', async () => {
    const account = await addAccount(t());
    const attacker = new TestBrowser(t().app, 'Attacker/1.0', '198.51.100.66');
    await submitPassword(attacker, account);
    const attackerSecret = secretFromSetupPage((await attacker.get('/mfa/setup')).body);
    const owner = new TestBrowser(t().app);
    await enroll(t(), owner, account);
    expect(account.secret!.equals(attackerSecret)).toBe(false);
    // The attacker's sign-in is still pending: its setup page is gone, and its secret opens nothing.
    expect((await attacker.get('/mfa/setup')).location).toBe('/mfa/verify');
    await attacker.get('/mfa/verify');
    t().clock.advance(30_000);
    const refused = await attacker.post('/mfa/verify', { code: codeAt(attackerSecret, t().clock.now()) });
    expect(refused.status).toBe(401);
    expect((await attacker.get('/')).location).toBe('/mfa/verify');
  });

  it('an account that is already paired cannot pair again from a password-only session', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    const before = await t().ctx.db.selectFrom('totp_credentials').selectAll().execute();
    for (const code of ['abc', '123456']) {
      expect((await browser.post('/mfa/setup', { code })).location).toBe('/mfa/verify');
    }
    expect(await t().ctx.db.selectFrom('totp_credentials').selectAll().execute()).toEqual(before);
  });

  it('a confirmed secret is never shown again', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    const afterPassword = await submitPassword(browser, account);
    expect(afterPassword.location).toBe('/mfa/verify');
    const setupAgain = await browser.get('/mfa/setup');
    expect(setupAgain.location).toBe('/mfa/verify');
    const verify = await browser.get('/mfa/verify');
    const secretText = account.secret!.toString('hex');
    for (const page of [setupAgain, verify]) {
      expect(page.body).not.toContain('totp-secret');
      expect(page.body).not.toContain('otpauth://');
      expect(page.body).not.toContain(secretText);
    }
  });

  it('a later sign-in asks for the code on "Verify Your Identity" and accepts it typed with a space or a dash', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    for (const format of [(c: string) => `${c.slice(0, 3)} ${c.slice(3)}`, (c: string) => `${c.slice(0, 3)}-${c.slice(3)}`]) {
      await browser.post('/logout', {});
      expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
      const verify = await browser.get('/mfa/verify');
      expect(headingOf(verify.body)).toBe('Verify Your Identity');
      expect(verify.body).toMatch(/<input[^>]*name="code"[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"/);
      expect(verify.body).toMatch(/<input[^>]*name="remember"[^>]*>[\s\S]*Remember this device for 30 days/);
      t().clock.advance(30_000);
      const done = await browser.post('/mfa/verify', { code: format(codeAt(account.secret!, t().clock.now())) });
      expect(done.location).toBe('/');
    }
  });

  it('codes of the previous and next 30 s step are accepted, two steps away refused', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    for (const offset of [-1, 1]) {
      await browser.post('/logout', {});
      await submitPassword(browser, account);
      await browser.get('/mfa/verify');
      t().clock.advance(5 * 30_000);
      const done = await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now() + offset * 30_000) });
      expect(done.location).toBe('/');
    }
    await browser.post('/logout', {});
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    t().clock.advance(5 * 30_000);
    const tooOld = await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now() - 2 * 30_000) });
    expect(tooOld.status).toBe(401);
    expect(tooOld.body).toContain('That code is not correct');
  });

  it('a code already used is refused in a new sign-in, and so is a code of an earlier step', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    t().clock.advance(30_000);
    const code = codeAt(account.secret!, t().clock.now());
    const earlier = codeAt(account.secret!, t().clock.now() - 30_000);
    await browser.post('/logout', {});
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    expect((await browser.post('/mfa/verify', { code })).location).toBe('/');

    await browser.post('/logout', {});
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    for (const replay of [code, earlier]) {
      const refused = await browser.post('/mfa/verify', { code: replay });
      expect(refused.status).toBe(401);
      expect(refused.body).toContain('That code has already been used. Wait for the next code');
    }
    t().clock.advance(30_000);
    expect((await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).location).toBe('/');
  });

  it('the same code sent twice at the same moment is accepted exactly once', async () => {
    const account = await addAccount(t());
    await enroll(t(), new TestBrowser(t().app), account);
    t().clock.advance(30_000);
    const browsers = [new TestBrowser(t().app), new TestBrowser(t().app), new TestBrowser(t().app)];
    for (const browser of browsers) {
      await submitPassword(browser, account);
      await browser.get('/mfa/verify');
    }
    const code = codeAt(account.secret!, t().clock.now());
    const results = await Promise.all(browsers.map((browser) => browser.post('/mfa/verify', { code })));
    expect(results.map((r) => r.status).sort()).toEqual([303, 401, 401]);
  });

  it('a password-only session reaches only the MFA pages, and after the code the session id is replaced', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    await submitPassword(browser, account);
    const pendingCookie = browser.cookies.get('hms_session')!;
    const dashboard = await browser.get('/');
    expect(dashboard.status).toBe(303);
    expect(dashboard.location).toBe('/mfa/verify');
    await browser.get('/mfa/verify');
    t().clock.advance(30_000);
    await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) });
    const fullCookie = browser.cookies.get('hms_session')!;
    expect(fullCookie).not.toBe(pendingCookie);
    const stale = new TestBrowser(t().app);
    stale.cookies.set('hms_session', pendingCookie);
    expect((await stale.get('/')).status).toBe(401);
  });

  it('a password-only session expires after 10 minutes', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    t().clock.advance(10 * MINUTE);
    const late = await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) });
    expect(late.status).toBe(401);
    expect(late.body).toContain('Your sign-in has expired');
    expect(browser.cookies.has('hms_session')).toBe(false);
    expect(await deleteEndedSessions(t().ctx)).toHaveLength(1);
    expect(await t().ctx.db.selectFrom('sessions').select('id_hash').execute()).toEqual([]);
  });

  it('sign-out ends the session on the server: the old cookie no longer works', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    const cookie = browser.cookies.get('hms_session')!;
    expect((await browser.get('/')).status).toBe(200);
    const out = await browser.post('/logout', {});
    expect(out.location).toBe('/login?notice=signed-out');
    expect((await browser.follow(out)).body).toContain('You are signed out.');
    const replay = new TestBrowser(t().app);
    replay.cookies.set('hms_session', cookie);
    const refused = await replay.get('/');
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('Your session has ended');
  });

  it('after sign-in the user lands where they were going, but only on a local path', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    const bounced = await browser.get('/?view=week');
    expect(bounced.location).toBe(`/login?next=${encodeURIComponent('/?view=week')}`);
    const login = await browser.get(bounced.location!);
    expect(login.body).toContain('name="next" value="/?view=week"');
    await browser.post('/login', { email: account.email, password: account.password, next: '/?view=week' });
    await browser.get('/mfa/verify');
    t().clock.advance(30_000);
    expect((await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).location).toBe('/?view=week');

    await browser.post('/logout', {});
    await browser.get('/login?next=https://evil.example');
    expect(browser.lastPage).not.toContain('evil.example');
    await browser.post('/login', { email: account.email, password: account.password, next: 'https://evil.example' });
    await browser.get('/mfa/verify');
    t().clock.advance(30_000);
    expect((await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).location).toBe('/');
  });

  it('the dashboard shows the user name and a sign-out button', async () => {
    const account = await addAccount(t(), 'clinician', 'Fox Mulder');
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    const page = await browser.get('/');
    expect(page.body).toContain('Fox Mulder');
    expect(page.body).toMatch(/<form method="post" action="\/logout"[\s\S]*?Sign out<\/button>/);
  });

  it('signing in with a code works again and again, one new code step at a time', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    for (let i = 0; i < 3; i++) {
      await browser.post('/logout', {});
      expect((await signInWithCode(t(), browser, account)).location).toBe('/');
    }
  });
});
