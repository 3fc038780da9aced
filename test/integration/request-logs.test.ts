// The application log an operator reads (issue #11): every line of a request names it by an id
// the client sees too, and the account once known; audit events are log lines as well, with
// their ids and nothing else; tokens are masked, the ids of patients and recordings are not.
import { expect, it } from 'vitest';
import { invite } from '../../src/auth/support.js';
import { createPatient } from '../../src/health/patients.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, enroll } from '../support/sign-in.js';

interface LogLine {
  reqId?: string;
  userId?: string;
  msg: string;
  req?: { url: string; method?: string };
  audit?: { event: string; actor: string | null; subject: string | null; patient?: string; record?: string };
  [field: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeOnEachDatabase('request ids and the log', (database) => {
  const t = freshAppPerTest(database);
  const lines = (): LogLine[] => t().logLines.join('').trim().split('\n').map((line) => JSON.parse(line) as LogLine);

  it('keeps a well-formed X-Request-Id, returns it, and puts it on every line of that request; anything else gets a fresh UUID', async () => {
    const browser = new TestBrowser(t().app);
    const kept = await browser.get('/login', { 'x-request-id': 'lb-7f3a.92_X' });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.92_X');
    const ofThatRequest = lines().filter((line) => line.reqId === 'lb-7f3a.92_X');
    expect(ofThatRequest.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);

    const refused = ['a'.repeat(65), 'two words', 'line\\nbreak', 'ünï', ''];
    const given = new Set<string>();
    for (const id of refused) {
      const page = await browser.get('/login', id ? { 'x-request-id': id } : {});
      const assigned = String(page.headers['x-request-id']);
      expect(assigned).toMatch(UUID);
      given.add(assigned);
    }
    expect(given.size).toBe(refused.length); // a new one each time, not a counter restarting at req-1
    expect((await browser.get('/no-such-page')).headers['x-request-id']).toMatch(UUID);
  });

  it('names the account on the lines of a signed-in request, and writes audit events with ids and no details', async () => {
    const admin = await addAccount(t(), 'admin', 'Ada Admin');
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, admin);
    const adminId = await userIdOf(t().ctx, admin.email);
    const patient = await createPatient(t().ctx, { name: 'Logged Patient', dateOfBirth: '1950-05-05', sex: 'male' });
    await browser.get(`/patients/${patient.id}`, { 'x-request-id': 'view-1' });

    const view = lines().filter((line) => line.reqId === 'view-1');
    expect(view.length).toBeGreaterThanOrEqual(3);
    expect(view.find((line) => line.msg === 'incoming request')!.userId).toBeUndefined(); // not known yet
    expect(view.find((line) => line.msg === 'request completed')!.userId).toBe(adminId);
    // The patient's id is not a secret: it stays in the URL, for the audit trail to be followed.
    expect(view.find((line) => line.msg === 'incoming request')!.req!.url).toBe(`/patients/${patient.id}`);
    const audited = view.find((line) => line.msg === 'audit event')!;
    expect(audited.userId).toBe(adminId);
    expect(audited.audit).toEqual({ event: 'health.patient_viewed', actor: adminId, subject: null, patient: patient.id });

    // An admin action's reason stays in the database; the log line has the ids.
    const { user, token } = await invite({ ...t().ctx, log: t().app.log }, { userId: adminId }, { name: 'New Person', email: 'new.person@clinic.example', role: 'clinician' });
    const invited = lines().find((line) => line.audit?.event === 'admin.account_invited')!;
    expect(invited.audit).toEqual({ event: 'admin.account_invited', actor: adminId, subject: user.id });
    expect(JSON.stringify(invited)).not.toContain('clinician');
    await new TestBrowser(t().app).get(`/invite/${token}`, { 'x-request-id': 'invite-1' });
    const link = lines().find((line) => line.reqId === 'invite-1' && line.req)!;
    expect(link.req!.url).toBe('/invite/[redacted]');
    expect(t().logLines.join('')).not.toContain(token);
  });

  it('names on each line the account of that request only, also with two accounts at once; anonymous requests and the application name none', async () => {
    const [ada, bea] = [await addAccount(t(), 'clinician', 'Ada One'), await addAccount(t(), 'clinician', 'Bea Two')];
    const [adaBrowser, beaBrowser] = [new TestBrowser(t().app), new TestBrowser(t().app)];
    await enroll(t(), adaBrowser, ada);
    await enroll(t(), beaBrowser, bea);
    const [adaId, beaId] = [await userIdOf(t().ctx, ada.email), await userIdOf(t().ctx, bea.email)];
    const requests = [];
    for (let i = 0; i < 10; i++) {
      requests.push(adaBrowser.get('/', { 'x-request-id': `ada-${i}` }), beaBrowser.get('/', { 'x-request-id': `bea-${i}` }),
        new TestBrowser(t().app).get('/login', { 'x-request-id': `anon-${i}` }));
    }
    expect((await Promise.all(requests)).map((page) => page.status)).toEqual(Array(30).fill(200));
    t().app.log.info('a line of the application, not of a request');

    const completed = lines().filter((line) => line.msg === 'request completed');
    const userOf = (prefix: string) => new Set(completed.filter((line) => line.reqId?.startsWith(prefix)).map((line) => line.userId));
    expect(userOf('ada-')).toEqual(new Set([adaId]));
    expect(userOf('bea-')).toEqual(new Set([beaId]));
    expect(userOf('anon-')).toEqual(new Set([undefined]));
    expect(completed.filter((line) => line.reqId?.startsWith('ada-') || line.reqId?.startsWith('bea-') || line.reqId?.startsWith('anon-'))).toHaveLength(30);
    expect(lines().find((line) => line.msg === 'a line of the application, not of a request')!.userId).toBeUndefined();
    // The password step names the account it signs in (the request came without a session); no token is logged.
    const logins = new Set(lines().filter((line) => line.req?.url === '/login' && line.req.method === 'POST').map((line) => line.reqId));
    const loginUsers = completed.filter((line) => logins.has(line.reqId)).map((line) => line.userId);
    expect(loginUsers).toContain(adaId);
    expect(loginUsers).toContain(beaId);
    expect(t().logLines.join('')).not.toContain(adaBrowser.cookies.get('hms_session')!);
  });
});
