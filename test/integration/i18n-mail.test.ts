// E-mails in their recipient's language (issue #16): the account's saved language, else
// HMS_DEFAULT_LANGUAGE, whatever language the browser that caused the mail was speaking. Subject,
// plain text and HTML alike; dates in the clinic's zone written the language's way; links unchanged.
import { expect, it } from 'vitest';
import { createAccount, setAccountLanguage } from '../../src/auth/accounts.js';
import { invite, setEnabled, setRole } from '../../src/auth/support.js';
import { INVITATION_LIFETIME } from '../../src/auth/invitations.js';
import { RESET_LINK_LIFETIME } from '../../src/auth/password-resets.js';
import { timeFormat } from '../../src/web/format.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { freshAppWithMail, resetPathIn, type MailTestApp } from '../support/mail.js';
import { addAccount } from '../support/sign-in.js';
import type { ReceivedMail } from '../support/smtp.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const NBSP = '\u00a0';
const SECURITY_LINK = 'https://hms.clinic.example/account/security';

/** A date as the mail writes it in French: the clinic's zone (Europe/Paris in these tests), named. */
function frenchWhen(ms: number): string {
  const times = timeFormat('Europe/Paris', 'fr-CA');
  return `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
}

async function mailWithSubject(t: MailTestApp, email: string, subject: string): Promise<ReceivedMail> {
  const mail = (await t.mailTo(email)).find((m) => m.subject === `Clinique du Lac${NBSP}: ${subject}`);
  expect(mail, `a mail "${subject}" to ${email}; received: ${(await t.mailTo(email)).map((m) => m.subject).join(' | ')}`).toBeDefined();
  return mail!;
}

/** Both parts say it, and neither greets in English. */
function expectBothParts(mail: ReceivedMail, sentences: string[]): void {
  for (const sentence of sentences) {
    expect(mail.text).toContain(sentence);
    expect(mail.html).toContain(sentence);
  }
  expect(mail.html).toContain('<html lang="fr-CA">');
  for (const part of [mail.text, mail.html]) {
    expect(part).not.toContain('Hello');
    expect(part).not.toContain('If this was you');
  }
}

describeOnEachDatabase('e-mails in the language of the account', (database) => {
  const t = freshAppWithMail(database);

  async function frenchAccount() {
    const account = await addAccount(t(), 'clinician', 'Dana Scully');
    const userId = await userIdOf(t().ctx, account.email);
    await setAccountLanguage(t().ctx, userId, 'fr');
    return { account, userId };
  }

  it('a security notice in French: subject (encoded in the header), text and HTML, date in the clinic zone the French way', async () => {
    const { account, userId } = await frenchAccount();
    const admin = await createAccount(t().ctx, { email: 'walter@clinic.example', name: 'Walter Skinner', role: 'admin', password: 'correct horse battery staple' });
    await setEnabled(t().ctx, { userId: admin.id, client: { clientIp: '192.0.2.4', userAgent: FIREFOX } }, userId, false);
    const mail = await mailWithSubject(t(), account.email, 'Votre compte a été désactivé');
    // A header is ASCII: the accented subject travels as an RFC 2047 encoded word.
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expectBothParts(mail, [
      'Bonjour Dana Scully,',
      `Votre compte a été désactivé par Walter Skinner${NBSP}: vous ne pouvez plus vous y connecter.`,
      `Quand${NBSP}: ${frenchWhen(t().clock.now())}.`,
      'adresse IP 192.0.2.4',
      'Si c’était vous, vous n’avez rien à faire.',
      'communiquez avec l’équipe de soutien.',
      '— Clinique du Lac (HMS)',
    ]);
    expect(mail.text).toContain(SECURITY_LINK);
    expect(mail.html).toContain(`<a href="${SECURITY_LINK}">${SECURITY_LINK}</a>`);
  });

  it('support at the command line is named in French, and the new role with both its forms', async () => {
    const { account, userId } = await frenchAccount();
    await setRole(t().ctx, { via: 'cli' }, userId, 'admin');
    const mail = await mailWithSubject(t(), account.email, 'Votre rôle a été modifié');
    expectBothParts(mail, [
      `Votre rôle a été modifié par l’équipe de soutien (en ligne de commande)${NBSP}: vous êtes maintenant administrateur ou administratrice.`,
    ]);
  });

  it('a password-reset mail in French, though asked for from an English browser; its link as in English', async () => {
    const { account } = await frenchAccount();
    const browser = new TestBrowser(t().app);
    await browser.get('/password/forgot');
    const answer = await browser.post('/password/forgot', { email: account.email });
    expect(answer.body).toContain('<html lang="en"');
    const mail = await mailWithSubject(t(), account.email, 'réinitialisez votre mot de passe');
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expectBothParts(mail, [
      'Bonjour Dana Scully,',
      'Quelqu’un, probablement vous, a demandé à réinitialiser le mot de passe de votre compte HMS.',
      `Ouvrez ce lien pour choisir un nouveau mot de passe. Il ne fonctionne qu’une fois, jusqu’au ${frenchWhen(t().clock.now() + RESET_LINK_LIFETIME)}${NBSP}:`,
      'ce lien seul ne permet pas de le changer.',
      `Si vous n’avez rien demandé, ignorez ce message${NBSP}: votre mot de passe reste le même.`,
    ]);
    const path = resetPathIn(mail);
    expect(mail.html).toContain(`<a href="https://hms.clinic.example${path}">`);
  });

  it('an account with no language gets the default, English: the mail as it always was', async () => {
    const account = await addAccount(t(), 'clinician', 'Dana Scully');
    await setRole(t().ctx, { via: 'cli' }, await userIdOf(t().ctx, account.email), 'admin');
    const mail = (await t().mailTo(account.email)).find((m) => m.subject === 'Clinique du Lac: Your role was changed');
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('Hello Dana Scully,');
    expect(mail!.text).toContain('Your role was changed by support (at the command line): you are now an administrator.');
    expect(mail!.html).toContain('<html lang="en">');
  });
});

describeOnEachDatabase('e-mails with HMS_DEFAULT_LANGUAGE=fr', (database) => {
  const t = freshAppWithMail(database, { HMS_DEFAULT_LANGUAGE: 'fr' });

  it('an invitation to an account with no language is in French', async () => {
    await invite(t().ctx, { via: 'cli' }, { email: 'fox@clinic.example', name: 'Fox Mulder', role: 'clinician' });
    const mail = await mailWithSubject(t(), 'fox@clinic.example', 'invitation à HMS');
    expectBothParts(mail, [
      'Bonjour Fox Mulder,',
      'Un administrateur vous invite à utiliser HMS, le tableau de bord de suivi de santé de Clinique du Lac, en tant que clinicien ou clinicienne.',
      `Il ne fonctionne qu’une fois, jusqu’au ${frenchWhen(t().clock.now() + INVITATION_LIFETIME)}${NBSP}:`,
      `(n’importe quelle application TOTP${NBSP}: Google ou Microsoft Authenticator, 2FAS, FreeOTP…)`,
    ]);
    expect(mail.text).toMatch(/https:\/\/hms\.clinic\.example\/invite\/[\w-]{43}/);
  });

  it('a security notice to an account with no language is in French; one that chose English gets English, as chosen when it is sent', async () => {
    const undecided = await addAccount(t(), 'clinician', 'Dana Scully');
    await setRole(t().ctx, { via: 'cli' }, await userIdOf(t().ctx, undecided.email), 'admin');
    expectBothParts(await mailWithSubject(t(), undecided.email, 'Votre rôle a été modifié'), ['Bonjour Dana Scully,']);

    const english = await addAccount(t(), 'clinician', 'John Doggett');
    const englishId = await userIdOf(t().ctx, english.email);
    await setRole(t().ctx, { via: 'cli' }, englishId, 'admin');
    await setAccountLanguage(t().ctx, englishId, 'en');
    const mail = (await t().mailTo(english.email)).find((m) => m.subject === 'Clinique du Lac: Your role was changed');
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('Hello John Doggett,');
    expect(mail!.html).toContain('<html lang="en">');
  });
});
