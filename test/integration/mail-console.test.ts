// Mail in the support console and at the command line (issue #15): password-reset links sent by
// support, invitations by mail (the link still shown), the outbox page, and what happens without
// a mail server.
import { expect, it } from 'vitest';
import { TestBrowser } from '../support/browser-client.js';
import { runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { freshAppWithMail, MAIL_ENV, resetPathIn } from '../support/mail.js';
import { addAccount, confirmItsYou, enroll } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

async function signedInAdmin(t: TestApp) {
  const admin = await addAccount(t, 'admin', 'Walter Skinner');
  const browser = new TestBrowser(t.app, 'AdminBrowser/1.0', '192.0.2.77');
  await enroll(t, browser, admin);
  await confirmItsYou(t, browser, admin);
  return { admin, browser };
}

describeOnEachDatabase('mail in the console, with a mail server', (database) => {
  const t = freshAppWithMail(database);

  it('"Send a password-reset link" mails a link naming the support person; it asks for the code like any other', async () => {
    const { browser } = await signedInAdmin(t());
    const dana = await addAccount(t(), 'clinician', 'Dana Scully');
    await enroll(t(), new TestBrowser(t().app), dana);
    const danaId = await userIdOf(t().ctx, dana.email);
    const page = await browser.get(`/admin/users/${danaId}`);
    expect(page.body).toContain('Send a password-reset link');
    const sent = await browser.post(`/admin/users/${danaId}/password-reset`, {});
    expect(sent.status).toBe(201);
    expect(sent.body).toContain(`A password-reset link is on its way to ${dana.email}`);
    expect(sent.body).not.toContain('/password/reset/');
    const mail = (await t().mailTo(dana.email)).find((m) => m.subject === 'Clinique du Lac: reset your password')!;
    expect(mail.text).toContain('Walter Skinner (support) sent you a link');
    const opened = await new TestBrowser(t().app).get(resetPathIn(mail));
    expect(opened.body).toContain('name="code"');
    // The account's recent events name the acting person, linked, with readable details and zoned times.
    const events = (await browser.get(`/admin/users/${danaId}`)).body;
    const adminId = await userIdOf(t().ctx, (await t().ctx.db.selectFrom('users').select('email').where('name', '=', 'Walter Skinner').executeTakeFirstOrThrow()).email);
    expect(events).toContain(`<a href="/admin/users/${adminId}"`);
    expect(events).toMatch(/>Walter Skinner<\/a><\/td>/);
    expect(events).toContain('mailed: true');
    expect(events).not.toContain('{&quot;');
    expect(events).toMatch(/<td class="nowrap">\w{3}, \d+ \w{3} 2026, \d\d:\d\d CET<\/td>/);
  });

  it('an invitation from the console goes by mail and its link is still shown; a new link sends again', async () => {
    const { browser } = await signedInAdmin(t());
    await browser.get('/admin/invite');
    const made = await browser.post('/admin/invite', { name: 'Fox Mulder', email: 'fox@clinic.example', role: 'clinician' });
    expect(made.status).toBe(201);
    expect(made.body).toContain('The invitation is on its way to fox@clinic.example by mail');
    const shown = /id="invitation-link">([^<]+)</.exec(made.body)![1]!;
    const [mail] = await t().mailTo('fox@clinic.example');
    expect(mail!.subject).toBe('Clinique du Lac: you are invited to HMS');
    expect(mail!.text).toContain(shown);
    expect(mail!.text).toContain('Walter Skinner invited you');
    const foxId = await userIdOf(t().ctx, 'fox@clinic.example');
    await browser.get(`/admin/users/${foxId}`);
    const again = await browser.post(`/admin/users/${foxId}/invitation`, {});
    const second = /id="invitation-link">([^<]+)</.exec(again.body)![1]!;
    const mails = await t().mailTo('fox@clinic.example');
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain(second);
    expect(second).not.toBe(shown);
  });

  it('the mail page lists queued and failed messages; `hms user invite` and `send-reset` queue mail the server sends', async () => {
    t().clock.set(Date.now() + 60_000); // the commands write with the system's clock
    const { browser } = await signedInAdmin(t());
    await t().app.mail!.deliverDue();
    t().smtp.setDown(true);
    const env = { ...t().database.env, ...MAIL_ENV, HMS_SMTP_URL: t().smtp.url };
    const invited = await runCli(['user', 'invite', '--email', 'cli@clinic.example', '--name', 'Cli Person', '--role', 'clinician'], env);
    expect(invited.stdout).toContain('It goes to them by mail');
    await t().app.mail!.deliverDue();
    const page = await browser.get('/admin/mail');
    expect(page.status).toBe(200);
    expect(page.body).toContain('cli@clinic.example');
    expect(page.body).toContain('Service not available');
    expect(page.body).toMatch(/queued, 1 try; next \w{3}, \d+ \w{3} 2026, \d\d:\d\d CET/);
    t().smtp.setDown(false);
    t().clock.advance(60_000);
    expect(await t().mailTo('cli@clinic.example')).toHaveLength(1);
    t().clock.set(Date.now() + 60_000);
    expect((await browser.get('/admin/mail')).body).toContain('No message is waiting or has failed.');

    const dana = await addAccount(t(), 'clinician', 'Dana Scully');
    const sent = await runCli(['user', 'send-reset', dana.email], env);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain(`A password-reset link is on its way to ${dana.email}`);
    t().clock.set(Date.now() + 60_000);
    const mails = await t().mailTo(dana.email);
    expect(mails.map((m) => m.subject)).toEqual(['Clinique du Lac: reset your password']);
    // Support at the command line has no account name: the mail names the team, not a placeholder.
    expect(mails[0]!.text).toContain('Support sent you a link to choose a new password');
  });
});

describeOnEachDatabase('mail in the console, without a mail server', (database) => {
  const t = freshAppPerTest(database);

  it('says so on the mail page; the reset link and invitation are shown to pass on; `hms user reset-link` prints one', async () => {
    const { browser } = await signedInAdmin(t());
    expect((await browser.get('/admin/mail')).body).toContain('No mail server is set (HMS_SMTP_URL)');
    const dana = await addAccount(t(), 'clinician', 'Dana Scully');
    const danaId = await userIdOf(t().ctx, dana.email);
    await browser.get(`/admin/users/${danaId}`);
    const sent = await browser.post(`/admin/users/${danaId}/password-reset`, {});
    expect(sent.body).toContain('No mail server is set, so nothing was sent');
    expect(sent.body).toMatch(/id="reset-link">http:\/\/127\.0\.0\.1:3000\/password\/reset\/[\w-]{43}</);
    await browser.get('/admin/invite');
    const made = await browser.post('/admin/invite', { name: 'Fox Mulder', email: 'fox@clinic.example', role: 'clinician' });
    expect(made.body).toContain('No mail server is set, so nothing was sent');
    expect((await browser.get('/password/forgot')).body).toContain('This HMS does not send mail');
    const printed = await runCli(['user', 'reset-link', dana.email], t().database.env);
    expect(printed.stdout).toMatch(/\/password\/reset\/[\w-]{43}/);
    expect((await runCli(['user', 'send-reset', dana.email], t().database.env)).stderr).toContain('No mail server is set');
    expect(await t().ctx.db.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
  });
});
