// Changing one's password (issue #4, ASVS 6.2.2, 6.2.3, 7.4.3): current password, fresh code,
// policy; every remembered device and other session ends, this one goes on under a new token.
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { auditTrail, enrollWithRecoveryCodes } from '../support/account.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, signInWithCode, submitPassword } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';

const NEW_PASSWORD = 'seven quiet lanterns over the harbour';

describeOnEachDatabase('changing the password', (database) => {
  const t = freshAppPerTest(database);

  async function signedIn() {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enrollWithRecoveryCodes(t(), browser, account);
    await confirmItsYou(t(), browser, account);
    return { account, browser, userId: await userIdOf(t().ctx, account.email) };
  }

  it('needs the current password: then every remembered device and other session ends, and this session goes on under a new token', async () => {
    const { account, browser, userId } = await signedIn();
    const laptop = new TestBrowser(t().app, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Firefox/128.0', '198.51.100.7');
    await signInWithCode(t(), laptop, account, true);
    const oldToken = browser.cookies.get('hms_session');
    await browser.get('/account/security/password');
    const done = await browser.post('/account/security/password', { current_password: account.password, new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD });
    expect(done.location).toBe('/account/security?done=password');
    expect(browser.cookies.get('hms_session')).not.toBe(oldToken);
    expect((await browser.follow(done)).body).toContain('Your password was changed.');
    expect((await laptop.get('/')).status).toBe(401); // the other session ended
    expect((await new TestBrowser(t().app).request('GET', '/', undefined, { cookie: `hms_session=${oldToken}` })).status).toBe(401);
    const devices = await t().ctx.db.selectFrom('remembered_devices').select('revoked_at').where('user_id', '=', userId).execute();
    expect(devices.every((device) => device.revoked_at !== null)).toBe(true);
    // The laptop is asked for its code again, and only the new password works.
    expect((await submitPassword(laptop, account)).status).toBe(401);
    expect((await submitPassword(laptop, { ...account, password: NEW_PASSWORD })).location).toBe('/mfa/verify');
    expect(await auditTrail(t(), userId)).toContainEqual(['password.changed', { devices_revoked: 1, sessions_ended: 1 }]);
  });

  it('a wrong current password is refused, audited and counted like a sign-in attempt', async () => {
    const { browser, userId } = await signedIn();
    await browser.get('/account/security/password');
    const wrong = await browser.post('/account/security/password', { current_password: 'not my password at all', new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('That is not your current password');
    expect(await auditTrail(t(), userId)).toContainEqual(['password.change_failed', { reason: 'wrong-current-password' }]);
    for (let i = 0; i < 4; i++) await browser.post('/account/security/password', { current_password: `wrong ${i} password here`, new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD });
    const limited = await browser.post('/account/security/password', { current_password: 'still wrong password', new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body).toContain('Too many wrong passwords');
  });

  it('refuses weak, mismatched, unchanged or missing passwords with a message on the field, changing nothing', async () => {
    const { account, browser } = await signedIn();
    await browser.get('/account/security/password');
    const cases: [Record<string, string | undefined>, string][] = [
      [{ current_password: '', new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD }, 'Enter your current password.'],
      [{ current_password: account.password, new_password: 'short', new_password_again: 'short' }, 'Use at least 12 characters'],
      [{ current_password: account.password, new_password: 'password1234', new_password_again: 'password1234' }, 'on the list of passwords attackers try first'],
      [{ current_password: account.password, new_password: NEW_PASSWORD, new_password_again: `${NEW_PASSWORD}!` }, 'The two new passwords are not the same'],
      [{ current_password: account.password, new_password: account.password, new_password_again: account.password }, 'is the one you have now'],
    ];
    for (const [fields, message] of cases) {
      const before = await snapshot(t().ctx);
      const page = await browser.post('/account/security/password', fields);
      expect(page.status).toBe(400);
      expect(page.body).toContain(message);
      expect(await snapshot(t().ctx)).toEqual(before);
    }
    const missingField = await browser.post('/account/security/password', { current_password: account.password, new_password: NEW_PASSWORD });
    expect(missingField.status).toBe(400);
    expect(missingField.body).toContain('The new password (again) is missing.');
  });

  it('needs a code entered in the last 5 minutes, and a CSRF token', async () => {
    const { account, browser } = await signedIn();
    t().clock.advance(6 * MINUTE);
    expect((await browser.get('/account/security/password')).location).toBe(`/verify-again?next=${encodeURIComponent('/account/security/password')}`);
    const fields = { current_password: account.password, new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD };
    await browser.get('/account/security');
    expect((await browser.post('/account/security/password', fields)).location).toBe(`/verify-again?next=${encodeURIComponent('/account/security')}`);
    await browser.get('/verify-again');
    await browser.post('/verify-again', { code: codeAt(account.secret!, t().clock.now()) });
    await browser.get('/account/security/password');
    expect((await browser.post('/account/security/password', { ...fields, _csrf: 'forged' })).status).toBe(403);
    await browser.get('/account/security/password');
    expect((await browser.post('/account/security/password', fields)).location).toBe('/account/security?done=password');
  });
});
