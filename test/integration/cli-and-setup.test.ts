// The operator's side: `hms serve` on an empty database prints a one-time setup link for the first
// administrator; `hms user add` creates accounts with the password read from standard input.
import net from 'node:net';
import { expect, it } from 'vitest';
import { SETUP_LINK_LIFETIME, issueSetupToken } from '../../src/auth/setup-link.js';
import { SECOND } from '../../src/clock.js';
import { headingOf, TestBrowser } from '../support/browser-client.js';
import { runCli, startServer } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { submitPassword } from '../support/sign-in.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const ADMIN = { name: 'Ada Admin', email: 'Ada@Clinic.example', password: 'a long admin passphrase', confirm: 'a long admin passphrase' };

describeOnEachDatabase('the first administrator', (database) => {
  const t = freshAppPerTest(database);

  it('`hms serve` on an empty database prints a setup link that works once; then it prints none', async () => {
    const port = await freePort();
    const env = { ...t().database.env, PORT: String(port), HMS_LOG_LEVEL: 'warn' };
    const server = await startServer(env);
    try {
      const link = /http:\/\/127\.0\.0\.1:\d+(\/setup\/[\w-]{43})/.exec(server.output());
      expect(link, server.output()).not.toBeNull();
      const base = `http://127.0.0.1:${port}`;
      const form = await fetch(`${base}${link![1]}`);
      expect(form.status).toBe(200);
      expect(headingOf(await form.text())).toBe('Create the first administrator');
    } finally {
      await server.stop();
    }
    // Through the app of this test, on the same database: use the link.
    const browser = new TestBrowser(t().app);
    const setupPath = /\/setup\/[\w-]{43}/.exec(server.output())![0];
    await browser.get(setupPath);
    const created = await browser.post(setupPath, ADMIN);
    expect(created.location).toBe('/mfa/setup'); // pairing goes on in the browser that chose the password
    const again = await browser.get(setupPath);
    expect(again.status).toBe(404);
    expect(again.body).toContain('expired or has already been used');

    const restarted = await startServer(env);
    await restarted.stop();
    expect(restarted.output()).not.toContain('/setup/');
    expect((await submitPassword(browser, { ...ADMIN, email: 'ada@clinic.example' })).location).toBe('/mfa/setup');
  });

  it('a new installation has no account at all: no default administrator to guess', async () => {
    expect(await t().ctx.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('the setup link expires after an hour', async () => {
    const token = (await issueSetupToken(t().ctx))!;
    const browser = new TestBrowser(t().app);
    t().clock.advance(SETUP_LINK_LIFETIME - SECOND);
    expect((await browser.get(`/setup/${token}`)).status).toBe(200);
    t().clock.advance(2 * SECOND);
    const expired = await browser.post(`/setup/${token}`, ADMIN);
    expect(expired.status).toBe(409);
    expect(await t().ctx.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('the setup form explains each problem and keeps what was typed, without spending the link', async () => {
    const token = (await issueSetupToken(t().ctx))!;
    const browser = new TestBrowser(t().app);
    await browser.get(`/setup/${token}`);
    const page = await browser.post(`/setup/${token}`, { name: ' ', email: 'not-an-email', password: 'short', confirm: 'other' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('Enter a name.');
    expect(page.body).toContain('Enter an email address like name@example.org.');
    expect(page.body).toContain('Use at least 12 characters');
    expect(page.body).toContain('The two passwords are not the same.');
    expect(page.body).toContain('value="not-an-email"');
    expect(page.body).not.toContain('value="short"');
    expect((await browser.post(`/setup/${token}`, ADMIN)).location).toBe('/mfa/setup');
  });

  it('an unknown or malformed setup link is refused', async () => {
    const browser = new TestBrowser(t().app);
    expect((await browser.get(`/setup/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await browser.get('/setup/<script>')).status).toBe(404);
  });
});

describeOnEachDatabase('`hms user add`', (database) => {
  const t = freshAppPerTest(database);
  const env = () => (t().database.env);

  it('creates an account with the password from standard input; email is case-insensitive and unique', async () => {
    const added = await runCli(['user', 'add', '--email', 'Grace@Clinic.Example', '--name', 'Grace Hopper', '--role', 'clinician', '--password-stdin'],
      env(), 'compilers are patient things\n');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Created clinician grace@clinic.example');
    const page = await submitPassword(new TestBrowser(t().app), { email: 'GRACE@clinic.example', password: 'compilers are patient things', name: '' });
    expect(page.location).toBe('/mfa/setup');

    const duplicate = await runCli(['user', 'add', '--email', 'grace@CLINIC.example', '--name', 'Other', '--role', 'admin', '--password-stdin'],
      env(), 'another long password\n');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('An account with the email grace@clinic.example already exists.');
  });

  it('refuses a weak password, an unknown role, and a password on the command line', async () => {
    const weak = await runCli(['user', 'add', '--email', 'a@b.example', '--name', 'A', '--role', 'admin', '--password-stdin'], env(), 'password1234\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('attackers try first');
    const role = await runCli(['user', 'add', '--email', 'a@b.example', '--name', 'A', '--role', 'root', '--password-stdin'], env(), 'x\n');
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('Role must be one of: admin, clinician.');
    const argv = await runCli(['user', 'add', '--email', 'a@b.example', '--name', 'A', '--role', 'admin', '--password-stdin', '--password', 'on the command line'], env(), 'a long enough password\n');
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/unknown option '--password'/);
    expect(await t().ctx.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('`hms migrate` reports that the schema is up to date', async () => {
    const result = await runCli(['migrate'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The database schema is up to date.');
  });
});
