// Property-based fuzzing of every route (fast-check): random, oversized, unicode and malformed
// bodies, headers and cookies. Never a 5xx, never a stack trace, never a changed row for a request
// refused as malformed; a request refused as wrong or limited changes only the counters and the log.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { TestBrowser, csrfTokenIn } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';
import { issueSetupToken } from '../../src/auth/setup-link.js';
import { invite, resetMfa } from '../../src/auth/support.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import { plausible, recordingOf, streamOf, userIdOf } from '../support/health.js';

const FUZZ_RUNS = Number(process.env.HMS_FUZZ_RUNS ?? 1000);

const ROUTES = [
  ['GET', '/login'], ['POST', '/login'], ['GET', '/mfa/setup'], ['POST', '/mfa/setup'], ['GET', '/mfa/verify'],
  ['POST', '/mfa/verify'], ['POST', '/logout'], ['GET', '/setup/TOKEN'], ['POST', '/setup/TOKEN'], ['GET', '/'],
  ['GET', '/healthz'], ['GET', '/assets/style.css'], ['GET', '/assets/../package.json'], ['POST', '/'], ['GET', '/%zz'],
  ['GET', '/?q=PARAM'], ['GET', '/patients/PATIENT'], ['POST', '/patients'], ['POST', '/patients/PATIENT/records'],
  ['POST', '/patients/PATIENT/care-team'], ['GET', '/records/RECORD'], ['GET', '/records/RECORD/chart.json'], ['GET', '/records/RECORD/export.csv'],
  ['GET', '/verify-again'], ['POST', '/verify-again'], ['GET', '/admin/users'], ['GET', '/admin/users/USER'], ['POST', '/admin/users/USER/reset-mfa'],
  ['POST', '/admin/users/USER/role'], ['POST', '/admin/invite'], ['GET', '/admin/audit'], ['GET', '/admin/audit.csv'],
  ['GET', '/invite/TOKEN'], ['POST', '/invite/TOKEN'],
  ['GET', '/mfa/recovery'], ['POST', '/mfa/recovery'], ['GET', '/mfa/security-key'], ['POST', '/mfa/security-key'],
  ['POST', '/verify-again/recovery'], ['GET', '/account/security'], ['POST', '/account/security/password'],
  ['POST', '/account/security/authenticator'], ['POST', '/account/security/recovery-codes/saved'],
  ['GET', '/account/security/recovery-codes/download'], ['POST', '/account/security/sessions/end'],
  ['POST', '/account/security/devices/forget'], ['POST', '/account/security/keys/new'], ['POST', '/account/security/keys/rename'],
  ['POST', '/account/security/keys/remove'],
  ['GET', '/re-pair/TOKEN'], ['POST', '/re-pair/TOKEN'], ['POST', '/admin/users/USER/pairing-link'], ['POST', '/admin/users/USER/invitation/revoke'],
] as const;
const FIELDS = ['email', 'password', 'code', 'remember', 'next', 'name', 'confirm', '_csrf', '__proto__', 'constructor',
  'reason', 'role', 'user_id', 'date_of_birth', 'sex', 'external_id', 'height_cm',
  'recovery_code', 'credential', 'current_password', 'new_password', 'new_password_again', 'devices', 'saved', 'session', 'device', 'key'];
const COOKIE_NAMES = ['hms_session', 'hms_device', 'hms_known', 'hms_csrf', '__Host-hms_session', 'x'];
/** Tables whose rows exist to count failures and record them. */
// webauthn_challenges: a challenge is spent by any answer, right or wrong (and goes with its session).
// known_browsers: a known browser's own count of failures; address_password_checks: hashes made per address.
const COUNTERS_AND_LOG = ['password_throttles', 'second_factor_locks', 'address_throttles', 'audit_events', 'sessions', 'webauthn_challenges',
  'known_browsers', 'address_password_checks'];

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.constantFrom('', ' ', '123456', '123 456', '000000', '１２３４５６', '../../etc/passwd', '<script>alert(1)</script>', "' or 1=1 --",
    'https://evil.example', '//evil.example', '\u0000', '\ud800', 'on', 'a@b.example'),
  fc.nat({ max: 80_000 }).map((n) => 'x'.repeat(n)),
);
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 200 });

function withoutLastSeen(tables: Record<string, string[]>): Record<string, string[]> {
  return { ...tables, sessions: tables.sessions!.map((row) => JSON.stringify({ ...JSON.parse(row), last_seen_at: 0 })) };
}

describeOnEachDatabase('fuzzing every route', (database) => {
  const t = freshAppPerTest(database);

  it(`${FUZZ_RUNS} random requests: never a 5xx, nothing changed when refused`, async () => {
    // Real sessions and tokens for the fuzzer to mix in: so requests get past the cookie and CSRF checks.
    const enrolled = await addAccount(t());
    const paired = new TestBrowser(t().app);
    await enroll(t(), paired, enrolled, true);
    const pendingVerify = new TestBrowser(t().app);
    await submitPassword(pendingVerify, enrolled);
    const pendingSetup = new TestBrowser(t().app);
    await submitPassword(pendingSetup, await addAccount(t()));
    await pendingSetup.get('/mfa/setup');
    const setupToken = (await issueSetupToken(t().ctx)) ?? 'none';
    const admin = await addAccount(t(), 'admin', 'Fuzz Admin');
    const adminBrowser = new TestBrowser(t().app);
    await enroll(t(), adminBrowser, admin);
    const patient = await createPatient(t().ctx, { name: 'Fuzz Patient', dateOfBirth: '1970-01-01', sex: 'unknown' });
    const record = await importCsv(t().ctx, patient.id, streamOf(recordingToCsv(recordingOf(Date.UTC(2026, 10, 20), 120, plausible))));
    const { token: invitation } = await invite(t().ctx, { via: 'cli' }, { name: 'Fuzz Invitee', email: 'fuzz.invitee@clinic.example', role: 'clinician' });
    const reset = await addAccount(t());
    await enroll(t(), new TestBrowser(t().app), reset);
    const rePairing = await resetMfa(t().ctx, { via: 'cli' }, await userIdOf(t().ctx, reset.email), 'fuzz');
    const ids: Record<string, string[]> = {
      TOKEN: [setupToken, invitation, rePairing, 'x'], PATIENT: [patient.id, 'nope'], RECORD: [record.record.id, 'nope'],
      USER: [await userIdOf(t().ctx, enrolled.email), 'nope'], PARAM: ['a', '%', ''],
    };
    const browsers = [paired, pendingVerify, pendingSetup, adminBrowser];
    const validCookies = browsers.flatMap((b) => [...b.cookies].map(([name, value]) => `${name}=${value}`));
    const validTokens = browsers.map((b) => csrfTokenIn(b.lastPage)).filter((x): x is string => Boolean(x));
    const csrfCookie = `hms_csrf=${paired.cookies.get('hms_csrf')}`;

    const form = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(anyText, fc.constantFrom(...validTokens)), { maxKeys: 8 })
      .map((fields) => ({ type: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields as Record<string, string>).toString() }));
    const raw = fc.record({
      type: fc.oneof(fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', ''), headerText),
      body: fc.oneof(anyText, fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1'))),
    });
    const cookie = fc.array(fc.oneof(
      fc.constantFrom(...validCookies, csrfCookie),
      fc.tuple(fc.constantFrom(...COOKIE_NAMES), headerText).map(([name, value]) => `${name}=${value.replace(/[;,]/g, '')}`),
    ), { maxLength: 4 }).map((parts) => parts.join('; '));
    const request = fc.record({
      route: fc.constantFrom(...ROUTES),
      pick: fc.nat(),
      query: fc.option(fc.dictionary(fc.constantFrom('next', 'notice', 'x'), anyText, { maxKeys: 2 }), { nil: undefined }),
      payload: fc.option(fc.oneof(form, raw), { nil: undefined }),
      cookie,
      userAgent: fc.option(headerText, { nil: undefined }),
      forwardedFor: fc.option(headerText, { nil: undefined }),
      clockStep: fc.constantFrom(0, 0, 0, 30_000, 11 * 60_000),
    });

    let refusedAsMalformed = 0;
    let refusedAsWrongOrLimited = 0;
    await fc.assert(fc.asyncProperty(request, async (r) => {
      t().clock.advance(r.clockStep);
      const snapshotBefore = await snapshot(t().ctx);
      const method = r.route[0];
      const template: string = r.route[1];
      const path = template.replace(/TOKEN|PATIENT|RECORD|USER|PARAM/g, (slot) => ids[slot]![r.pick % ids[slot]!.length]!);
      const url = r.query ? `${path}?${new URLSearchParams(r.query as Record<string, string>)}` : path;
      const headers: Record<string, string> = { cookie: r.cookie };
      if (r.userAgent !== undefined) headers['user-agent'] = r.userAgent;
      if (r.forwardedFor !== undefined) headers['x-forwarded-for'] = r.forwardedFor;
      if (r.payload && method === 'POST') headers['content-type'] = r.payload.type;
      const response = await t().app.inject({ method, url, headers, payload: method === 'POST' ? r.payload?.body : undefined });

      expect(response.statusCode, `${method} ${url} → ${response.statusCode}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
      expect(response.body).not.toMatch(/^[ \t]+at .+:\d+:\d+/m); // no stack trace
      if (response.statusCode >= 400) {
        // A refused request by a signed-in user is still activity: only the session's last-seen
        // time may move (the idle timeout counts from it).
        const after = withoutLastSeen(await snapshot(t().ctx));
        const before = withoutLastSeen(snapshotBefore);
        const wrongOrLimited = response.statusCode === 401 || response.statusCode === 429;
        if (wrongOrLimited) refusedAsWrongOrLimited++;
        else refusedAsMalformed++;
        // A health record or patient outside the viewer's care answers 404 and is audited (issue #6).
        const added = after.audit_events!.filter((row) => !before.audit_events!.includes(row)).map((row) => JSON.parse(row).event);
        if (response.statusCode === 404 && added.length > 0 && added.every((event) => event === 'health.access_refused')) {
          after.audit_events = before.audit_events!;
        }
        for (const table of Object.keys(before)) {
          if (wrongOrLimited && COUNTERS_AND_LOG.includes(table)) continue;
          expect(after[table], `${table} changed by ${method} ${url} → ${response.statusCode}`).toEqual(before[table]);
        }
        // Wrong or limited: sessions may end, never begin.
        const sessionIds = (rows: string[]) => rows.map((row) => (JSON.parse(row) as { id_hash: string }).id_hash);
        expect(sessionIds(after.sessions!).every((id) => sessionIds(before.sessions!).includes(id))).toBe(true);
      }
    }), { numRuns: FUZZ_RUNS });

    console.info(`fuzz [${database.label}]: ${FUZZ_RUNS} requests, ${refusedAsMalformed} refused as malformed (no row changed), ${refusedAsWrongOrLimited} refused as wrong or limited`);
    // The fuzzer reached past the guards: a fair share of requests were refused for their content.
    expect(refusedAsMalformed + refusedAsWrongOrLimited).toBeGreaterThan(FUZZ_RUNS / 4);
    // And the app still answers a real user afterwards.
    expect((await submitPassword(new TestBrowser(t().app), enrolled)).status).toBeLessThan(500);
  });
});
