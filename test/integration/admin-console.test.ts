// The support console (issue #5): only administrators see it, every action needs a recent code,
// is audited with the admin as actor, and refuses what would leave things half-done.
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { acceptInvitation, issueInvitation } from '../../src/auth/invitations.js';
import { invite, resetMfa, setRole } from '../../src/auth/support.js';
import { codeAt } from '../../src/auth/totp.js';
import { HOUR, MINUTE } from '../../src/clock.js';
import { headingOf, TestBrowser } from '../support/browser-client.js';
import { runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, enroll, signInWithCode, submitPassword, type TestAccount } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';
import type { TestApp } from '../support/test-app.js';

async function signedInAdmin(t: TestApp) {
  const admin = await addAccount(t, 'admin', 'Ada Admin');
  const browser = new TestBrowser(t.app, 'AdminBrowser/1.0', '192.0.2.77');
  await enroll(t, browser, admin);
  await confirmItsYou(t, browser, admin);
  return { admin, browser, adminId: await userIdOf(t.ctx, admin.email) };
}

async function pairedUser(t: TestApp, name = 'Dana Scully'): Promise<TestAccount & { id: string; browser: TestBrowser }> {
  const account = await addAccount(t, 'clinician', name);
  const browser = new TestBrowser(t.app);
  await enroll(t, browser, account, true);
  return { ...account, id: await userIdOf(t.ctx, account.email), browser };
}

describeOnEachDatabase('the support console', (database) => {
  const t = freshAppPerTest(database);

  it('non-administrators get 404 at every /admin address, signed in or not, as for a page that does not exist', async () => {
    const user = await pairedUser(t());
    const missing = await user.browser.get('/no-such-page');
    for (const url of ['/admin', '/admin/users', `/admin/users/${user.id}`, '/admin/invite', '/admin/audit', '/admin/audit.csv']) {
      const page = await user.browser.get(url);
      expect(page.status, url).toBe(404);
      expect(page.body.replace(/name="_csrf" value="[^"]+"/g, '')).toBe(missing.body.replace(/name="_csrf" value="[^"]+"/g, ''));
    }
    t().clock.advance(10 * MINUTE); // no recent code: still 404, not a step-up page
    await user.browser.get('/');
    const post = await user.browser.post(`/admin/users/${user.id}/disable`, {});
    expect(post.status).toBe(404);
    expect((await new TestBrowser(t().app).get('/admin/users')).location).toMatch(/^\/login/);
  });

  it('lists and searches accounts with role, status, second factor, last sign-in and locks, 50 to a page', async () => {
    const { browser } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    for (let i = 0; i < 52; i++) await t().ctx.db.insertInto('users').values({ id: `bulk-${i}`, email: `bulk${String(i).padStart(2, '0')}@clinic.example`, name: `Bulk ${String(i).padStart(2, '0')}`, role: 'clinician', password_hash: null, password_changed_at: null, created_at: 0, disabled_at: null }).execute();
    const first = await browser.get('/admin/users');
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('54 accounts');
    const found = await browser.get(`/admin/users?q=${encodeURIComponent('SCULLY')}`);
    expect(found.body).toContain(dana.email);
    expect(found.body).toContain('authenticator');
    expect(found.body).not.toContain('Bulk 01');
    const bulk = await browser.get('/admin/users?q=bulk01');
    expect(bulk.body).toContain('invited');
    expect(bulk.body).toContain('not enrolled');
  });

  it('resets a lost phone: authenticator removed, devices revoked, sessions ended, reason audited; the user pairs again', async () => {
    const { browser, adminId } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    await browser.get(`/admin/users/${dana.id}`);
    const noReason = await browser.post(`/admin/users/${dana.id}/reset-mfa`, { reason: '  ' });
    expect(noReason.status).toBe(409);
    expect(noReason.body).toContain('Give the reason for the reset');
    const done = await browser.post(`/admin/users/${dana.id}/reset-mfa`, { reason: 'Ticket 4711: phone lost, identity checked by video call' });
    expect(done.status).toBe(201);
    expect(done.body).toContain(`The second factor of ${dana.email} was reset`);
    const link = /http:\/\/127\.0\.0\.1:3000(\/re-pair\/[\w-]{43})/.exec(done.body)![1]!;
    expect((await dana.browser.get('/')).status).toBe(401);
    const [event] = (await listEvents(t().ctx, { event: 'admin.mfa_reset' }));
    expect(event).toMatchObject({ actor_user_id: adminId, subject_user_id: dana.id, client_ip: '192.0.2.77' });
    expect(event!.details).toMatchObject({ reason: 'Ticket 4711: phone lost, identity checked by video call', recovery_codes_removed: 10, devices_revoked: 1, sessions_ended: 1 });
    expect(await t().ctx.db.selectFrom('recovery_codes').select('id').where('user_id', '=', dana.id).execute()).toEqual([]);
    // Remembered device forgotten; the password alone no longer pairs a new phone: the link does.
    const passwordOnly = await submitPassword(dana.browser, dana);
    expect(passwordOnly.status).toBe(403);
    expect(passwordOnly.body).toContain('open the re-pairing link support gave you');
    await dana.browser.get(link);
    expect((await dana.browser.post(link, { password: dana.password })).location).toBe('/mfa/setup');
    expect((await dana.browser.get('/mfa/setup')).body).toContain('id="totp-qr"');
  });

  it('a second reset racing the first is refused, and nothing is done twice', async () => {
    const { adminId } = await signedInAdmin(t());
    const other = await addAccount(t(), 'admin', 'Other Admin');
    const dana = await pairedUser(t());
    const outcomes = await Promise.allSettled([
      resetMfa(t().ctx, { userId: adminId }, dana.id, 'first'),
      resetMfa(t().ctx, { userId: await userIdOf(t().ctx, other.email) }, dana.id, 'second'),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason)).toContain('has no authenticator paired');
    expect(await listEvents(t().ctx, { event: 'admin.mfa_reset' })).toHaveLength(1);
  });

  it('an admin cannot reset their own second factor here', async () => {
    const { browser, adminId } = await signedInAdmin(t());
    const page = await browser.get(`/admin/users/${adminId}`);
    expect(page.body).not.toContain('Reset second factor');
    const refused = await browser.post(`/admin/users/${adminId}/reset-mfa`, { reason: 'me' });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('You cannot reset your own second factor here');
  });

  it('every action needs a code entered in the last 5 minutes', async () => {
    const { admin, browser } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    await browser.get(`/admin/users/${dana.id}`);
    t().clock.advance(5 * MINUTE);
    const before = await snapshot(t().ctx);
    const asked = await browser.post(`/admin/users/${dana.id}/disable`, {});
    expect(asked.location).toBe(`/verify-again?next=${encodeURIComponent(`/admin/users/${dana.id}`)}`);
    expect((await snapshot(t().ctx)).users).toEqual(before.users);
    await browser.get(asked.location!);
    const confirmed = await browser.post('/verify-again', { code: codeAt(admin.secret!, t().clock.now()), next: `/admin/users/${dana.id}` });
    expect(confirmed.location).toBe(`/admin/users/${dana.id}`);
    await browser.get(confirmed.location!);
    expect((await browser.post(`/admin/users/${dana.id}/disable`, {})).location).toContain('done=disabled');
  });

  it('disabling ends the sessions at once and stops sign-in; enabling lets the user back', async () => {
    const { browser } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    await browser.get(`/admin/users/${dana.id}`);
    await browser.post(`/admin/users/${dana.id}/disable`, {});
    expect((await dana.browser.get('/')).status).toBe(401);
    // The same answer as a wrong password, whatever was typed: it confirms neither the password nor the account.
    const disabledAnswer = await submitPassword(new TestBrowser(t().app), dana);
    const wrongAnswer = await submitPassword(new TestBrowser(t().app), { ...dana, password: 'not the password at all' });
    expect([disabledAnswer.status, wrongAnswer.status]).toEqual([401, 401]);
    expect(disabledAnswer.body.replace(/name="_csrf" value="[^"]+"/g, '')).toBe(wrongAnswer.body.replace(/name="_csrf" value="[^"]+"/g, ''));
    expect((await browser.post(`/admin/users/${dana.id}/disable`, {})).body).toContain('is already disabled');
    await browser.post(`/admin/users/${dana.id}/enable`, {});
    expect((await signInWithCode(t(), new TestBrowser(t().app), dana)).location).toBe('/');
  });

  it('the last administrator who can sign in cannot be disabled or demoted, even by two admins at once', async () => {
    const { browser, adminId } = await signedInAdmin(t());
    // An invited administrator has no password yet: nobody could reach the console through them.
    await invite(t().ctx, { via: 'cli' }, { email: 'invited.admin@clinic.example', name: 'Invited Admin', role: 'admin' });
    await browser.get(`/admin/users/${adminId}`);
    for (const [path, fields] of [['disable', {}], ['role', { role: 'clinician' }]] as const) {
      const refused = await browser.post(`/admin/users/${adminId}/${path}`, fields);
      expect(refused.status).toBe(409);
      expect(refused.body).toContain('is the last administrator who can sign in');
    }
    expect((await browser.get('/admin/users')).status).toBe(200);
    const second = await userIdOf(t().ctx, (await addAccount(t(), 'admin', 'Second Admin')).email);
    const results = await Promise.allSettled([
      setRole(t().ctx, { userId: adminId }, second, 'clinician'),
      setRole(t().ctx, { userId: second }, adminId, 'clinician'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const admins = await t().ctx.db.selectFrom('users').select('id').where('role', '=', 'admin').where('password_hash', 'is not', null).execute();
    expect(admins).toHaveLength(1);
  });

  it('unlocks a locked account and ends sessions on request; unknown or forged ids get 404', async () => {
    const { browser } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    const guesser = new TestBrowser(t().app);
    await guesser.get('/login');
    for (let i = 0; i < 6; i++) await guesser.post('/login', { email: dana.email, password: 'wrong password again' });
    const page = await browser.get(`/admin/users/${dana.id}`);
    expect(page.body).toContain('status-locked');
    expect((await browser.post(`/admin/users/${dana.id}/unlock`, {})).location).toContain('done=unlocked');
    expect((await submitPassword(new TestBrowser(t().app), dana)).status).toBe(303);
    expect((await browser.post(`/admin/users/${dana.id}/end-sessions`, {})).location).toContain('done=sessions-ended');
    expect((await dana.browser.get('/')).status).toBe(401);
    for (const id of ['00000000-0000-0000-0000-000000000000', "x' or 1=1 --", 'a'.repeat(64)]) {
      expect((await browser.get(`/admin/users/${encodeURIComponent(id)}`)).status).toBe(404);
      expect((await browser.post(`/admin/users/${encodeURIComponent(id)}/unlock`, {})).status).toBe(404);
    }
  });

  it('changes roles: a clinician made admin sees every patient and the console', async () => {
    const { browser } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    await browser.get(`/admin/users/${dana.id}`);
    expect((await browser.post(`/admin/users/${dana.id}/role`, { role: 'admin' })).location).toContain('done=role');
    expect((await dana.browser.get('/admin/users')).status).toBe(200);
    expect((await browser.post(`/admin/users/${dana.id}/role`, { role: 'root' })).status).toBe(400);
  });
});

describeOnEachDatabase('invitations', (database) => {
  const t = freshAppPerTest(database);

  it('an invitation link creates the account; the invitee sets a password, then pairs at first sign-in; the link works once', async () => {
    const { browser, adminId } = await signedInAdmin(t());
    await browser.get('/admin/invite');
    const created = await browser.post('/admin/invite', { name: 'New Clinician', email: 'New.Clinician@Clinic.example', role: 'clinician' });
    expect(created.status).toBe(201);
    const link = /http:\/\/127\.0\.0\.1:3000(\/invite\/[\w-]{43})/.exec(created.body)![1]!;
    const invitee = new TestBrowser(t().app);
    const form = await invitee.get(link);
    expect(headingOf(form.body)).toBe('Welcome to HMS, New Clinician');
    const weak = await invitee.post(link, { password: 'password1234', confirm: 'password1234' });
    expect(weak.status).toBe(400);
    const done = await invitee.post(link, { password: 'a fresh invitee passphrase', confirm: 'a fresh invitee passphrase' });
    // Pairing goes on in this browser: nobody else gets a window to pair first.
    expect(done.location).toBe('/mfa/setup');
    expect((await invitee.follow(done)).body).toContain('id="totp-qr"');
    expect((await invitee.get(link)).status).toBe(404);
    // Closed before pairing: the first sign-in with the new password still shows the QR code.
    expect((await submitPassword(new TestBrowser(t().app), { email: 'new.clinician@clinic.example', password: 'a fresh invitee passphrase', name: '' })).location).toBe('/mfa/setup');
    const events = (await listEvents(t().ctx, {})).map((e) => [e.event, e.actor_user_id === adminId]);
    expect(events).toContainEqual(['admin.account_invited', true]);
    expect(events).toContainEqual(['account.invitation_accepted', false]);
  });

  it('refuses an invitation for an existing email, and an expired, replaced or revoked link', async () => {
    const { browser } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    await browser.get('/admin/invite');
    const existing = await browser.post('/admin/invite', { name: 'Dup', email: dana.email.toUpperCase(), role: 'clinician' });
    expect(existing.status).toBe(409);
    expect(existing.body).toContain('already exists');

    await browser.get('/admin/invite');
    const created = await browser.post('/admin/invite', { name: 'Late Comer', email: 'late@clinic.example', role: 'clinician' });
    const first = /(\/invite\/[\w-]{43})/.exec(created.body)![1]!;
    const userId = await userIdOf(t().ctx, 'late@clinic.example');
    await browser.get(`/admin/users/${userId}`);
    const resent = await browser.post(`/admin/users/${userId}/invitation`, {});
    const second = /(\/invite\/[\w-]{43})/.exec(resent.body)![1]!;
    const invitee = new TestBrowser(t().app);
    expect((await invitee.get(first)).body).toContain('replaced by a newer one');
    expect((await invitee.get(second)).status).toBe(200);
    await browser.get(`/admin/users/${userId}`);
    expect((await browser.post(`/admin/users/${userId}/invitation/revoke`, {})).location).toContain('done=invitation-revoked');
    expect((await invitee.get(second)).status).toBe(404);
    const third = await issueInvitation(t().ctx, userId, null);
    t().clock.advance(72 * HOUR - 1);
    expect((await invitee.get(`/invite/${third}`)).status).toBe(200);
    t().clock.advance(1);
    expect((await invitee.get(`/invite/${third}`)).status).toBe(404);
    expect((await submitPassword(invitee, { email: 'late@clinic.example', password: 'anything at all here', name: '' })).status).toBe(401);
  });

  it('a link issued while the invitee was accepting (a resend racing it) cannot replace the password chosen', async () => {
    await signedInAdmin(t());
    const { token } = await invite(t().ctx, { via: 'cli' }, { name: 'Quick', email: 'quick@clinic.example', role: 'clinician' });
    const userId = await userIdOf(t().ctx, 'quick@clinic.example');
    const lateLink = await issueInvitation(t().ctx, userId, null); // the resend read "no password yet"…
    await t().ctx.db.updateTable('invitations').set({ revoked_at: null }).where('user_id', '=', userId).execute();
    await acceptInvitation(t().ctx, token, 'a long passphrase of her own'); // …and the acceptance committed first
    const stranger = new TestBrowser(t().app);
    expect((await stranger.get(`/invite/${lateLink}`)).status).toBe(404);
    await expect(acceptInvitation(t().ctx, lateLink, 'a stranger takes it over now')).rejects.toThrow('expired');
    const signIn = await submitPassword(stranger, { email: 'quick@clinic.example', password: 'a long passphrase of her own', name: '' });
    expect(signIn.location).toBe('/mfa/setup');
  });

  it('the same link used twice at once sets one password', async () => {
    await signedInAdmin(t());
    const { token } = await invite(t().ctx, { via: 'cli' }, { name: 'Racer', email: 'racer@clinic.example', role: 'clinician' });
    const results = await Promise.allSettled([
      acceptInvitation(t().ctx, token, 'first racing passphrase'),
      acceptInvitation(t().ctx, token, 'second racing passphrase'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});

describeOnEachDatabase('the audit log in the console', (database) => {
  const t = freshAppPerTest(database, { HMS_TIME_ZONE: 'Europe/Paris' });

  it('filters by account, event and dates, newest first, and exports the same as CSV without formulas', async () => {
    const { browser } = await signedInAdmin(t());
    const dana = await pairedUser(t());
    const hostile = new TestBrowser(t().app, '=HYPERLINK("http://evil.example")', '198.51.100.9');
    await hostile.get('/login');
    await hostile.post('/login', { email: dana.email, password: 'a wrong password typed' });
    const page = await browser.get(`/admin/audit?user=${encodeURIComponent(dana.email)}&event=sign_in.password_failed`);
    expect(page.body).toContain('1 event, newest first');
    expect(page.body).toContain('198.51.100.9');
    const all = await browser.get('/admin/audit');
    expect(all.body.indexOf('sign_in.password_failed')).toBeLessThan(all.body.indexOf('mfa.enrolled'));
    const today = new Date(t().clock.now()).toISOString().slice(0, 10);
    expect((await browser.get(`/admin/audit?from=2000-01-01&to=2000-01-02`)).body).toContain('0 events');
    expect((await browser.get(`/admin/audit?from=${today}&to=${today}`)).body).not.toContain('0 events');
    expect((await browser.get('/admin/audit?user=nobody@clinic.example')).body).toContain('No account has the email nobody@clinic.example.');
    const csv = await browser.get(`/admin/audit.csv?user=${encodeURIComponent(dana.email)}`);
    expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(csv.headers['content-disposition'])).toMatch(/^attachment; filename="hms-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('time,event,actor,subject,patient_id,record_id,client_ip,user_agent,details');
    expect(lines.some((line) => line.includes(`"'=HYPERLINK(""http://evil.example"")"`))).toBe(true);
    expect(lines.slice(1).every((line) => line.includes(dana.email))).toBe(true);
  });
});

describeOnEachDatabase('`hms user` for operators', (database) => {
  const t = freshAppPerTest(database);
  const env = () => (t().database.env);

  it('lists, invites, resets, disables, enables and changes roles, each audited as done from the command line', async () => {
    const dana = await pairedUser(t());
    await addAccount(t(), 'admin', 'Ada Admin');
    const invited = await runCli(['user', 'invite', '--email', 'cli.invitee@clinic.example', '--name', 'Cli Invitee', '--role', 'clinician'], env());
    expect(invited.stdout).toMatch(/\/invite\/[\w-]{43}/);
    const list = await runCli(['user', 'list'], env());
    expect(list.stdout).toMatch(/cli\.invitee@clinic\.example\s+Cli Invitee\s+clinician\s+invited\s+not enrolled\s+-\s+never/);
    expect(list.stdout).toMatch(new RegExp(`${dana.email.replace('.', '\\.')}\\s+Dana Scully\\s+clinician\\s+active\\s+authenticator`));
    expect((await runCli(['user', 'reset-mfa', dana.email], env())).stderr).toMatch(/required option '--reason/);
    expect((await runCli(['user', 'reset-mfa', dana.email, '--reason', 'phone stolen'], env())).stdout).toContain('Reset the second factor');
    expect((await runCli(['user', 'reset-mfa', dana.email, '--reason', 'again'], env())).stderr).toContain('has no authenticator paired');
    expect((await runCli(['user', 'disable', dana.email], env())).stdout).toContain('Disabled');
    expect((await runCli(['user', 'enable', dana.email], env())).stdout).toContain('Enabled');
    expect((await runCli(['user', 'set-role', dana.email, 'admin'], env())).stdout).toContain('is now an administrator');
    expect((await runCli(['user', 'set-role', dana.email, 'root'], env())).stderr).toContain('Role must be one of');
    const events = await listEvents(t().ctx, { userId: dana.id });
    for (const event of ['admin.mfa_reset', 'admin.account_disabled', 'admin.account_enabled', 'admin.role_changed']) {
      expect(events.find((e) => e.event === event)?.details).toMatchObject({ via: 'cli' });
    }
  });
});
