// Guessing is limited per email, per client address, per sign-in and per account, with counters in
// the database that hold under concurrency (issue #3, "Brute force and lockout").
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE, SECOND } from '../../src/clock.js';
import { TestBrowser, type Page } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword, type TestAccount } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

const WRONG_CODE = '000000';

async function auditCount(app: TestApp, event: string): Promise<number> {
  return (await app.ctx.db.selectFrom('audit_events').select('id').where('event', '=', event).execute()).length;
}

describeOnEachDatabase('password guessing', (database) => {
  const t = freshAppPerTest(database);

  async function tryPassword(browser: TestBrowser, email: string, password: string): Promise<Page> {
    return browser.post('/login', { email, password });
  }

  it('after 5 consecutive failures each attempt waits 1 s, 2 s, 4 s …, answered at once, even with the right password', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    for (let i = 0; i < 5; i++) expect((await tryPassword(browser, account.email, 'wrong password guess')).status).toBe(401);
    const refused = await tryPassword(browser, account.email, account.password);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toContain('Too many failed attempts for this email. Wait 1 second, then try again.');
    expect(refused.body).toContain(`value="${account.email}"`);
    for (const wait of [1, 2, 4, 8]) {
      t().clock.advance(wait * SECOND - 1);
      expect((await tryPassword(browser, account.email, 'wrong password guess')).status).toBe(429);
      t().clock.advance(1);
      expect((await tryPassword(browser, account.email, 'wrong password guess')).status).toBe(401);
      expect((await tryPassword(browser, account.email, 'wrong password guess')).headers['retry-after']).toBe(String(wait * 2));
    }
  });

  it('the delay never exceeds 15 minutes', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    let retryAfter = '';
    for (let i = 0; i < 20; i++) {
      const page = await tryPassword(browser, account.email, 'wrong password guess');
      if (page.status === 429) {
        retryAfter = String(page.headers['retry-after']);
        t().clock.advance(Number(retryAfter) * SECOND);
        i--;
      }
      if (Number(retryAfter) === 900) break;
    }
    expect(retryAfter).toBe('900');
    t().clock.advance(900 * SECOND);
    await tryPassword(browser, account.email, 'wrong password guess');
    expect((await tryPassword(browser, account.email, 'wrong password guess')).headers['retry-after']).toBe('900');
  });

  it('a success resets the count', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    for (let i = 0; i < 4; i++) await tryPassword(browser, account.email, 'wrong password guess');
    expect((await tryPassword(browser, account.email, account.password)).status).toBe(303);
    await browser.get('/login');
    for (let i = 0; i < 4; i++) expect((await tryPassword(browser, account.email, 'wrong password guess')).status).toBe(401);
    expect((await tryPassword(browser, account.email, account.password)).status).toBe(303);
  });

  it('an unknown email is delayed exactly like an existing one, so delays do not reveal accounts', async () => {
    const account = await addAccount(t());
    const answers = async (email: string) => {
      const browser = new TestBrowser(t().app, 'Probe/1.0', `192.0.2.${email === account.email ? 1 : 2}`);
      await browser.get('/login');
      const seen: string[] = [];
      for (let i = 0; i < 8; i++) {
        const page = await tryPassword(browser, email, 'wrong password guess');
        seen.push(`${page.status}:${page.headers['retry-after'] ?? ''}:${/role="alert">([^<]*)/.exec(page.body)?.[1]}`);
      }
      return seen;
    };
    const start = t().clock.now();
    const known = await answers(account.email);
    t().clock.set(start);
    expect(await answers('nobody.here@clinic.example')).toEqual(known);
  });

  it('50 parallel wrong passwords for one email: exactly 5 are evaluated, 45 refused as limited', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await browser.get('/login');
    const pages = await Promise.all(Array.from({ length: 50 }, () => tryPassword(browser, account.email, 'wrong password guess')));
    const statuses = pages.map((p) => p.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    expect(await auditCount(t(), 'sign_in.password_failed')).toBe(5);
  });

  it('one client address gets at most 100 failed attempts per 15 minutes across all accounts', async () => {
    const victim = await addAccount(t());
    const stuffing = new TestBrowser(t().app, 'Stuffer/1.0', '203.0.113.99');
    await stuffing.get('/login');
    for (let i = 0; i < 100; i++) {
      t().clock.advance(2 * SECOND); // below the 100 password checks a minute an address may cause
      expect((await tryPassword(stuffing, `leaked${i}@mail.example`, 'Summer2024!')).status).toBe(401);
    }
    const refused = await tryPassword(stuffing, victim.email, victim.password);
    expect(refused.status).toBe(429);
    expect(refused.body).toContain('Too many failed sign-in attempts from your network.');
    expect(await auditCount(t(), 'sign_in.throttled')).toBe(1);

    const elsewhere = new TestBrowser(t().app, 'Clinic/1.0', '203.0.113.7');
    await elsewhere.get('/login');
    expect((await tryPassword(elsewhere, victim.email, victim.password)).status).toBe(303);

    // The limit spans two windows, so the burst counts until the next window has also passed.
    t().clock.advance(15 * MINUTE);
    expect((await tryPassword(stuffing, victim.email, victim.password)).status).toBe(429);
    t().clock.advance(15 * MINUTE);
    expect((await tryPassword(stuffing, victim.email, victim.password)).status).toBe(303);
  });

  it('successful sign-ins do not count against the client address', async () => {
    const account = await addAccount(t());
    const office = new TestBrowser(t().app, 'Clinic/1.0', '203.0.113.8');
    for (let i = 0; i < 105; i++) {
      t().clock.advance(2 * SECOND); // below the 100 password checks a minute an address may cause
      await office.get('/login');
      expect((await tryPassword(office, account.email, account.password)).status).toBe(303);
    }
  });
});

describeOnEachDatabase('code guessing', (database) => {
  const t = freshAppPerTest(database);

  async function enrolled(): Promise<TestAccount> {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    return account;
  }

  async function atCodeStep(account: TestAccount, remoteAddress = '203.0.113.10'): Promise<TestBrowser> {
    const browser = new TestBrowser(t().app, 'Guesser/1.0', remoteAddress);
    expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
    await browser.get('/mfa/verify');
    return browser;
  }

  it('a sign-in allows 5 wrong codes, then it must start over with the password', async () => {
    const account = await enrolled();
    const browser = await atCodeStep(account);
    for (let i = 0; i < 4; i++) expect((await browser.post('/mfa/verify', { code: WRONG_CODE })).status).toBe(401);
    const fifth = await browser.post('/mfa/verify', { code: WRONG_CODE });
    expect(fifth.status).toBe(429);
    expect(fifth.body).toContain('Too many wrong codes: for your protection this sign-in was stopped.');
    expect(browser.cookies.has('hms_session')).toBe(false);
    t().clock.advance(30_000);
    const late = await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) });
    expect(late.status).toBe(401);
  });

  it('50 parallel wrong codes in one sign-in: exactly 5 are evaluated, 45 refused as limited', async () => {
    const account = await enrolled();
    const browser = await atCodeStep(account);
    const pages = await Promise.all(Array.from({ length: 50 }, () => browser.post('/mfa/verify', { code: WRONG_CODE })));
    expect(await auditCount(t(), 'sign_in.code_failed')).toBe(5);
    // Refused: by the limit (429), or because the limit had already ended this sign-in (401).
    expect(pages.every((p) => p.status === 401 || p.status === 429)).toBe(true);
    expect(pages.filter((p) => p.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(await t().ctx.db.selectFrom('sessions').select('id_hash').where('stage', '=', 'pending').execute()).toEqual([]);
  });

  it('10 wrong codes in a row lock the second factor for 15 minutes, the next lock for 30; the page says whom to call', async () => {
    const account = await enrolled();
    for (let round = 0; round < 2; round++) {
      let browser = await atCodeStep(account);
      for (let i = 1; i <= 10; i++) {
        if (i === 6) browser = await atCodeStep(account);
        const page = await browser.post('/mfa/verify', { code: WRONG_CODE });
        if (i === 10) {
          expect(page.status).toBe(429);
          expect(page.body).toContain('codes are refused for the next');
          expect(page.body).toContain('support@hms.example');
        }
      }
      const lockMinutes = round === 0 ? 15 : 30;
      expect(await auditCount(t(), 'account.locked')).toBe(round + 1);
      // While locked, even the right code is refused, and the page says for how long.
      t().clock.advance((lockMinutes - 1) * MINUTE);
      const during = await atCodeStep(account);
      expect(during.lastPage).toContain('for the next 60 seconds');
      const withRightCode = new TestBrowser(t().app);
      await submitPassword(withRightCode, account);
      const right = await withRightCode.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) });
      expect(right.status).toBe(429);
      expect(right.body).toContain('codes are refused for the next');
      t().clock.advance(MINUTE);
      if (round === 1) {
        const after = await atCodeStep(account);
        expect((await after.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).location).toBe('/');
      }
    }
  });

  it('50 parallel wrong codes in 50 sign-ins of one account: exactly 10 are evaluated, 40 refused as locked', async () => {
    const account = await enrolled();
    const browsers: TestBrowser[] = [];
    for (let i = 0; i < 50; i++) browsers.push(await atCodeStep(account, `198.51.100.${i + 1}`));
    const pages = await Promise.all(browsers.map((browser) => browser.post('/mfa/verify', { code: WRONG_CODE })));
    expect(await auditCount(t(), 'sign_in.code_failed')).toBe(10);
    expect(pages.filter((p) => p.status === 401)).toHaveLength(9);
    expect(pages.filter((p) => p.status === 429)).toHaveLength(41); // the 10th wrong one reports the lock it set
  });

  it('wrong codes count against the client address with failed passwords: many stolen passwords do not buy 10 code guesses each', async () => {
    const [first, second] = [await enrolled(), await enrolled()];
    const attacker = '203.0.113.50';
    const stuffing = new TestBrowser(t().app, 'Stuffer/1.0', attacker);
    await stuffing.get('/login');
    for (let i = 0; i < 95; i++) expect((await stuffing.post('/login', { email: `leaked${i}@mail.example`, password: 'Summer2024!' })).status).toBe(401);
    const onFirst = await atCodeStep(first, attacker); // a right password does not count
    for (let i = 0; i < 4; i++) expect((await onFirst.post('/mfa/verify', { code: WRONG_CODE })).status).toBe(401);
    const onSecond = await atCodeStep(second, attacker);
    expect((await onSecond.post('/mfa/verify', { code: WRONG_CODE })).status).toBe(401); // the 100th failure

    const refused = await onSecond.post('/mfa/verify', { code: WRONG_CODE });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body).toContain('Too many failed sign-in attempts from your network.');
    t().clock.advance(30_000);
    expect((await onSecond.post('/mfa/verify', { code: codeAt(second.secret!, t().clock.now()) })).status).toBe(429);
    expect((await onSecond.post('/mfa/recovery', { recovery_code: 'abcde-12345' })).status).toBe(429);
    expect(await auditCount(t(), 'sign_in.code_failed')).toBe(5);

    const owner = await atCodeStep(second, '198.51.100.77');
    expect((await owner.post('/mfa/verify', { code: codeAt(second.secret!, t().clock.now()) })).location).toBe('/');
    t().clock.advance(30 * MINUTE);
    const later = await atCodeStep(first, attacker);
    expect((await later.post('/mfa/verify', { code: codeAt(first.secret!, t().clock.now()) })).location).toBe('/');
  });

  it('a right code resets the count', async () => {
    const account = await enrolled();
    for (let round = 0; round < 2; round++) {
      let browser = await atCodeStep(account);
      for (let i = 1; i <= 9; i++) {
        if (i === 5 || i === 9) browser = await atCodeStep(account); // a sign-in's 5th wrong code ends it
        expect((await browser.post('/mfa/verify', { code: WRONG_CODE })).status).toBe(401);
      }
      t().clock.advance(30_000);
      expect((await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).location).toBe('/');
    }
    expect(await auditCount(t(), 'account.locked')).toBe(0);
  });
});
