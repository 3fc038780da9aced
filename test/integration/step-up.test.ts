// Step-up: a signed-in user proves the second factor again before changing accounts or factors.
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, signInWithCode, submitPassword } from '../support/sign-in.js';
import { userIdOf } from '../support/health.js';
import { createPatient } from '../../src/health/patients.js';
import { invite } from '../../src/auth/support.js';

describeOnEachDatabase('confirming it is you (step-up)', (database) => {
  const t = freshAppPerTest(database);

  async function factorVerifiedAt(): Promise<number | null> {
    const [session] = await t().ctx.db.selectFrom('sessions').select('factor_verified_at').where('stage', '=', 'full').execute();
    return session!.factor_verified_at;
  }

  it('a sign-in with a code counts as a fresh factor; a first pairing or a remembered device does not', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    // Pairing proves only that this browser holds the secret it was just shown, not who holds the password.
    await enroll(t(), browser, account, true);
    expect(await factorVerifiedAt()).toBeNull();
    await browser.follow(await browser.post('/logout', {}));
    const other = new TestBrowser(t().app);
    await signInWithCode(t(), other, account);
    expect(await factorVerifiedAt()).toBe(t().clock.now());
    await other.post('/logout', {});
    await submitPassword(browser, account);
    expect(await factorVerifiedAt()).toBeNull();
  });

  it('a current code marks the session verified and returns to a local page only', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    t().clock.advance(10 * MINUTE);
    const page = await browser.get('/verify-again?next=/patients/new');
    expect(page.body).toContain("Confirm it's you");
    const wrong = await browser.post('/verify-again', { code: '000000', next: '/patients/new' });
    expect(wrong.status).toBe(401);
    const done = await browser.post('/verify-again', { code: codeAt(account.secret!, t().clock.now()), next: 'https://evil.example/x' });
    expect(done.location).toBe('/');
    expect(await factorVerifiedAt()).toBe(t().clock.now());
    const replay = await browser.post('/verify-again', { code: codeAt(account.secret!, t().clock.now()), next: '/' });
    expect(replay.body).toContain('already been used');
  });

  it('wrong codes here count towards the account lock like at sign-in', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.get('/verify-again');
    for (let i = 0; i < 9; i++) expect((await browser.post('/verify-again', { code: '000000' })).status).toBe(401);
    const locked = await browser.post('/verify-again', { code: '000000' });
    expect(locked.status).toBe(429);
    expect(locked.body).toContain('codes are refused for the next 15 minutes');
    expect((await browser.get('/')).status).toBe(200); // the session itself goes on
  });

  it('adding patients and choosing care teams ask for a recent code too, then come back to the page of the form', async () => {
    const admin = await addAccount(t(), 'admin', 'Ada Admin');
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, admin);
    const patient = await createPatient(t().ctx, { name: 'Step Patient', dateOfBirth: '1970-01-01', sex: 'male' });
    const clinician = await addAccount(t());
    const clinicianId = await userIdOf(t().ctx, clinician.email);
    await browser.get(`/patients/${patient.id}`);
    const back = (path: string) => `/verify-again?next=${encodeURIComponent(path)}`;
    expect((await browser.post('/patients', { name: 'No Step Up', date_of_birth: '1980-01-01', sex: 'male' })).location).toBe(back('/patients/new'));
    expect((await browser.post(`/patients/${patient.id}/care-team`, { user_id: clinicianId })).location).toBe(back(`/patients/${patient.id}`));
    expect((await browser.post(`/patients/${patient.id}/care-team/remove`, { user_id: clinicianId })).location).toBe(back(`/patients/${patient.id}`));
    // The console's actions come back to the account's page, not to an address that only takes POST.
    const invited = (await invite(t().ctx, { via: 'cli' }, { email: 'invitee@clinic.example', name: 'Invitee', role: 'clinician' })).user;
    expect((await browser.post(`/admin/users/${invited.id}/invitation/revoke`, {})).location).toBe(back(`/admin/users/${invited.id}`));
    expect((await browser.get(`/admin/users/${invited.id}`)).status).toBe(200);
    expect(await t().ctx.db.selectFrom('patients').select('name').execute()).toEqual([{ name: 'Step Patient' }]);
    expect(await t().ctx.db.selectFrom('care_team_members').selectAll().execute()).toEqual([]);
  });

  it('is only for signed-in users', async () => {
    const browser = new TestBrowser(t().app);
    expect((await browser.get('/verify-again')).location).toBe(`/login?next=${encodeURIComponent('/verify-again')}`);
  });
});
