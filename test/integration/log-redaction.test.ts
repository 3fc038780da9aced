// Secrets, codes, passwords and tokens never reach the application log (DESIGN.md §2).
import { expect, it } from 'vitest';
import { issueSetupToken } from '../../src/auth/setup-link.js';
import { codeAt, toBase32 } from '../../src/auth/totp.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword } from '../support/sign-in.js';

describeOnEachDatabase('the application log', (database) => {
  const t = freshAppPerTest(database, { HMS_LOG_LEVEL: 'trace' });

  it('holds no password, code, secret, cookie or token, even at trace level', async () => {
    const setupToken = (await issueSetupToken(t().ctx))!;
    const browser = new TestBrowser(t().app);
    await browser.get(`/setup/${setupToken}`);
    const account = await addAccount(t());
    await enroll(t(), browser, account, true);
    await browser.post('/logout', {});
    await submitPassword(browser, { ...account, password: 'a wrong password typed' });
    await submitPassword(browser, account);
    const sessionToken = browser.cookies.get('hms_session')!;
    const deviceToken = browser.cookies.get('hms_device')!;
    await browser.get('/mfa/verify');
    await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) });
    await browser.post('/login', { email: account.email, password: account.password, _csrf: 'forged' });

    const log = t().logLines.join('');
    expect(log).toContain('"url":"/setup/[redacted]"'); // the log was written, with the link masked
    expect(log).toContain('"statusCode":403');
    for (const secret of [account.password, 'a wrong password typed', setupToken, sessionToken, deviceToken,
      toBase32(account.secret!), browser.cookies.get('hms_csrf')!]) {
      expect(log).not.toContain(secret);
    }
    // Six digits also occur inside timestamps; a logged code would stand on its own.
    expect(log).not.toMatch(new RegExp(`(?<!\\d)${codeAt(account.secret!, t().clock.now())}(?!\\d)`));
    expect(log).not.toMatch(/cookie/i);
  });
});
