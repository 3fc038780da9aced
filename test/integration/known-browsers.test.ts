// Someone who knows only an email address, or shares the clinic's address, cannot keep the owner
// out (issue #12, item 2): a browser that completed a full sign-in is known for that account and
// exempt from the delays and budgets strangers' failures build up; it has a budget of its own.
// Correct passwords cost too: a bounded number of password hashes per address and minute.
import { expect, it } from 'vitest';
import { passwordSucceeded, reservePasswordAttempt } from '../../src/auth/throttles.js';
import { unlock } from '../../src/auth/support.js';
import { codeAt } from '../../src/auth/totp.js';
import { DAY, MINUTE, SECOND } from '../../src/clock.js';
import { TestBrowser, type Page } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, enroll, submitPassword, type TestAccount } from '../support/sign-in.js';

const WRONG = 'not the password at all';

describeOnEachDatabase('known browsers', (database) => {
  const t = freshAppPerTest(database);

  /** An account paired in `browser`, signed out again: the browser is now known for it. */
  async function ownerOf(browser: TestBrowser): Promise<TestAccount> {
    const account = await addAccount(t());
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    return account;
  }

  async function tryPassword(browser: TestBrowser, email: string, password: string): Promise<Page> {
    await browser.get('/login');
    return browser.post('/login', { email, password });
  }

  it('the cookie is set by a full sign-in, per account, and outlives sign-out', async () => {
    const browser = new TestBrowser(t().app);
    const account = await addAccount(t());
    const afterPassword = await submitPassword(browser, account);
    expect(afterPassword.setCookies.find((c) => c.name === 'hms_known')).toBeUndefined(); // the password alone is not enough
    await browser.get('/mfa/setup');
    const paired = await enroll(t(), new TestBrowser(t().app), account);
    const cookie = paired.setCookies.find((c) => c.name === 'hms_known')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: (180 * DAY) / 1000 });
    expect(cookie.value).toMatch(/^[\w-]{43}$/);
    expect(await t().ctx.db.selectFrom('known_browsers').select('token_hash').execute()).not.toContainEqual({ token_hash: cookie.value });
    await ownerOf(browser);
    expect(browser.cookies.get('hms_known')).toMatch(/^[\w-]{43}$/);
  });

  it('one wrong password whenever the delay allows, for hours, never stops the owner\'s browser; a stranger\'s is held up', async () => {
    const home = new TestBrowser(t().app, 'Owner/1.0', '192.0.2.10');
    const owner = await ownerOf(home);
    const attacker = new TestBrowser(t().app, 'Attacker/1.0', '198.51.100.66');
    const answers = new Set<number>();
    for (let round = 0; round < 60; round++) { // two hours, a round every two minutes
      t().clock.advance(2 * MINUTE);
      answers.add((await tryPassword(attacker, owner.email, WRONG)).status);
      expect((await tryPassword(home, owner.email, owner.password)).location).toBe('/mfa/verify');
    }
    expect([...answers].sort()).toEqual([401, 429]); // counted whenever the delay had passed
    // A browser that never signed in to the account (the owner on a new laptop, or the attacker) waits.
    const stranger = await tryPassword(new TestBrowser(t().app, 'New laptop/1.0', '192.0.2.10'), owner.email, owner.password);
    expect(stranger.status).toBe(429);
    expect(stranger.body).toContain('Too many failed attempts for this email.');
    // …and the code step is as it always was.
    await home.get('/mfa/verify');
    t().clock.advance(30 * SECOND);
    expect((await home.post('/mfa/verify', { code: codeAt(owner.secret!, t().clock.now()) })).location).toBe('/');
  });

  it('has a budget of its own: 5 wrong passwords, then it waits 1 s, 2 s …, and 10 checks a minute; strangers are not held up by it', async () => {
    const home = new TestBrowser(t().app);
    const owner = await ownerOf(home);
    for (let i = 0; i < 5; i++) expect((await tryPassword(home, owner.email, WRONG)).status).toBe(401);
    const waiting = await tryPassword(home, owner.email, owner.password);
    expect(waiting.status).toBe(429);
    expect(waiting.headers['retry-after']).toBe('1');
    expect(waiting.body).toContain('Too many failed attempts from this browser. Wait 1 second, then try again.');
    expect((await tryPassword(new TestBrowser(t().app), owner.email, owner.password)).status).toBe(303);
    await unlock(t().ctx, { via: 'cli' }, await userIdOf(t().ctx, owner.email));
    expect((await tryPassword(home, owner.email, owner.password)).status).toBe(303);
    // Right passwords cost a hash too: 10 checks a minute (5 wrong and 5 right ones so far).
    for (let i = 0; i < 4; i++) expect((await tryPassword(home, owner.email, owner.password)).status).toBe(303);
    expect((await tryPassword(home, owner.email, owner.password)).status).toBe(429);
    t().clock.advance(MINUTE);
    expect((await tryPassword(home, owner.email, owner.password)).status).toBe(303);
  });

  it('is bound to its account: another account typed in the same browser gets a stranger\'s limits', async () => {
    const home = new TestBrowser(t().app);
    const owner = await ownerOf(home);
    const colleague = await addAccount(t());
    for (let i = 0; i < 5; i++) expect((await tryPassword(home, colleague.email, WRONG)).status).toBe(401);
    expect((await tryPassword(home, colleague.email, colleague.password)).status).toBe(429);
    expect((await tryPassword(home, owner.email, owner.password)).status).toBe(303);
  });

  it('a clinic behind one address with an attacker inside: known browsers sign in, password and code; strangers wait', async () => {
    const clinic = '203.0.113.50';
    const dana = new TestBrowser(t().app, 'Dana/1.0', clinic);
    const owner = await ownerOf(dana);
    const insider = new TestBrowser(t().app, 'Insider/1.0', clinic);
    for (let i = 0; i < 100; i++) {
      t().clock.advance(2 * SECOND);
      expect((await tryPassword(insider, `someone${i}@clinic.example`, WRONG)).status).toBe(401);
    }
    const stranger = await tryPassword(new TestBrowser(t().app, 'Visitor/1.0', clinic), owner.email, owner.password);
    expect(stranger.status).toBe(429);
    expect(stranger.body).toContain('Too many failed sign-in attempts from your network.');
    expect((await tryPassword(dana, owner.email, owner.password)).location).toBe('/mfa/verify');
    await dana.get('/mfa/verify');
    t().clock.advance(30 * SECOND);
    expect((await dana.post('/mfa/verify', { code: codeAt(owner.secret!, t().clock.now()) })).location).toBe('/');
  });

  it('correct passwords cost too: 100 password checks a minute per address for browsers not known, then 429', async () => {
    const office = '203.0.113.60';
    const known = new TestBrowser(t().app, 'Known/1.0', office);
    const owner = await ownerOf(known);
    const other = await addAccount(t());
    // The owner's first sign-in (a stranger then) and 99 more checks from this address make 100
    // (seeded without hashing: the HTTP path is what follows).
    for (let i = 0; i < 99; i++) {
      const attempt = await reservePasswordAttempt(t().ctx, other.email, office);
      if ('limited' in attempt) throw new Error('seeding was refused');
      await passwordSucceeded(t().ctx, attempt);
    }
    const refused = await tryPassword(new TestBrowser(t().app, 'Flood/1.0', office), other.email, other.password);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('Too many sign-in attempts from your network in the last minute.');
    expect((await tryPassword(known, owner.email, owner.password)).status).toBe(303); // its own account, its own budget
    expect((await tryPassword(new TestBrowser(t().app, 'Elsewhere/1.0', '203.0.113.61'), other.email, other.password)).status).toBe(303);
    t().clock.advance(2 * MINUTE);
    expect((await tryPassword(new TestBrowser(t().app, 'Flood/1.0', office), other.email, other.password)).status).toBe(303);
  });

  it('every per-address limit counts an IPv6 /64 as one address', async () => {
    const account = await addAccount(t());
    for (let i = 0; i < 100; i++) {
      t().clock.advance(2 * SECOND);
      const attempt = await reservePasswordAttempt(t().ctx, `someone${i}@clinic.example`, `2001:db8:1:2:${i.toString(16)}::1`);
      expect('limited' in attempt).toBe(false);
    }
    const sameNetwork = await tryPassword(new TestBrowser(t().app, 'V6/1.0', '2001:db8:1:2:ffff:ffff:ffff:fffe'), account.email, account.password);
    expect(sameNetwork.status).toBe(429);
    expect(sameNetwork.body).toContain('Too many failed sign-in attempts from your network.');
    expect((await tryPassword(new TestBrowser(t().app, 'V6/1.0', '2001:db8:1:3::1'), account.email, account.password)).status).toBe(303);
  });
});
