// Security events go to the audit log, with who, whom, from where, and nothing secret
// (issue #3, "Audit log"); operators read it and unlock accounts from the command line.
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { codeAt, toBase32 } from '../../src/auth/totp.js';
import { TestBrowser } from '../support/browser-client.js';
import { runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, signInWithCode, submitPassword } from '../support/sign-in.js';

describeOnEachDatabase('the audit log', (database) => {
  const t = freshAppPerTest(database);

  it('records each step of sign-in with actor, subject, client address and user agent, and no secret', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app, 'Mozilla/5.0 AuditTest', '203.0.113.50');
    await submitPassword(browser, { ...account, password: 'a wrong password here' });
    await enroll(t(), browser, account, true);
    await browser.post('/logout', {});
    await submitPassword(browser, account); // remembered device: no code
    await browser.post('/logout', {});
    browser.cookies.delete('hms_device');
    await submitPassword(browser, account);
    await browser.get('/mfa/verify');
    await browser.post('/mfa/verify', { code: '000000' });
    const used = codeAt(account.secret!, t().clock.now());
    await browser.post('/mfa/verify', { code: used }); // already used at enrollment

    const user = await t().ctx.db.selectFrom('users').select('id').where('email', '=', account.email).executeTakeFirstOrThrow();
    const events = (await listEvents(t().ctx, { userId: user.id })).reverse();
    expect(events.map((e) => e.event)).toEqual([
      'sign_in.password_failed', 'mfa.enrolled', 'sign_in.succeeded', 'device.remembered', 'recovery_codes.generated', 'recovery_codes.saved', 'session.signed_out',
      'device.used', 'sign_in.succeeded', 'session.signed_out', 'sign_in.code_failed', 'sign_in.code_replayed',
    ]);
    for (const event of events) {
      expect(event.subject_user_id).toBe(user.id);
      expect(event.client_ip).toBe('203.0.113.50');
      expect(event.user_agent).toBe('Mozilla/5.0 AuditTest');
    }
    expect(events[0]!.actor_user_id).toBeNull(); // a failed password proves nobody's identity
    expect(events[2]!.actor_user_id).toBe(user.id);
    expect(events[2]!.details).toEqual({ second_factor: 'totp' });
    expect(events[8]!.details).toEqual({ second_factor: 'remembered_device' });

    const everything = JSON.stringify(await t().ctx.db.selectFrom('audit_events').selectAll().execute());
    for (const secret of [account.password, 'a wrong password here', used, toBase32(account.secret!), browser.cookies.get('hms_session') ?? 'none']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('`hms audit` prints it, filtered by user and time; `hms user unlock` clears a lock and is audited', async () => {
    const account = await addAccount(t());
    const other = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await enroll(t(), new TestBrowser(t().app), other);
    await browser.post('/logout', {});
    // A stranger's guesses: the browser that signed in is known for the account, with its own budget.
    const stranger = new TestBrowser(t().app);
    await stranger.get('/login');
    for (let i = 0; i < 6; i++) await stranger.post('/login', { email: account.email, password: 'not the password at all' });
    expect((await stranger.post('/login', { email: account.email, password: account.password })).status).toBe(429);

    const env = t().database.env;
    const unlocked = await runCli(['user', 'unlock', account.email.toUpperCase()], env);
    expect(unlocked.stderr).toBe('');
    expect(unlocked.stdout).toContain(`Unlocked ${account.email}`);
    expect((await stranger.post('/login', { email: account.email, password: account.password })).status).toBe(303);

    const printed = await runCli(['audit', '--user', account.email], env);
    expect(printed.code).toBe(0);
    const lines = printed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^time\s+event\s+actor\s+subject\s+patient\s+recording\s+address\s+details/);
    expect(lines[1]).toContain('account.unlocked'); // newest first
    expect(printed.stdout).toContain('account.locked');
    expect(printed.stdout).toContain('sign_in.password_failed');
    expect(printed.stdout).not.toContain(other.email);

    const future = await runCli(['audit', '--since', '2099-01-01'], env);
    expect(future.stdout.trim()).toBe('No events.');
    const bad = await runCli(['audit', '--since', 'yesterday-ish'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be a date or time');
    const unknown = await runCli(['user', 'unlock', 'nobody@clinic.example'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No account has the email nobody@clinic.example.');
  });

  it('a later sign-in with a code is recorded as such', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    await signInWithCode(t(), browser, account);
    const events = await listEvents(t().ctx, { limit: 1 });
    expect(events[0]).toMatchObject({ event: 'sign_in.succeeded', details: { second_factor: 'totp' } });
  });
});
