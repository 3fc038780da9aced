// Recovery codes (issue #4): shown once after pairing, stored as Argon2id hashes, each usable once
// at sign-in or step-up, with the limits of codes; regenerated behind step-up.
import { expect, it } from 'vitest';
import { recoveryCodeStanding, remainingRecoveryCodes, useRecoveryCode, normalizeRecoveryCode } from '../../src/auth/recovery-codes.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { auditTrail, enrollWithRecoveryCodes, recoveryCodesIn } from '../support/account.js';
import { TestBrowser, textById } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, enroll, signInWithCode, submitPassword } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';

const CODE_FORMAT = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

describeOnEachDatabase('recovery codes', (database) => {
  const t = freshAppPerTest(database);

  async function signedInWithCodes() {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    const codes = await enrollWithRecoveryCodes(t(), browser, account);
    return { account, browser, codes, userId: await userIdOf(t().ctx, account.email) };
  }

  async function atRecoveryStep(account: Awaited<ReturnType<typeof signedInWithCodes>>['account']) {
    const browser = new TestBrowser(t().app);
    expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
    const verify = await browser.get('/mfa/verify');
    expect(verify.body).toContain('Use a recovery code instead');
    expect((await browser.get('/mfa/recovery')).status).toBe(200);
    return browser;
  }

  it('right after pairing, ten distinct codes are shown once; download and reload work only until the user confirms saving them', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    const page = await browser.follow(await enroll(t(), browser, account, false, 'left-on-screen'));
    const codes = recoveryCodesIn(page.body);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(CODE_FORMAT);
    expect(recoveryCodesIn((await browser.get('/account/security/recovery-codes/new?next=/')).body)).toEqual(codes);

    const download = await browser.get('/account/security/recovery-codes/download');
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toMatch(/^text\/plain/);
    expect(download.headers['content-disposition']).toBe('attachment; filename="hms-recovery-codes.txt"');
    for (const code of codes) expect(download.body).toContain(code);

    const unticked = await browser.post('/account/security/recovery-codes/saved', { next: '/' });
    expect(unticked.status).toBe(400);
    expect(unticked.body).toContain('Tick the box to confirm you saved the codes');
    const saved = await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/' });
    expect(saved.location).toBe('/');
    expect((await browser.get('/account/security/recovery-codes/new')).location).toBe('/account/security/recovery-codes');
    expect((await browser.get('/account/security/recovery-codes/download')).status).toBe(404);
    expect((await browser.get('/account/security/recovery-codes')).body).toContain('<strong>10 of 10</strong>');
  });

  it('the codes after pairing cannot be skipped: every other page sends back to them until the user says they saved them', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await browser.follow(await enroll(t(), browser, account, false, 'left-on-screen'));
    const NEW_CODES = '/account/security/recovery-codes/new';
    expect((await browser.get('/')).location).toBe(NEW_CODES);
    expect((await browser.get('/account/security?done=password')).location).toBe(`${NEW_CODES}?next=${encodeURIComponent('/account/security?done=password')}`);
    expect((await browser.get('/patients/new')).location).toBe(`${NEW_CODES}?next=${encodeURIComponent('/patients/new')}`);
    // A form sent from another tab changes nothing: it is sent back to the codes, not replayed.
    const sessionsBefore = await t().ctx.db.selectFrom('sessions').select('id_hash').execute();
    expect((await browser.post('/account/security/sessions/end-others', {})).location).toBe(NEW_CODES);
    expect(await t().ctx.db.selectFrom('sessions').select('id_hash').execute()).toEqual(sessionsBefore);
    expect((await browser.get('/account/security/recovery-codes/download')).status).toBe(200);
    const saved = await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/account/security?done=password' });
    expect(saved.location).toBe('/account/security?done=password');
    expect((await browser.get('/')).status).toBe(200);
  });

  it('a set never confirmed (the page was left) is flagged at each sign-in and on the account page until the user confirms having it', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account, false, 'left-on-screen');
    await browser.post('/logout', {});
    const userId = await userIdOf(t().ctx, account.email);
    const UNCONFIRMED = `/account/security/recovery-codes/unconfirmed?next=${encodeURIComponent('/')}`;
    const signedIn = await signInWithCode(t(), browser, account);
    expect(signedIn.location).toBe(UNCONFIRMED);
    const warning = await browser.follow(signedIn);
    expect(warning.body).toContain('You have not confirmed saving your recovery codes.');
    expect(warning.body).toContain('href="/"'); // "Not now": the warning informs, it does not hold the user
    expect((await browser.get('/')).status).toBe(200);
    expect(textById((await browser.get('/account/security')).body, 'codes-unconfirmed')).toContain('You have not confirmed saving your recovery codes.');

    await browser.get(UNCONFIRMED);
    const unticked = await browser.post('/account/security/recovery-codes/confirmed', { next: '/' });
    expect(unticked.status).toBe(400);
    expect(unticked.body).toContain('Tick the box to confirm you have the codes');
    expect((await browser.post('/account/security/recovery-codes/confirmed', { have: 'on', next: '/' })).location).toBe('/');
    expect(await auditTrail(t(), userId)).toContainEqual(['recovery_codes.saved', { via: 'unconfirmed-warning' }]);
    expect((await browser.get('/account/security')).body).not.toContain('codes-unconfirmed');
    expect((await browser.get('/account/security/recovery-codes/unconfirmed?next=/patients')).location).toBe('/patients');
    await browser.post('/logout', {});
    expect((await signInWithCode(t(), browser, account)).location).toBe('/');
  });

  it('from the warning, a new set replaces the one never confirmed, and saving it ends the warning', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account, false, 'left-on-screen');
    await browser.post('/logout', {});
    await browser.follow(await signInWithCode(t(), browser, account));
    await confirmItsYou(t(), browser, account);
    const made = await browser.post('/account/security/recovery-codes/new', { next: '/patients' });
    expect(made.location).toBe(`/account/security/recovery-codes/new?next=${encodeURIComponent('/patients')}`);
    expect(recoveryCodesIn((await browser.follow(made)).body)).toHaveLength(10);
    expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/patients' })).location).toBe('/patients');
    await browser.post('/logout', {});
    expect((await signInWithCode(t(), browser, account)).location).toBe('/');
  });

  it('migration 013: sets from before count as confirmed, except one still on a session\'s screen', async () => {
    const saved = await addAccount(t());
    const onScreen = await addAccount(t());
    await enroll(t(), new TestBrowser(t().app), saved);
    await enroll(t(), new TestBrowser(t().app), onScreen, false, 'left-on-screen');
    const { db } = t().ctx;
    await migrateTo(db, '012_flag_values');
    await migrateToLatest(db);
    expect(await recoveryCodeStanding(t().ctx, await userIdOf(t().ctx, saved.email))).toEqual({ left: 10, unconfirmed: false });
    expect(await recoveryCodeStanding(t().ctx, await userIdOf(t().ctx, onScreen.email))).toEqual({ left: 10, unconfirmed: true });
  });

  it('are stored only as Argon2id hashes, with two characters in clear to pick the one to check', async () => {
    const { codes, userId } = await signedInWithCodes();
    const rows = await t().ctx.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', userId).execute();
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const code of codes) expect(stored).not.toContain(code.replace('-', '').slice(2));
    for (const row of rows) {
      expect(row.code_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.lookup).toHaveLength(2);
    }
  });

  it('a recovery code signs in once, typed any way; then the page says how many remain and urges pairing a new phone', async () => {
    const { account, codes, userId } = await signedInWithCodes();
    const browser = await atRecoveryStep(account);
    const typed = ` ${codes[3]!.toUpperCase().replace('-', ' ')} `;
    const done = await browser.post('/mfa/recovery', { recovery_code: typed });
    expect(done.location).toBe(`/account/security/recovery-codes/used?next=${encodeURIComponent('/')}`);
    const used = await browser.follow(done);
    expect(used.body).toContain('<strong>9 recovery codes</strong> left');
    expect(used.body).toContain('href="/account/security/authenticator"');
    expect((await browser.get('/')).status).toBe(200);

    const again = await atRecoveryStep(account);
    const refused = await again.post('/mfa/recovery', { recovery_code: codes[3] });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('has already been used');
    const events = await auditTrail(t(), userId);
    expect(events).toContainEqual(['recovery_code.used', { step: 'sign-in', remaining: 9 }]);
    expect(events).toContainEqual(['sign_in.succeeded', { second_factor: 'recovery_code' }]);
    expect(events).toContainEqual(['sign_in.recovery_code_failed', { step: 'sign-in', reason: 'already-used' }]);
  });

  it('two tabs sending the same code at the same moment: exactly one signs in', async () => {
    const { account, codes, userId } = await signedInWithCodes();
    const tabs = [await atRecoveryStep(account), await atRecoveryStep(account)];
    const results = await Promise.all(tabs.map((tab) => tab.post('/mfa/recovery', { recovery_code: codes[0] })));
    expect(results.map((r) => r.status).sort()).toEqual([303, 401]);
    expect(await remainingRecoveryCodes(t().ctx, userId)).toBe(9);
  });

  it('malformed input is refused with a clear message and changes nothing', async () => {
    const { account } = await signedInWithCodes();
    const browser = await atRecoveryStep(account);
    for (const input of ['', 'abc', 'abcde-fghij-k', 'uuuuu-uuuuu', 'ab$de-fghij']) {
      const before = await snapshot(t().ctx);
      const page = await browser.post('/mfa/recovery', { recovery_code: input });
      expect(page.status).toBe(400);
      expect(page.body).toContain('Enter a recovery code: 10 letters and digits');
      expect(await snapshot(t().ctx)).toEqual(before);
    }
    expect((await browser.post('/mfa/recovery', { recovery_code: 'abcde-fghjk' }, { cookie: '' })).status).toBe(403);
  });

  it('wrong codes count like wrong app codes: the fifth ends the sign-in, and they add to the account lock', async () => {
    const { account, userId } = await signedInWithCodes();
    const browser = await atRecoveryStep(account);
    for (let i = 0; i < 4; i++) expect((await browser.post('/mfa/recovery', { recovery_code: 'zzzzz-zzzzz' })).status).toBe(401);
    const stopped = await browser.post('/mfa/recovery', { recovery_code: 'zzzzz-zzzzz' });
    expect(stopped.status).toBe(429);
    expect(stopped.body).toContain('this sign-in was stopped');
    const lock = await t().ctx.db.selectFrom('second_factor_locks').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect(lock.failures).toBe(5);
  });

  it('new codes need a fresh code (step-up), replace the whole set, and are audited', async () => {
    const { account, browser, codes, userId } = await signedInWithCodes();
    t().clock.advance(10 * MINUTE);
    await browser.get('/account/security/recovery-codes');
    const asked = await browser.post('/account/security/recovery-codes/new', {});
    expect(asked.location).toBe(`/verify-again?next=${encodeURIComponent('/account/security/recovery-codes')}`);
    expect(await remainingRecoveryCodes(t().ctx, userId)).toBe(10);
    await browser.get(asked.location!);
    await browser.post('/verify-again', { code: codeAt(account.secret!, t().clock.now()), next: '/account/security/recovery-codes' });
    await browser.get('/account/security/recovery-codes');
    const made = await browser.post('/account/security/recovery-codes/new', {});
    expect(made.location).toBe('/account/security/recovery-codes/new');
    const fresh = recoveryCodesIn((await browser.follow(made)).body);
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => codes.includes(code))).toEqual([]);
    expect((await useRecoveryCode(t().ctx, userId, normalizeRecoveryCode(codes[0]!)!)).outcome).toBe('wrong');
    expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on' })).location).toBe('/account/security?done=codes-saved');
    expect(await auditTrail(t(), userId)).toContainEqual(['recovery_codes.generated', { reason: 'regenerated' }]);
    expect((await browser.post('/account/security/recovery-codes/new', { _csrf: 'forged' })).status).toBe(403);
  });

  it('with 3 or fewer left, the account page warns and every sign-in shows the warning first', async () => {
    const { account, browser, codes, userId } = await signedInWithCodes();
    for (const code of codes.slice(0, 7)) expect((await useRecoveryCode(t().ctx, userId, normalizeRecoveryCode(code)!)).outcome).toBe('accepted');
    expect((await browser.get('/account/security')).body).toContain('Only 3 recovery codes are left.');
    await browser.post('/logout', {});
    const signedIn = await signInWithCode(t(), browser, account);
    expect(signedIn.location).toBe(`/account/security/recovery-codes/running-low?next=${encodeURIComponent('/')}`);
    const warning = await browser.follow(signedIn);
    expect(warning.body).toContain('<strong>3 recovery codes</strong> left');
    expect(warning.body).toContain('href="/account/security/recovery-codes"');
  });

  it('a recovery code also confirms it is you (step-up), for a user whose phone is gone', async () => {
    const { browser, codes, userId } = await signedInWithCodes();
    t().clock.advance(10 * MINUTE);
    const page = await browser.get('/verify-again?next=/account/security/authenticator');
    expect(page.body).toContain('Use a recovery code instead');
    const wrong = await browser.post('/verify-again/recovery', { recovery_code: 'zzzzz-zzzzz', next: '/account/security/authenticator' });
    expect(wrong.status).toBe(401);
    const done = await browser.post('/verify-again/recovery', { recovery_code: codes[9], next: '/account/security/authenticator' });
    expect(done.location).toBe('/account/security/authenticator');
    expect((await browser.get('/account/security/authenticator')).status).toBe(200);
    expect(await remainingRecoveryCodes(t().ctx, userId)).toBe(9);
    expect(await auditTrail(t(), userId)).toContainEqual(['session.stepped_up', { second_factor: 'recovery_code' }]);
  });
});
