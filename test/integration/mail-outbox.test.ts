// The outbox (issue #15): a message is written in the transaction of its event, sent by the
// background sender through a real SMTP server, retried with back-off while the server is down,
// and sent exactly once however many instances share the database.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAccount } from '../../src/auth/accounts.js';
import { setEnabled } from '../../src/auth/support.js';
import { SECOND } from '../../src/clock.js';
import { enqueueMail, FIRST_RETRY, MAX_RETRY_GAP, unsentMail } from '../../src/mail/outbox.js';
import { describeOnEachDatabase } from '../support/each-database.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describeOnEachDatabase('the mail outbox', (database) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const others: TestApp[] = [];

  beforeEach(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(database, { HMS_SMTP_URL: smtp.url, HMS_MAIL_FROM: 'hms@clinic.example', HMS_CLINIC_NAME: 'Clinique du Lac', HMS_PUBLIC_URL: 'https://hms.clinic.example' });
  });
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
    await t.close();
    await smtp.close();
  });

  const resetLink = (token: string) => ({ kind: 'password_reset' as const, link: `https://hms.clinic.example/password/reset/${token}`, expiresAt: t.clock.now() + 30 * 60_000, bySupport: null });

  it('sends a queued message with a text and an HTML part; the link is sealed at rest and gone once sent', async () => {
    const token = 'A'.repeat(43);
    await enqueueMail(t.ctx, t.ctx.db, { email: 'dana@clinic.example', name: 'Dana Scully', userId: null }, resetLink(token));
    const row = await t.ctx.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.key_id).not.toBeNull();
    expect(Buffer.from(row.payload!).toString('latin1')).not.toContain(token);
    expect(await t.app.mail!.deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [mail] = smtp.to('dana@clinic.example');
    expect(mail!.from).toBe('hms@clinic.example');
    expect(mail!.subject).toBe('Clinique du Lac: reset your password');
    expect(mail!.text).toContain(`https://hms.clinic.example/password/reset/${token}`);
    expect(mail!.html).toContain(`href="https://hms.clinic.example/password/reset/${token}"`);
    expect(mail!.text).toContain('Hello Dana Scully');
    const sent = await t.ctx.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
    expect(sent.sent_at).toBe(t.clock.now());
    expect(sent.payload).toBeNull();
    expect(await t.app.mail!.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('is written in the transaction of its event: a support action that is refused queues nothing', async () => {
    const user = await createAccount(t.ctx, { email: 'fox@clinic.example', name: 'Fox Mulder', role: 'clinician', password: 'correct horse battery staple' });
    await setEnabled(t.ctx, { via: 'cli' }, user.id, false);
    await expect(setEnabled(t.ctx, { via: 'cli' }, user.id, false)).rejects.toThrow('already disabled');
    await expect(t.ctx.db.transaction().execute(async (trx) => {
      await enqueueMail(t.ctx, trx, { email: 'fox@clinic.example', name: 'Fox Mulder', userId: user.id }, resetLink('B'.repeat(43)));
      throw new Error('the event failed');
    })).rejects.toThrow('the event failed');
    const rows = await t.ctx.db.selectFrom('mail_outbox').select('kind').execute();
    expect(rows).toEqual([{ kind: 'security_notice' }]);
    await t.app.mail!.deliverDue();
    expect(smtp.to('fox@clinic.example').map((mail) => mail.subject)).toEqual(['Clinique du Lac: Your account was disabled']);
  });

  it('while SMTP is down, messages wait and are retried after 10 s, then doubling up to 2 minutes; they go out once when it is back', async () => {
    smtp.setDown(true);
    await enqueueMail(t.ctx, t.ctx.db, { email: 'dana@clinic.example', name: 'Dana Scully', userId: null }, resetLink('C'.repeat(43)));
    const gaps: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = t.clock.now();
      expect(await t.app.mail!.deliverDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
      const row = await t.ctx.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
      gaps.push(row.next_attempt_at - before);
      expect(await t.app.mail!.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 }); // not due yet
      t.clock.set(row.next_attempt_at);
    }
    expect(gaps).toEqual([FIRST_RETRY, 2 * FIRST_RETRY, 4 * FIRST_RETRY, 8 * FIRST_RETRY, MAX_RETRY_GAP, MAX_RETRY_GAP]);
    expect(gaps.every((gap) => gap <= 5 * 60 * SECOND)).toBe(true);
    const [queued] = await unsentMail(t.ctx);
    expect(queued).toMatchObject({ kind: 'password_reset', attempts: 6, failedAt: null });
    expect(queued!.lastError).toBeTruthy();
    expect(smtp.received).toHaveLength(0);
    smtp.setDown(false);
    expect(await t.app.mail!.deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    t.clock.advance(MAX_RETRY_GAP);
    await t.app.mail!.deliverDue();
    expect(smtp.received).toHaveLength(1);
    expect(await unsentMail(t.ctx)).toEqual([]);
  });

  it('two instances sending from one database at once send every message exactly once', async () => {
    const second = await startTestApp(database, { HMS_SMTP_URL: smtp.url, HMS_PUBLIC_URL: 'https://hms.clinic.example' }, t.database);
    others.push(second);
    second.clock.set(t.clock.now());
    for (let i = 0; i < 30; i++) {
      await enqueueMail(t.ctx, t.ctx.db, { email: `person${i}@clinic.example`, name: `Person ${i}`, userId: null }, resetLink(String(i).padStart(43, 'x')));
    }
    const [a, b] = await Promise.all([t.app.mail!.deliverDue(), second.app.mail!.deliverDue()]);
    expect(a.sent + b.sent).toBe(30);
    expect(smtp.received).toHaveLength(30);
    expect(new Set(smtp.received.map((mail) => mail.to[0])).size).toBe(30);
  });
});

describeOnEachDatabase('without a mail server', (database) => {
  it('nothing is queued or sent', async () => {
    const t = await startTestApp(database);
    try {
      expect(t.app.mail).toBeNull();
      const user = await createAccount(t.ctx, { email: 'fox@clinic.example', name: 'Fox Mulder', role: 'clinician', password: 'correct horse battery staple' });
      await setEnabled(t.ctx, { via: 'cli' }, user.id, false);
      expect(await t.ctx.db.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
