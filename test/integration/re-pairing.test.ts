// After support resets a second factor, the password alone must not pair a new authenticator
// (issue #12, item 3): a one-time re-pairing link, then the password, then pairing, in the
// browser that opened the link. And the first pairing lands with its recovery codes or not at
// all (moved here from issue #11).
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { newPairingLink, resetMfa } from '../../src/auth/support.js';
import { codeAt } from '../../src/auth/totp.js';
import { HOUR, MINUTE } from '../../src/clock.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { isPostgres } from '../../src/db/dialect-types.js';
import { recoveryCodesIn } from '../support/account.js';
import { TestBrowser } from '../support/browser-client.js';
import { runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, enroll, secretFromSetupPage, submitPassword, type TestAccount } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

const SUPPORT = { via: 'cli' } as const;

/** The path of a re-pairing link in a page or printed text. */
function linkIn(text: string): string {
  return /(\/re-pair\/[\w-]{43})/.exec(text)![1]!;
}

/** Pairs from the setup page this browser is on; returns the recovery codes page. */
async function pairHere(t: TestApp, browser: TestBrowser, account: TestAccount) {
  account.secret = secretFromSetupPage((await browser.get('/mfa/setup')).body);
  const paired = await browser.post('/mfa/setup', { code: codeAt(account.secret, t.clock.now()) });
  expect(paired.location).toMatch(/^\/account\/security\/recovery-codes\/new/);
  return browser.follow(paired);
}

describeOnEachDatabase('re-pairing after a support reset', (database) => {
  const t = freshAppPerTest(database);

  async function resetAccount() {
    const account = await addAccount(t());
    await enroll(t(), new TestBrowser(t().app), account);
    const userId = await userIdOf(t().ctx, account.email);
    const token = await resetMfa(t().ctx, SUPPORT, userId, 'Ticket 12: phone lost, identity checked by video call');
    return { account, userId, link: `/re-pair/${token}` };
  }

  it('the password alone leads to a page that says to ask support, and starts no sign-in', async () => {
    const { account, userId } = await resetAccount();
    const attacker = new TestBrowser(t().app, 'Attacker/1.0', '198.51.100.13');
    const page = await submitPassword(attacker, account);
    expect(page.status).toBe(403);
    expect(page.body).toContain('Your authenticator was reset');
    expect(page.body).toContain('support@hms.example');
    expect(attacker.cookies.has('hms_session')).toBe(false);
    expect((await attacker.get('/mfa/setup')).location).toBe('/login');
    expect((await listEvents(t().ctx, { userId })).map((e) => e.event)).toContain('sign_in.pairing_link_needed');
  });

  it('the link, then the password, pairs in the browser that opened it; the link works once; the pairing is no fresh code', async () => {
    const { account, userId, link } = await resetAccount();
    const browser = new TestBrowser(t().app);
    const form = await browser.get(link);
    expect(form.status).toBe(200);
    expect(form.body).toContain(account.email);
    const wrong = await browser.post(link, { password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('The email or password is not correct');
    const opened = await browser.post(link, { password: account.password });
    expect(opened.location).toBe('/mfa/setup');
    // Spent: another browser (with the password too) gets nothing from it.
    const other = new TestBrowser(t().app);
    expect((await other.get(link)).status).toBe(404);
    expect((await submitPassword(other, account)).status).toBe(403);

    const codesPage = await pairHere(t(), browser, account);
    expect(recoveryCodesIn(codesPage.body)).toHaveLength(10);
    expect(await t().ctx.db.selectFrom('pairing_links').selectAll().where('user_id', '=', userId).execute()).toEqual([]);
    // The reviewer's next step: changing the password right after pairing (codes saved). It asks for a code first.
    await browser.post('/account/security/recovery-codes/saved', { saved: 'on' });
    expect((await browser.get('/account/security/password')).location).toBe(`/verify-again?next=${encodeURIComponent('/account/security/password')}`);
    expect((await submitPassword(new TestBrowser(t().app), account)).location).toBe('/mfa/verify');
    const events = (await listEvents(t().ctx, { userId })).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['admin.mfa_reset', 'mfa.pairing_link_used', 'mfa.enrolled']));
  });

  it('a link expires after 72 hours, and an abandoned sign-in spends it; support makes a new one and the old one stops working', async () => {
    const { account, userId, link } = await resetAccount();
    t().clock.advance(72 * HOUR);
    expect((await new TestBrowser(t().app).get(link)).status).toBe(404);
    const second = `/re-pair/${await newPairingLink(t().ctx, SUPPORT, userId)}`;
    const third = `/re-pair/${await newPairingLink(t().ctx, SUPPORT, userId)}`;
    expect((await new TestBrowser(t().app).get(second)).status).toBe(404);
    const browser = new TestBrowser(t().app);
    await browser.get(third);
    expect((await browser.post(third, { password: account.password })).location).toBe('/mfa/setup');
    t().clock.advance(11 * MINUTE); // the sign-in ends before pairing
    expect((await browser.get('/mfa/setup')).status).toBe(401);
    expect((await browser.get(third)).status).toBe(404);
    expect((await submitPassword(browser, account)).status).toBe(403);
  });

  it('support makes a link from the console; a paired account gets none; `hms user reset-mfa` prints one', async () => {
    const admin = await addAccount(t(), 'admin', 'Ada Admin');
    const supportDesk = new TestBrowser(t().app);
    await enroll(t(), supportDesk, admin);
    const { userId } = await resetAccount();
    t().clock.advance(30_000);
    await supportDesk.get('/verify-again');
    await supportDesk.post('/verify-again', { code: codeAt(admin.secret!, t().clock.now()) });
    const accountPage = await supportDesk.get(`/admin/users/${userId}`);
    expect(accountPage.body).toContain('pairs through the re-pairing link sent');
    const made = await supportDesk.post(`/admin/users/${userId}/pairing-link`, {});
    expect(made.status).toBe(201);
    expect(made.body).toContain('It works once');
    expect((await new TestBrowser(t().app).get(linkIn(made.body))).status).toBe(200);
    const paired = await userIdOf(t().ctx, admin.email);
    await supportDesk.get(`/admin/users/${paired}`);
    expect((await supportDesk.post(`/admin/users/${paired}/pairing-link`, {})).body).toContain('has an authenticator paired');

    const clinician = await addAccount(t());
    await enroll(t(), new TestBrowser(t().app), clinician);
    const { env } = t().database;
    const printed = await runCli(['user', 'reset-mfa', clinician.email, '--reason', 'lost phone'], env);
    expect(printed.stderr).toBe('');
    expect(printed.stdout).toContain('the password alone no longer pairs an authenticator');
    const browser = new TestBrowser(t().app);
    await browser.get(linkIn(printed.stdout));
    expect((await browser.post(linkIn(printed.stdout), { password: clinician.password })).location).toBe('/mfa/setup');
  });

  it('an account reset before this version is gated by the upgrade, without a link until support makes one', async () => {
    const account = await addAccount(t());
    const userId = await userIdOf(t().ctx, account.email);
    const { db } = t().ctx;
    await migrateTo(db, '006_admin_console');
    await db.insertInto('audit_events').values({ at: t().clock.now(), event: 'admin.mfa_reset', subject_user_id: userId, details: '{}' }).execute();
    await migrateToLatest(db);
    expect(await db.selectFrom('pairing_links').select(['token_hash']).where('user_id', '=', userId).execute()).toEqual([{ token_hash: null }]);
    expect((await submitPassword(new TestBrowser(t().app), account)).status).toBe(403);
  });
});

describeOnEachDatabase('the first pairing', (database) => {
  const t = freshAppPerTest(database);

  it('lands with its recovery codes or not at all: a failure storing the codes leaves the account unpaired and the sign-in pending', async () => {
    const account = await addAccount(t());
    const userId = await userIdOf(t().ctx, account.email);
    const browser = new TestBrowser(t().app);
    await submitPassword(browser, account);
    account.secret = secretFromSetupPage((await browser.get('/mfa/setup')).body);
    // The database refuses recovery codes, as a full disk or a lost connection would, mid-pairing.
    await breakRecoveryCodes(t(), true);
    const failed = await browser.post('/mfa/setup', { code: codeAt(account.secret, t().clock.now()) });
    expect(failed.status).toBe(500);
    const paired = await t().ctx.db.selectFrom('totp_credentials').select('id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).execute();
    expect(paired).toEqual([]);
    expect(await t().ctx.db.selectFrom('sessions').select('stage').where('user_id', '=', userId).execute()).toEqual([{ stage: 'pending' }]);
    // Once the database works again, the same sign-in pairs, with its codes.
    await breakRecoveryCodes(t(), false);
    t().clock.advance(30_000);
    await browser.get('/mfa/setup');
    const done = await browser.post('/mfa/setup', { code: codeAt(account.secret, t().clock.now()) });
    expect(recoveryCodesIn((await browser.follow(done)).body)).toHaveLength(10);
  });
});

/** A trigger that makes the database refuse every new recovery code (or removes it). */
async function breakRecoveryCodes(t: TestApp, broken: boolean): Promise<void> {
  const { db } = t.ctx;
  if (isPostgres(db)) {
    if (broken) {
      await sql`create function refuse_codes() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(db);
      await sql`create trigger refuse_codes before insert on recovery_codes for each row execute function refuse_codes()`.execute(db);
    } else {
      await sql`drop trigger refuse_codes on recovery_codes`.execute(db);
      await sql`drop function refuse_codes()`.execute(db);
    }
  } else if (broken) {
    await sql`create trigger refuse_codes before insert on recovery_codes begin select raise(abort, 'disk full'); end`.execute(db);
  } else {
    await sql`drop trigger refuse_codes`.execute(db);
  }
}
