// Forgotten password (issue #15): a link by mail that asks for the second factor before the new
// password, never the mailbox alone; the same answer for every address; limits in the database.
import { expect, it } from 'vitest';
import { invite, setEnabled } from '../../src/auth/support.js';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { auditTrail, enrollWithRecoveryCodes } from '../support/account.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { freshAppWithMail, resetPathIn } from '../support/mail.js';
import { addAccount, submitPassword } from '../support/sign-in.js';

const NEW_PASSWORD = 'seven quiet lanterns over the harbour';
const NEUTRAL = 'If an account uses this address, we sent a link to it.';

describeOnEachDatabase('forgotten password', (database) => {
  const t = freshAppWithMail(database);

  async function pairedAccount() {
    const account = await addAccount(t());
    const phone = new TestBrowser(t().app);
    const codes = await enrollWithRecoveryCodes(t(), phone, account, true);
    return { account, phone, codes, userId: await userIdOf(t().ctx, account.email) };
  }

  async function askForLink(browser: TestBrowser, email: string) {
    await browser.get('/password/forgot');
    return browser.post('/password/forgot', { email });
  }

  it('the sign-in page links to it; known and unknown addresses get the same answer, only an account gets mail', async () => {
    const { account } = await pairedAccount();
    const browser = new TestBrowser(t().app);
    expect((await browser.get('/login')).body).toContain('href="/password/forgot"');
    const known = await askForLink(browser, account.email.toUpperCase());
    const unknown = await askForLink(browser, 'nobody@clinic.example');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.body).toContain(NEUTRAL);
    expect(unknown.body.replace(/name="_csrf" value="[^"]*"/g, '')).toBe(known.body.replace(/name="_csrf" value="[^"]*"/g, ''));
    const mails = (await t().mailTo(account.email)).filter((mail) => mail.subject.includes('reset your password'));
    expect(mails).toHaveLength(1);
    expect(t().smtp.to('nobody@clinic.example')).toHaveLength(0);
    expect(mails[0]!.text).toContain('works once');
    expect(mails[0]!.html).toContain('/password/reset/');
    expect(mails[0]!.text).not.toContain(account.password);
  });

  it('the link asks for a code first; without it no password is changed; then the password is set, every session ends, and the link is spent', async () => {
    const { account, phone, userId } = await pairedAccount();
    const stranger = new TestBrowser(t().app, 'Mozilla/5.0 (Windows NT 10.0) Firefox/128.0', '198.51.100.9');
    await askForLink(stranger, account.email);
    const [mail] = (await t().mailTo(account.email)).filter((m) => m.subject.includes('reset your password'));
    const path = resetPathIn(mail!);
    const opened = await stranger.get(path);
    expect(opened.status).toBe(200);
    expect(opened.body).toContain('name="code"');
    expect(opened.body).not.toContain('name="new_password"');
    // Skipping the code: the password form is refused, the password stays.
    const skipped = await stranger.post(`${path}/password`, { new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD });
    expect(skipped.location).toBe(path);
    expect((await submitPassword(new TestBrowser(t().app), account)).location).toBe('/mfa/verify');
    // A wrong code is refused like at sign-in.
    expect((await stranger.post(`${path}/code`, { code: '000000' })).status).toBe(401);
    t().clock.advance(30_000);
    const proven = await stranger.post(`${path}/code`, { code: codeAt(account.secret!, t().clock.now()) });
    expect(proven.location).toBe(path);
    const form = await stranger.get(path);
    expect(form.body).toContain('name="new_password"');
    // Another browser with the same link is asked for the code again: the proof belongs to this one.
    expect((await new TestBrowser(t().app).get(path)).body).toContain('name="code"');
    const weak = await stranger.post(`${path}/password`, { new_password: 'password', new_password_again: 'password' });
    expect(weak.status).toBe(400);
    const done = await stranger.post(`${path}/password`, { new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD });
    expect(done.location).toBe('/login?notice=password-reset');
    expect([...stranger.cookies.keys()].filter((name) => name.endsWith('hms_session'))).toEqual([]); // not signed in
    expect((await phone.get('/')).status).toBe(401); // the earlier session ended
    expect(await t().ctx.db.selectFrom('remembered_devices').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).execute()).toEqual([]);
    expect(await t().ctx.db.selectFrom('known_browsers').select('id').where('user_id', '=', userId).execute()).toEqual([]);
    expect((await submitPassword(new TestBrowser(t().app), account)).status).toBe(401);
    expect((await submitPassword(new TestBrowser(t().app), { ...account, password: NEW_PASSWORD })).location).toBe('/mfa/verify');
    // The link is spent.
    expect((await stranger.get(path)).status).toBe(404);
    await stranger.get('/password/forgot'); // a page with a form token
    expect((await stranger.post(`${path}/password`, { new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD })).status).toBe(404);
    const notices = (await t().mailTo(account.email)).map((m) => m.subject);
    expect(notices).toContain('Clinique du Lac: Your password was reset');
    expect((await auditTrail(t(), userId)).map(([event]) => event)).toContain('password.reset');
  });

  it('a recovery code opens it too, and its holder hears how many are left', async () => {
    const { account, codes } = await pairedAccount();
    const browser = new TestBrowser(t().app);
    await askForLink(browser, account.email);
    const path = resetPathIn((await t().mailTo(account.email)).find((m) => m.subject.includes('reset your password'))!);
    expect((await browser.get(`${path}?with=recovery`)).body).toContain('name="recovery_code"');
    expect((await browser.post(`${path}/recovery`, { recovery_code: codes[0] })).location).toBe(path);
    expect((await browser.get(path)).body).toContain('name="new_password"');
    const notice = (await t().mailTo(account.email)).find((m) => m.subject.endsWith('A recovery code was used'));
    expect(notice!.text).toContain('9 unused codes left');
  });

  it('a code already used is refused, and five wrong answers void the link', async () => {
    const { account } = await pairedAccount();
    const browser = new TestBrowser(t().app);
    await askForLink(browser, account.email);
    const path = resetPathIn((await t().mailTo(account.email)).find((m) => m.subject.includes('reset your password'))!);
    await browser.get(path);
    const replayed = await browser.post(`${path}/code`, { code: codeAt(account.secret!, t().clock.now()) }); // the step used at pairing
    expect(replayed.status).toBe(401);
    expect(replayed.body).toContain('already been used');
    for (let i = 0; i < 3; i++) expect((await browser.post(`${path}/code`, { code: '000000' })).status).toBe(401);
    expect((await browser.post(`${path}/code`, { code: '000000' })).status).toBe(404);
    t().clock.advance(30_000);
    await browser.get('/password/forgot'); // a page with a form token
    expect((await browser.post(`${path}/code`, { code: codeAt(account.secret!, t().clock.now()) })).status).toBe(404);
  });

  it('expires after 30 minutes, and a newer link voids the older one', async () => {
    const { account } = await pairedAccount();
    const browser = new TestBrowser(t().app);
    await askForLink(browser, account.email);
    const first = resetPathIn((await t().mailTo(account.email)).filter((m) => m.subject.includes('reset your password'))[0]!);
    await askForLink(browser, account.email);
    const second = resetPathIn((await t().mailTo(account.email)).filter((m) => m.subject.includes('reset your password'))[1]!);
    expect((await browser.get(first)).status).toBe(404);
    expect((await browser.get(second)).status).toBe(200);
    t().clock.advance(30 * MINUTE);
    expect((await browser.get(second)).status).toBe(404);
  });

  it('at most 5 requests per address an hour; a disabled account or a pending invitation gets no link, with the same answer', async () => {
    const { account, userId } = await pairedAccount();
    const browser = new TestBrowser(t().app);
    for (let i = 0; i < 5; i++) expect((await askForLink(browser, account.email)).status).toBe(200);
    expect((await askForLink(browser, account.email)).status).toBe(429);
    expect((await askForLink(browser, 'nobody@clinic.example')).status).toBe(200);
    t().clock.advance(61 * MINUTE);
    await setEnabled(t().ctx, { via: 'cli' }, userId, false);
    await invite(t().ctx, { via: 'cli' }, { email: 'invited@clinic.example', name: 'New Person', role: 'clinician' });
    const before = (await t().mailTo(account.email)).length;
    expect((await askForLink(browser, account.email)).body).toContain(NEUTRAL);
    expect((await askForLink(browser, 'invited@clinic.example')).body).toContain(NEUTRAL);
    expect((await t().mailTo(account.email)).length).toBe(before);
    expect(t().smtp.to('invited@clinic.example').filter((m) => m.subject.includes('reset'))).toHaveLength(0);
  });
});
