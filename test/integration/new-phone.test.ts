// Pairing a new phone (issue #4): the old secret works until the new one is confirmed with a
// code, then is destroyed in the same transaction; remembered devices kept or forgotten by choice.
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { auditTrail, enrollWithRecoveryCodes } from '../support/account.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, secretFromSetupPage, signInWithCode, submitPassword } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';

describeOnEachDatabase('pairing a new phone', (database) => {
  const t = freshAppPerTest(database);

  async function signedIn(remember = false) {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enrollWithRecoveryCodes(t(), browser, account, remember);
    await confirmItsYou(t(), browser, account);
    return { account, browser, userId: await userIdOf(t().ctx, account.email) };
  }

  it('shows a new QR code; the old app works until a code from the new one confirms it, then only the new one does', async () => {
    const { account, browser, userId } = await signedIn();
    const page = await browser.get('/account/security/authenticator');
    expect(page.body).toContain('id="totp-qr"');
    const newSecret = secretFromSetupPage(page.body);
    expect(newSecret.equals(account.secret!)).toBe(false);
    // Meanwhile, the old phone still signs in.
    const elsewhere = new TestBrowser(t().app);
    expect((await signInWithCode(t(), elsewhere, account)).status).toBe(303);

    await browser.get('/account/security/authenticator');
    const done = await browser.post('/account/security/authenticator', { code: codeAt(newSecret, t().clock.now()), devices: 'keep' });
    expect(done.location).toBe('/account/security?done=authenticator');
    expect((await browser.follow(done)).body).toContain('Sign out everywhere else');
    const credentials = await t().ctx.db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).execute();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.confirmed_at).not.toBeNull();

    const later = new TestBrowser(t().app);
    await submitPassword(later, account);
    await later.get('/mfa/verify');
    t().clock.advance(30_000);
    expect((await later.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).status).toBe(401);
    expect((await later.post('/mfa/verify', { code: codeAt(newSecret, t().clock.now()) })).status).toBe(303);
    expect(await auditTrail(t(), userId)).toContainEqual(['mfa.replaced', { devices: 'keep', devices_revoked: 0 }]);
  });

  it('a wrong code or a missing choice changes nothing, and the old phone keeps working', async () => {
    const { account, browser, userId } = await signedIn();
    const page = await browser.get('/account/security/authenticator');
    const newSecret = secretFromSetupPage(page.body);
    const before = await snapshot(t().ctx);
    const noChoice = await browser.post('/account/security/authenticator', { code: codeAt(newSecret, t().clock.now()) });
    expect(noChoice.status).toBe(400);
    expect(noChoice.body).toContain('Choose whether browsers remembered for 30 days keep skipping the code.');
    const malformed = await browser.post('/account/security/authenticator', { code: '12ab', devices: 'keep' });
    expect(malformed.status).toBe(400);
    expect(await snapshot(t().ctx)).toEqual(before);
    const oldCode = await browser.post('/account/security/authenticator', { code: codeAt(account.secret!, t().clock.now()), devices: 'keep' });
    expect(oldCode.status).toBe(401);
    expect(oldCode.body).toContain('does not match the new key');
    const confirmed = await t().ctx.db.selectFrom('totp_credentials').select('confirmed_at').where('user_id', '=', userId).where('confirmed_at', 'is not', null).execute();
    expect(confirmed).toHaveLength(1);
    expect(await auditTrail(t(), userId)).toContainEqual(['sign_in.code_failed', { step: 'new-phone' }]);
  });

  it('forgets every remembered device when the user chooses so', async () => {
    const { browser, userId } = await signedIn(true);
    const newSecret = secretFromSetupPage((await browser.get('/account/security/authenticator')).body);
    const done = await browser.post('/account/security/authenticator', { code: codeAt(newSecret, t().clock.now()), devices: 'revoke' });
    expect(done.location).toBe('/account/security?done=authenticator-and-devices');
    const devices = await t().ctx.db.selectFrom('remembered_devices').select('revoked_at').where('user_id', '=', userId).execute();
    expect(devices).toHaveLength(1);
    expect(devices[0]!.revoked_at).not.toBeNull();
  });

  it('needs a fresh code or recovery code first', async () => {
    const { browser } = await signedIn();
    t().clock.advance(6 * MINUTE);
    expect((await browser.get('/account/security/authenticator')).location).toBe(`/verify-again?next=${encodeURIComponent('/account/security/authenticator')}`);
    expect(await t().ctx.db.selectFrom('totp_credentials').select('id').where('confirmed_at', 'is', null).execute()).toEqual([]);
  });

  it('two tabs confirming the same new phone: one pairs it, the other changes nothing', async () => {
    const { browser, userId } = await signedIn();
    const newSecret = secretFromSetupPage((await browser.get('/account/security/authenticator')).body);
    t().clock.advance(30_000);
    const results = await Promise.all([0, 1].map(() => browser.post('/account/security/authenticator', { code: codeAt(newSecret, t().clock.now()), devices: 'keep' })));
    expect(results.map((r) => r.location).sort()).toEqual(['/account/security/authenticator', '/account/security?done=authenticator']);
    const credentials = await t().ctx.db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).execute();
    expect(credentials).toHaveLength(1);
  });
});
