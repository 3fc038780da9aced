// "Send again" on the console's mail page (issue #15): a failed security notice goes back in the
// queue and is delivered once; a message that held a single-use link is refused (send a new link
// instead); administrators only, with CSRF and a recent code; a row no longer failed is left alone.
import { expect, it } from 'vitest';
import { setEnabled, sendPasswordReset } from '../../src/auth/support.js';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { deleteOldMail, enqueueMail, GIVE_UP_AFTER, UNSENT_LISTED } from '../../src/mail/outbox.js';
import { sendAgain } from '../../src/mail/resend.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { TestBrowser, csrfTokenIn } from '../support/browser-client.js';
import { describeOnEachDatabase } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { freshAppWithMail, type MailTestApp } from '../support/mail.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';
import { addAccount, confirmItsYou, enroll } from '../support/sign-in.js';

const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9' };

async function signedInAdmin(t: MailTestApp) {
  const admin = await addAccount(t, 'admin', 'Walter Skinner');
  const browser = new TestBrowser(t.app, 'AdminBrowser/1.0', '192.0.2.77');
  await enroll(t, browser, admin);
  await confirmItsYou(t, browser, admin);
  return { admin, adminId: await userIdOf(t.ctx, admin.email), browser };
}

/** Support disables Dana at the command line: she is told by a security notice. Returns its outbox id. */
async function noticeToDana(t: MailTestApp, name = 'Dana Scully'): Promise<{ id: string; email: string; userId: string }> {
  const dana = await addAccount(t, 'clinician', name);
  const userId = await userIdOf(t.ctx, dana.email);
  await setEnabled(t.ctx, { via: 'cli' }, userId, false);
  const row = await t.ctx.db.selectFrom('mail_outbox').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  return { id: row.id, email: dana.email, userId };
}

/** With the mail server down: one try, then three days later the last one, and the message is given up. */
async function failEverything(t: MailTestApp): Promise<void> {
  t.smtp.setDown(true);
  expect((await t.app.mail!.deliverDue()).failed).toBe(0);
  t.clock.advance(GIVE_UP_AFTER);
  expect((await t.app.mail!.deliverDue()).failed).toBeGreaterThan(0);
}

const outboxRow = (t: MailTestApp, id: string) => t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const resentEvents = (t: MailTestApp) => t.ctx.db.selectFrom('audit_events').selectAll().where('event', '=', 'admin.mail_resent').orderBy('id').execute();

describeOnEachDatabase('sending a failed message again', (database) => {
  const t = freshAppWithMail(database, { HMS_PSEUDO_LOCALE: 'on' });

  it('a notice given up while SMTP was down goes back in the queue at "Send again" and is delivered once when SMTP is back', async () => {
    const notice = await noticeToDana(t());
    await failEverything(t());
    const failed = await outboxRow(t(), notice.id);
    expect(failed.failed_at).not.toBeNull();
    expect(failed.payload).not.toBeNull(); // a notice holds no link: kept so that it can go again

    const { browser, adminId } = await signedInAdmin(t());
    const page = await browser.get('/admin/mail');
    expect(page.body).toMatch(/failed \w{3}, \d+ \w{3} 2026/);
    expect(page.body).toContain(`<input type="hidden" name="id" value="${notice.id}"/>`);
    expect(page.body).toContain(`aria-label="Send again: security notice to ${notice.email}"`);
    const pressed = await browser.post('/admin/mail/resend', { id: notice.id });
    expect(pressed.status).toBe(303);
    expect(pressed.location).toBe('/admin/mail?done=resent');
    expect((await browser.follow(pressed)).body).toContain('The message is queued again');

    const requeued = await outboxRow(t(), notice.id);
    expect(requeued).toMatchObject({ failed_at: null, sent_at: null, attempts: 0, next_attempt_at: t().clock.now(), lease_until: null });
    const [event] = await resentEvents(t());
    expect(event).toMatchObject({ actor_user_id: adminId, subject_user_id: notice.userId, client_ip: '192.0.2.77' });
    expect(JSON.parse(event!.details)).toEqual({ message_id: notice.id, kind: 'security_notice' });
    expect(event!.details).not.toContain(notice.email);

    t().smtp.setDown(false);
    const mails = await t().mailTo(notice.email);
    expect(mails.map((mail) => mail.subject)).toEqual(['Clinique du Lac: Your account was disabled']);
    t().clock.advance(2 * MINUTE); // a later round of the sender (within the 5 minutes of the admin's code)
    expect(await t().mailTo(notice.email)).toHaveLength(1);
    expect((await outboxRow(t(), notice.id)).sent_at).not.toBeNull();

    // The same button pressed again from the page still open: nothing moves, nothing is recorded.
    const stale = await browser.post('/admin/mail/resend', { id: notice.id, _csrf: csrfTokenIn(page.body) });
    expect(stale.status).toBe(409);
    expect(stale.body).toContain('This message is no longer among the failed ones');
    expect(await resentEvents(t())).toHaveLength(1);
    expect(await t().mailTo(notice.email)).toHaveLength(1);
  });

  it('a message sent again keeps the time it was first written; its 3 days before giving up, and its retention, start again from "Send again"', async () => {
    const notice = await noticeToDana(t());
    const written = (await outboxRow(t(), notice.id)).created_at;
    await failEverything(t());
    const { browser } = await signedInAdmin(t());
    const before = await browser.get('/admin/mail');
    await browser.post('/admin/mail/resend', { id: notice.id });
    const resentAt = t().clock.now();
    expect(resentAt - written).toBeGreaterThanOrEqual(GIVE_UP_AFTER);
    expect(await outboxRow(t(), notice.id)).toMatchObject({ created_at: written, requeued_at: resentAt, failed_at: null });
    // The "Written" column still shows when it was written; the state says when it was sent again.
    const writtenOf = (body: string) => new RegExp(`data-label="Written">([^<]+)</td><td data-label="To">${notice.email}<`).exec(body)?.[1];
    const after = await browser.get('/admin/mail');
    expect(writtenOf(before.body)).toMatch(/^\w{3}, 25 Nov 2026/);
    expect(writtenOf(after.body)).toBe(writtenOf(before.body));
    expect(after.body).toMatch(/<div class="muted">sent again \w{3}, \d+ \w{3} 2026/);
    // Listed by when it was last queued: first, before the notice the admin's sign-in queued after it was written.
    const recipients = [...after.body.matchAll(/data-label="To">([^<]+)</g)].map((match) => match[1]);
    expect(recipients.length).toBeGreaterThan(1);
    expect(recipients[0]).toBe(notice.email);

    // SMTP is still down: it is tried until 3 days after "Send again", not given up at once.
    await t().app.mail!.deliverDue();
    t().clock.advance(GIVE_UP_AFTER - MINUTE);
    await t().app.mail!.deliverDue();
    expect(await outboxRow(t(), notice.id)).toMatchObject({ failed_at: null, attempts: 2 });
    t().clock.advance(MINUTE);
    await t().app.mail!.deliverDue();
    expect((await outboxRow(t(), notice.id)).failed_at).toBe(t().clock.now());
    // Kept as long as anything queued at that time would be.
    await deleteOldMail(t().ctx, resentAt);
    expect((await outboxRow(t(), notice.id)).failed_at).not.toBeNull();
    await deleteOldMail(t().ctx, resentAt + 1);
    expect(await t().ctx.db.selectFrom('mail_outbox').select('id').where('id', '=', notice.id).executeTakeFirst()).toBeUndefined();
  });

  it('more failed notices than the page lists: it says so, and "Send again" for all counts and queues every one', async () => {
    const dana = await noticeToDana(t());
    const { payload } = await outboxRow(t(), dana.id);
    const { message } = JSON.parse(payload!.toString('utf8'));
    await failEverything(t());
    // A hundred more like it, given up as Dana's was (written here as failed: sending each to a closed server takes 0.1 s).
    for (let i = 0; i < UNSENT_LISTED; i += 1) {
      const id = await enqueueMail(t().ctx, t().ctx.db, { email: `colleague.${i}@clinic.example`, name: `Colleague ${i}`, userId: null }, message);
      await t().ctx.db.updateTable('mail_outbox').set({ failed_at: t().clock.now(), attempts: 2, last_error: 'refused' }).where('id', '=', id).execute();
    }
    const { browser } = await signedInAdmin(t());
    const page = await browser.get('/admin/mail');
    // Signing in may have queued a notice to the admin too: the page lists 100 of all those not sent.
    const unsent = (await t().ctx.db.selectFrom('mail_outbox').select('id').where('sent_at', 'is', null).execute()).length;
    expect(unsent).toBeGreaterThan(UNSENT_LISTED);
    expect(page.body.match(/data-label="Written"/g)).toHaveLength(UNSENT_LISTED);
    expect(page.body).toContain(`Send the ${UNSENT_LISTED + 1} failed messages again`);
    expect(page.body).toContain(`Showing the ${UNSENT_LISTED} most recently queued of the ${unsent} messages not sent.`);
    const pressed = await browser.post('/admin/mail/resend-all', {});
    expect(pressed.location).toBe(`/admin/mail?done=resent-all&count=${UNSENT_LISTED + 1}`);
    const failed = await t().ctx.db.selectFrom('mail_outbox').select('id').where('failed_at', 'is not', null).execute();
    expect(failed).toEqual([]);
    expect((await browser.get('/admin/mail')).body).not.toContain('failed messages again');

    // Migration 015 goes down (every message kept, without the column) and up again (the column empty).
    const { db } = t().ctx;
    await migrateTo(db, '014_reset_key_challenges');
    const down = await db.selectFrom('mail_outbox').selectAll().execute();
    expect(down).toHaveLength(unsent);
    expect(down[0]).not.toHaveProperty('requeued_at');
    await migrateToLatest(db);
    expect((await db.selectFrom('mail_outbox').select('requeued_at').execute()).map((row) => row.requeued_at)).toEqual(Array(unsent).fill(null));
  });

  it('a queued message is not touched, and two presses at once queue a failed one once', async () => {
    const notice = await noticeToDana(t());
    await failEverything(t());
    const { browser, adminId } = await signedInAdmin(t());
    // Fox's notice is queued (not failed) while SMTP is still down.
    const fox = await noticeToDana(t(), 'Fox Mulder');
    await t().app.mail!.deliverDue();
    const queued = await outboxRow(t(), fox.id);
    expect(queued).toMatchObject({ failed_at: null, attempts: 1 });
    await browser.get('/admin/mail');
    const refused = await browser.post('/admin/mail/resend', { id: fox.id });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('This message is no longer among the failed ones');
    expect(await outboxRow(t(), fox.id)).toEqual(queued);
    expect((await browser.post('/admin/mail/resend', { id: 'no-such-message' })).status).toBe(409);

    const admin = { userId: adminId, client: { clientIp: '192.0.2.77', userAgent: 'AdminBrowser/1.0' } };
    const outcomes = await Promise.all([sendAgain(t().ctx, admin, notice.id), sendAgain(t().ctx, admin, notice.id)]);
    expect(outcomes.filter((outcome) => outcome.requeued)).toHaveLength(1);
    expect(await resentEvents(t())).toHaveLength(1);
    t().smtp.setDown(false);
    expect(await t().mailTo(notice.email)).toHaveLength(1);
  });

  it('a failed password-reset link is not sent again: the page says to send a new link from the account page', async () => {
    const dana = await addAccount(t(), 'clinician', 'Dana Scully');
    const danaId = await userIdOf(t().ctx, dana.email);
    await sendPasswordReset(t().ctx, { via: 'cli' }, danaId);
    const { id } = await t().ctx.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
    await failEverything(t());
    const failed = await outboxRow(t(), id);
    expect(failed.payload).toBeNull(); // the link, a credential, is not kept once its message fails

    const { browser } = await signedInAdmin(t());
    const page = await browser.get('/admin/mail');
    expect(page.body).not.toContain(`name="id" value="${id}"`);
    expect(page.body).toContain(`<a href="/admin/users/${danaId}">Send a new link from the account page</a>`);
    const refused = await browser.post('/admin/mail/resend', { id });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('This message held a single-use link (a password reset or an invitation), so it is not sent again');
    expect(refused.body).toContain(`<a href="/admin/users/${danaId}">Open the account page.</a>`);
    expect(await outboxRow(t(), id)).toEqual(failed);
    expect(await resentEvents(t())).toEqual([]);
    const french = await browser.post('/admin/mail/resend', { id }, FRENCH);
    expect(french.body).toContain('Ce message contenait un lien à usage unique');
  });

  it('"Send the 2 failed messages again" queues every failed notice, not the failed link; each is audited and delivered once', async () => {
    const dana = await noticeToDana(t());
    const fox = await noticeToDana(t(), 'Fox Mulder');
    const monica = await addAccount(t(), 'clinician', 'Monica Reyes');
    await sendPasswordReset(t().ctx, { via: 'cli' }, await userIdOf(t().ctx, monica.email));
    await failEverything(t());
    const { admin, browser } = await signedInAdmin(t());
    const page = await browser.get('/admin/mail');
    expect(page.body).toContain('Send the 2 failed messages again');
    // Every word of the page, its buttons and a refusal comes from the catalogs.
    const errors = (await t().ctx.db.selectFrom('mail_outbox').select('last_error').execute()).map((row) => row.last_error ?? '');
    const dates = ['Mon,', 'Tue,', 'Wed,', 'Thu,', 'Fri,', 'Sat,', 'Sun,', 'Nov', 'Dec', 'CET'];
    const data = [dana.email, fox.email, monica.email, admin.name, admin.email, ...errors, ...dates];
    browser.cookies.set(...PSEUDO_COOKIE);
    expect(untranslatedText((await browser.get('/admin/mail')).body, data)).toEqual([]);
    const linkId = (await t().ctx.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'password_reset').executeTakeFirstOrThrow()).id;
    expect(untranslatedText((await browser.post('/admin/mail/resend', { id: linkId })).body, data)).toEqual([]);
    browser.cookies.delete(PSEUDO_COOKIE[0]);
    await browser.get('/admin/mail');
    const pressed = await browser.post('/admin/mail/resend-all', {});
    expect(pressed.location).toBe('/admin/mail?done=resent-all&count=2');
    expect((await browser.follow(pressed)).body).toContain('2 messages are queued again');
    expect((await browser.get('/admin/mail?done=resent-all&count=2', FRENCH)).body).toContain('2 messages sont de nouveau en attente\u00a0:');
    const events = await resentEvents(t());
    expect(events.map((event) => JSON.parse(event.details).message_id).sort()).toEqual([dana.id, fox.id].sort());
    t().smtp.setDown(false);
    expect(await t().mailTo(dana.email)).toHaveLength(1);
    expect((await t().mailTo(fox.email)).map((mail) => mail.subject)).toEqual(['Clinique du Lac: Your account was disabled']);
    const link = await t().ctx.db.selectFrom('mail_outbox').select(['failed_at']).where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
    expect(link.failed_at).not.toBeNull();
  });

  it('administrators only (404 for a clinician), with the form token, and with a code entered in the last 5 minutes', async () => {
    const notice = await noticeToDana(t());
    await failEverything(t());
    const before = await outboxRow(t(), notice.id);

    const clinician = await addAccount(t(), 'clinician', 'John Doggett');
    const clinicianBrowser = new TestBrowser(t().app);
    await enroll(t(), clinicianBrowser, clinician);
    await confirmItsYou(t(), clinicianBrowser, clinician);
    expect((await clinicianBrowser.get('/admin/mail')).status).toBe(404);
    expect((await clinicianBrowser.post('/admin/mail/resend', { id: notice.id })).status).toBe(404);
    expect((await clinicianBrowser.post('/admin/mail/resend-all', {})).status).toBe(404);

    const { admin, browser } = await signedInAdmin(t());
    await browser.get('/admin/mail');
    const forged = await browser.post('/admin/mail/resend', { id: notice.id, _csrf: undefined });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('This form is out of date or did not come from HMS');
    expect((await browser.post('/admin/mail/resend-all', { _csrf: 'forged' })).status).toBe(403);
    await browser.get('/admin/mail');
    const noMessage = await browser.post('/admin/mail/resend', {});
    expect(noMessage.status).toBe(400);
    expect(noMessage.body).toContain('The message');

    await browser.get('/admin/mail');
    t().clock.advance(5 * MINUTE);
    const asked = await browser.post('/admin/mail/resend', { id: notice.id });
    expect(asked.location).toBe(`/verify-again?next=${encodeURIComponent('/admin/mail')}`);
    expect(await outboxRow(t(), notice.id)).toEqual(before);
    expect(await resentEvents(t())).toEqual([]);
    await browser.get(asked.location!);
    const confirmed = await browser.post('/verify-again', { code: codeAt(admin.secret!, t().clock.now()), next: '/admin/mail' });
    expect(confirmed.location).toBe('/admin/mail');
    await browser.get('/admin/mail');
    expect((await browser.post('/admin/mail/resend', { id: notice.id })).location).toBe('/admin/mail?done=resent');
  });
});
