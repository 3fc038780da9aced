// How long a session lasts and what ends it (issue #3, "Sessions"; DESIGN.md §2).
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { setDisabled, setPassword } from '../../src/auth/accounts.js';
import { HOUR, MINUTE, SECOND } from '../../src/clock.js';
import { sweep } from '../../src/maintenance.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword } from '../support/sign-in.js';
import { startTestApp } from '../support/test-app.js';
import { codeAt } from '../../src/auth/totp.js';

describeOnEachDatabase('session lifetime', (database) => {
  const t = freshAppPerTest(database);

  async function signedIn() {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    const user = await t().ctx.db.selectFrom('users').selectAll().where('email', '=', account.email).executeTakeFirstOrThrow();
    return { account, browser, user };
  }

  // The lookup's statement is compiled once and reused with each token's hash (issue #17).
  it('each cookie finds its own session and user, however the requests of two users alternate', async () => {
    const first = await signedIn();
    const second = await addAccount(t(), 'admin', 'Fox Mulder');
    const secondBrowser = new TestBrowser(t().app);
    await enroll(t(), secondBrowser, second);
    for (let i = 0; i < 3; i++) {
      const [one, two] = await Promise.all([first.browser.get('/'), secondBrowser.get('/')]);
      expect(one.body).toContain('Dana Scully');
      expect(one.body).not.toContain('Fox Mulder');
      expect(two.body).toContain('Fox Mulder');
      expect(two.body).not.toContain('Dana Scully');
    }
    expect((await new TestBrowser(t().app).get('/')).location).toBe('/login');
  });

  it('ends after 30 minutes without a request; each request restarts the count', async () => {
    const { browser } = await signedIn();
    for (let i = 0; i < 4; i++) {
      t().clock.advance(29 * MINUTE);
      expect((await browser.get('/')).status).toBe(200);
    }
    t().clock.advance(30 * MINUTE);
    const ended = await browser.get('/');
    expect(ended.status).toBe(401);
    expect(ended.body).toContain('Your session has ended');
  });

  it('ends 12 hours after sign-in however active the user is', async () => {
    const { browser } = await signedIn();
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      t().clock.advance(20 * MINUTE);
      expect((await browser.get('/')).status).toBe(200);
    }
    t().clock.advance(20 * MINUTE);
    expect((await browser.get('/')).status).toBe(401);
  });

  it('a user active more often than the idle limit stays signed in, however short the limit', async () => {
    const custom = await startTestApp(database, { HMS_SESSION_IDLE_MINUTES: '1' });
    try {
      const account = await addAccount(custom);
      const browser = new TestBrowser(custom.app);
      await enroll(custom, browser, account);
      for (const pause of [40, 40, 40, 54, 54, 54]) {
        custom.clock.advance(pause * SECOND);
        expect((await browser.get('/')).status).toBe(200);
      }
      custom.clock.advance(MINUTE);
      expect((await browser.get('/')).status).toBe(401);
    } finally {
      await custom.close();
    }
  });

  it('both limits are configurable', async () => {
    const custom = await startTestApp(database, { HMS_SESSION_IDLE_MINUTES: '5', HMS_SESSION_MAX_HOURS: '1' });
    try {
      const account = await addAccount(custom);
      const browser = new TestBrowser(custom.app);
      await enroll(custom, browser, account);
      custom.clock.advance(5 * MINUTE - SECOND);
      expect((await browser.get('/')).status).toBe(200);
      custom.clock.advance(5 * MINUTE);
      expect((await browser.get('/')).status).toBe(401);
    } finally {
      await custom.close();
    }
  });

  it('ends when the password changes, and remembered devices are revoked with it', async () => {
    const { account, browser, user } = await signedIn();
    await browser.post('/logout', {});
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    t().clock.advance(30_000);
    await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()), remember: 'on' });
    expect((await browser.get('/')).status).toBe(200);
    t().clock.advance(SECOND);
    await setPassword(t().ctx, user.id, 'a brand new passphrase');
    expect((await browser.get('/')).status).toBe(401);
    expect((await submitPassword(browser, { ...account, password: 'a brand new passphrase' })).location).toBe('/mfa/verify');
  });

  it('ends at once when the account is disabled', async () => {
    const { browser, user } = await signedIn();
    await setDisabled(t().ctx, user.id, true);
    expect((await browser.get('/')).status).toBe(401);
  });

  it('an ended session is removed by the sweep and recorded once in the audit log', async () => {
    const { user } = await signedIn();
    t().clock.advance(31 * MINUTE);
    expect((await sweep(t().ctx)).sessions).toBe(1);
    expect((await sweep(t().ctx)).sessions).toBe(0);
    const expired = (await listEvents(t().ctx, { userId: user.id })).filter((e) => e.event === 'session.expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.details).toMatchObject({ stage: 'full', reason: 'idle' });
  });
});
