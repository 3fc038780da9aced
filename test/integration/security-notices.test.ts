// Security notifications (issue #15): each change to an account's sign-in mails its holder what
// happened, when (clinic time, with the zone), from which browser and address, and what to do.
import { expect, it } from 'vitest';
import { createAccount } from '../../src/auth/accounts.js';
import { resetMfa, setEnabled, setRole } from '../../src/auth/support.js';
import { codeAt } from '../../src/auth/totp.js';
import { auditTrail, enrollWithRecoveryCodes, recoveryCodesIn } from '../support/account.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { freshAppWithMail } from '../support/mail.js';
import { addAccount, confirmItsYou, secretFromSetupPage, signInWithCode, submitPassword } from '../support/sign-in.js';
import { SoftAuthenticator, webauthnOptionsIn } from '../support/soft-authenticator.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

describeOnEachDatabase('security notifications', (database) => {
  const t = freshAppWithMail(database);

  async function signedIn() {
    const account = await addAccount(t(), 'clinician', 'Dana Scully');
    const browser = new TestBrowser(t().app);
    const codes = await enrollWithRecoveryCodes(t(), browser, account);
    return { account, browser, codes, userId: await userIdOf(t().ctx, account.email) };
  }

  async function subjects(email: string): Promise<string[]> {
    return (await t().mailTo(email)).map((mail) => mail.subject.replace('Clinique du Lac: ', ''));
  }

  async function noticeTo(email: string, subject: string) {
    const mail = (await t().mailTo(email)).find((m) => m.subject === `Clinique du Lac: ${subject}`);
    expect(mail, `a mail "${subject}" to ${email}`).toBeDefined();
    // Every notice: when (clinic zone, named), what to do if it was not them; no secret.
    expect(mail!.text).toMatch(/When: \w{3}, \d{1,2} \w{3} 2026, \d\d:\d\d (CET|CEST)\./);
    expect(mail!.text).toContain('If it was not, change your password at once');
    expect(mail!.text).toContain('https://hms.clinic.example/account/security');
    expect(mail!.html).toContain('<a href="https://hms.clinic.example/account/security">');
    expect(mail!.text).toContain('support@hms.example');
    return mail!;
  }

  it('pairing the authenticator at the first sign-in', async () => {
    const { account } = await signedIn();
    const mail = await noticeTo(account.email, 'An authenticator app was paired with your account');
    expect(mail.text).toContain("From: Unknown browser on Linux");
    expect(mail.text).toContain('address 203.0.113.10');
    expect(mail.text).toContain('Hello Dana Scully');
  });

  it('a sign-in from a browser new to the account, once; none from a browser it knows', async () => {
    const { account } = await signedIn();
    const laptop = new TestBrowser(t().app, FIREFOX, '198.51.100.7');
    expect((await signInWithCode(t(), laptop, account)).status).toBe(303);
    const mail = await noticeTo(account.email, 'New sign-in to your account');
    expect(mail.text).toContain('Firefox 128 on Windows 10, address 198.51.100.7');
    await laptop.post('/logout', {});
    await signInWithCode(t(), laptop, account);
    expect((await subjects(account.email)).filter((s) => s === 'New sign-in to your account')).toHaveLength(1);
  });

  it('a changed password', async () => {
    const { account, browser } = await signedIn();
    await confirmItsYou(t(), browser, account);
    await browser.get('/account/security/password');
    const newPassword = 'seven quiet lanterns over the harbour';
    await browser.post('/account/security/password', { current_password: account.password, new_password: newPassword, new_password_again: newPassword });
    const mail = await noticeTo(account.email, 'Your password was changed');
    expect(mail.text).not.toContain(newPassword);
  });

  it('a replaced authenticator, regenerated recovery codes, a used recovery code with how many are left', async () => {
    const { account, browser, codes } = await signedIn();
    await confirmItsYou(t(), browser, account);
    const newSecret = secretFromSetupPage((await browser.get('/account/security/authenticator')).body);
    await browser.post('/account/security/authenticator', { code: codeAt(newSecret, t().clock.now()), devices: 'keep' });
    await noticeTo(account.email, 'Your authenticator app was replaced');
    account.secret = newSecret;
    await confirmItsYou(t(), browser, account);
    await browser.get('/account/security/recovery-codes');
    const fresh = recoveryCodesIn((await browser.follow(await browser.post('/account/security/recovery-codes/new', {}))).body);
    expect(fresh).toHaveLength(10);
    await noticeTo(account.email, 'New recovery codes were made');
    const other = new TestBrowser(t().app);
    await submitPassword(other, account);
    await other.get('/mfa/recovery');
    await other.post('/mfa/recovery', { recovery_code: fresh[0] });
    expect(codes).not.toContain(fresh[0]);
    const used = await noticeTo(account.email, 'A recovery code was used');
    expect(used.text).toContain('9 unused codes left');
  });

  it('a second factor locked after wrong codes', async () => {
    const { account } = await signedIn();
    for (let round = 0; round < 2; round++) {
      const browser = new TestBrowser(t().app);
      await submitPassword(browser, account);
      await browser.get('/mfa/verify');
      for (let i = 0; i < 5; i++) await browser.post('/mfa/verify', { code: String(100000 + round * 10 + i) });
    }
    await noticeTo(account.email, 'Your second factor is locked after wrong codes');
  });

  it('support resets the second factor (with their name), disables and enables the account, changes its role', async () => {
    const { account, userId } = await signedIn();
    const admin = await createAccount(t().ctx, { email: 'walter@clinic.example', name: 'Walter Skinner', role: 'admin', password: 'correct horse battery staple' });
    const support = { userId: admin.id, client: { clientIp: '192.0.2.4', userAgent: FIREFOX } };
    await resetMfa(t().ctx, support, userId, 'lost phone, ticket 42');
    const reset = await noticeTo(account.email, 'Support reset your second factor');
    expect(reset.text).toContain('by Walter Skinner');
    expect(reset.text).not.toContain('ticket 42');
    await setEnabled(t().ctx, support, userId, false);
    expect((await noticeTo(account.email, 'Your account was disabled')).text).toContain('disabled by Walter Skinner');
    await setEnabled(t().ctx, support, userId, true);
    await noticeTo(account.email, 'Your account was enabled again');
    await setRole(t().ctx, support, userId, 'admin');
    expect((await noticeTo(account.email, 'Your role was changed')).text).toContain('you are now an administrator');
    expect((await auditTrail(t(), userId)).map(([event]) => event)).toEqual(expect.arrayContaining(['admin.mfa_reset', 'admin.role_changed']));
  });
});

describeOnEachDatabase('security notifications of security keys', (database) => {
  const origin = 'http://localhost:3000';
  const t = freshAppWithMail(database, { HMS_PUBLIC_URL: origin });

  it('a security key added, then removed', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enrollWithRecoveryCodes(t(), browser, account);
    await confirmItsYou(t(), browser, account);
    const key = new SoftAuthenticator(origin, 'localhost');
    const options = webauthnOptionsIn((await browser.get('/account/security/keys/new')).body);
    await browser.post('/account/security/keys/new', { name: 'Blue key', credential: key.register(options) });
    const stored = await t().ctx.db.selectFrom('security_keys').select('id').executeTakeFirstOrThrow();
    await browser.get('/account/security/keys');
    await browser.post('/account/security/keys/remove', { key: stored.id });
    const received = (await t().mailTo(account.email)).map((mail) => mail.subject);
    expect(received).toContain('Clinique du Lac: A security key was added to your account');
    expect(received).toContain('Clinique du Lac: A security key was removed from your account');
    const added = (await t().mailTo(account.email)).find((mail) => mail.subject.endsWith('added to your account'))!;
    expect(added.text).toContain(`${origin}/account/security`);
  });
});
