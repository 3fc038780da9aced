// Two HMS processes on two ports sharing one PostgreSQL database, as behind a load balancer
// (issue #3, "Several instances"). Real processes, real HTTP, the real clock.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { httpTo, TestBrowser } from '../support/browser-client.js';
import { runCli, startServer } from '../support/cli.js';
import { postgresql, type FreshDatabase } from '../support/databases.js';
import { secretFromSetupPage, type TestAccount } from '../support/sign-in.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const { available, reason } = postgresql.requirement;

describe.skipIf(!available)(`two instances on one PostgreSQL${available ? '' : ` [skipped: ${reason}]`}`, () => {
  let database: FreshDatabase;
  let env: Record<string, string>;
  const servers: { stop: () => Promise<void> }[] = [];
  let a: string;
  let b: string;
  const browserOn = (base: string) => new TestBrowser(httpTo(base));

  beforeAll(async () => {
    database = await postgresql.create();
    env = {
      DATABASE_URL: database.databaseUrl,
      HMS_ENCRYPTION_KEYS: `shared:${randomBytes(32).toString('base64')}`,
      HMS_LOG_LEVEL: 'warn',
    };
    const [portA, portB] = [await freePort(), await freePort()];
    // Both start at the same moment on an empty database: the migrations must not collide.
    const started = await Promise.all([portA, portB].map((port, i) =>
      startServer({ ...env, PORT: String(port), HMS_DATA_DIR: `${database.dataDir}/instance-${i}` })));
    servers.push(...started);
    [a, b] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  });

  async function addAccount(): Promise<TestAccount> {
    const account = { email: `two.${randomBytes(4).toString('hex')}@clinic.example`, password: 'shared by two instances', name: 'Two Instances' };
    const result = await runCli(['user', 'add', '--email', account.email, '--name', account.name, '--role', 'clinician', '--password-stdin'],
      { ...env, HMS_DATA_DIR: database.dataDir }, `${account.password}\n`);
    expect(result.code, result.stderr).toBe(0);
    return account;
  }

  async function submitPassword(browser: TestBrowser, account: TestAccount) {
    await browser.get('/login');
    return browser.post('/login', { email: account.email, password: account.password });
  }

  /** Pairs on instance A; the code of the current step is then used. */
  async function enrolledOnA(account: TestAccount, remember = false): Promise<TestBrowser> {
    const browser = browserOn(a);
    expect((await submitPassword(browser, account)).location).toBe('/mfa/setup');
    account.secret = secretFromSetupPage((await browser.get('/mfa/setup')).body);
    const done = await browser.post('/mfa/setup', { code: codeAt(account.secret, Date.now()), remember: remember ? 'on' : undefined });
    expect(done.location).toBe(`/account/security/recovery-codes/new?next=${encodeURIComponent('/')}`);
    await browser.get(done.location!);
    expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/' })).location).toBe('/');
    return browser;
  }

  it('both started together on an empty database and serve', async () => {
    for (const base of [a, b]) expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('a session made on one instance works on the other', async () => {
    const account = await addAccount();
    const onA = await enrolledOnA(account);
    const onB = browserOn(b);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    const dashboard = await onB.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body).toContain('Welcome, Two Instances');
  });

  it('a device remembered on one instance skips the code on the other', async () => {
    const account = await addAccount();
    const onA = await enrolledOnA(account, true);
    const onB = browserOn(b);
    onB.cookies.set('hms_device', onA.cookies.get('hms_device')!);
    expect((await submitPassword(onB, account)).location).toBe('/');
  });

  it('the same code sent to both at the same moment is accepted exactly once', async () => {
    const account = await addAccount();
    await enrolledOnA(account);
    const [onA, onB] = [browserOn(a), browserOn(b)];
    for (const browser of [onA, onB]) {
      expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
      await browser.get('/mfa/verify');
    }
    // The next step's code: inside the ±1 window, and later than the step used at enrollment.
    const code = codeAt(account.secret!, Date.now() + 30_000);
    const results = await Promise.all([onA.post('/mfa/verify', { code }), onB.post('/mfa/verify', { code })]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 401]);
    expect(results.find((r) => r.status === 401)!.body).toContain('That code has already been used');
  });

  it('failed attempts on both instances add up to one count', async () => {
    const account = await addAccount();
    const [onA, onB] = [browserOn(a), browserOn(b)];
    await onA.get('/login');
    await onB.get('/login');
    for (let i = 0; i < 5; i++) {
      const browser = i % 2 === 0 ? onA : onB;
      expect((await browser.post('/login', { email: account.email, password: 'wrong on some instance' })).status).toBe(401);
    }
    // One count in the shared database, with the delay that follows the 5th failure in a row.
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('select failures, blocked_until from password_throttles');
      expect(rows).toHaveLength(1);
      expect(rows[0].failures).toBe(5);
      expect(Number(rows[0].blocked_until)).toBeGreaterThan(Date.now() - 5_000);
    } finally {
      await client.end();
    }
  });
});
