// The forgotten-password and account pages in French and with nothing left outside the catalog
// (issue #16): Accept-Language fr-CA gets French; in the pseudo-language every word a page shows
// comes from a message, except data (names, addresses) and what Intl writes (dates).
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { recoveryCodesIn } from '../support/account.js';
import { userIdOf } from '../support/health.js';
import { TestBrowser, decodeEntities, textById, type Page } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { freshAppWithMail, resetPathIn, type MailTestApp } from '../support/mail.js';
import { addAccount, confirmItsYou, enroll, type TestAccount } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';

const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9' };
const ENGLISH = { 'accept-language': 'en' };
const PSEUDO_ON = { HMS_PSEUDO_LOCALE: 'on' };

/** Product names, the same in every language. */
const OTHER_SECTIONS = [
  'Google Authenticator', 'Microsoft Authenticator', 'Authy', 'Duo Mobile', '2FAS', 'FreeOTP', 'Aegis', 'KeePassXC',
];
/** What Intl writes in a date: not catalog text. */
const DATE_WORD = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|UTC|GMT)[,.]?$/;

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const text = (html: string) => decodeEntities(html.replace(/<[^<>]*>/g, ' ')).replace(/\s+/g, ' ');

function expectFrench(page: Page, ...sentences: string[]) {
  expect(htmlLang(page.body)).toBe('fr-CA');
  for (const sentence of sentences) expect(text(page.body)).toContain(sentence);
}

function expectAllTranslated(page: Page, data: string[] = []) {
  expect(htmlLang(page.body)).toBe('en-XA');
  expect(untranslatedText(page.body, [...data, ...OTHER_SECTIONS]).filter((word) => !DATE_WORD.test(word))).toEqual([]);
}

function pseudoBrowser(t: TestApp): TestBrowser {
  const browser = new TestBrowser(t.app);
  browser.cookies.set(...PSEUDO_COOKIE);
  return browser;
}

/** A signed-in account whose recovery codes are saved and whose browser is remembered. */
async function signedIn(t: TestApp, browser: TestBrowser): Promise<{ account: TestAccount; codes: string[] }> {
  const account = await addAccount(t);
  const codesPage = await browser.follow(await enroll(t, browser, account, true, 'left-on-screen'));
  const codes = recoveryCodesIn(codesPage.body);
  expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/' })).location).toBe('/');
  return { account, codes };
}

describeOnEachDatabase('forgotten password in French and in the pseudo-language', (database) => {
  const t = freshAppWithMail(database, PSEUDO_ON);

  async function resetLink(t: MailTestApp, browser: TestBrowser, email: string, headers: Record<string, string>): Promise<string> {
    await browser.get('/password/forgot', headers);
    await browser.post('/password/forgot', { email }, headers);
    const [mail] = (await t.mailTo(email)).filter((m) => m.subject.includes('reset your password') || m.text.includes('/password/reset/'));
    return resetPathIn(mail!);
  }

  it('/password/forgot and the answer to it speak French', async () => {
    const browser = new TestBrowser(t().app);
    expectFrench(await browser.get('/password/forgot', FRENCH), 'Réinitialiser votre mot de passe', 'Envoyer le lien', 'Retour à la connexion');
    const refused = await browser.post('/password/forgot', { email: 'not an address' }, FRENCH);
    expectFrench(refused, 'Entrez une adresse courriel comme nom@exemple.org.');
    const sent = await browser.post('/password/forgot', { email: 'nobody@clinic.example' }, FRENCH);
    expectFrench(sent, 'Consultez vos courriels', 'Le lien fonctionne une seule fois, pendant 30 minutes.');
  });

  it('the reset link asks for the code, a recovery code, then the new password in French', async () => {
    const phone = new TestBrowser(t().app);
    const { account } = await signedIn(t(), phone);
    const browser = new TestBrowser(t().app);
    const path = await resetLink(t(), browser, account.email, FRENCH);
    expectFrench(await browser.get(path, FRENCH), 'Prouvez d’abord votre identité', 'Code à 6 chiffres', 'Utiliser plutôt un code de récupération');
    expectFrench(await browser.get(`${path}?with=recovery`, FRENCH), 'Code de récupération', 'Utiliser un code de votre application d’authentification');
    expectFrench(await browser.post(`${path}/code`, { code: 'abc' }, FRENCH), 'Entrez le code à 6 chiffres affiché dans votre application d’authentification');
    expectFrench(await browser.post(`${path}/code`, { code: '000000' }, FRENCH), 'Ce code n’est pas correct.');
    t().clock.advance(30_000);
    expect((await browser.post(`${path}/code`, { code: codeAt(account.secret!, t().clock.now()) }, FRENCH)).location).toBe(path);
    expectFrench(await browser.get(path, FRENCH), 'Choisir un nouveau mot de passe', 'Nouveau mot de passe (confirmation)', 'Au moins 12 caractères');
    expectFrench(await browser.post(`${path}/password`, { new_password: 'short', new_password_again: 'short' }, FRENCH), 'Utilisez au moins 12 caractères');
    expectFrench(await browser.post(`${path}/password`, { new_password: 'seven quiet lanterns', new_password_again: 'seven quiet lantern' }, FRENCH),
      'Les deux mots de passe ne sont pas identiques.');
    expectFrench(await browser.get('/password/reset/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', FRENCH), 'Ce lien de réinitialisation du mot de passe a expiré');
  });

  it('an account with no authenticator is sent to support, in French', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    const path = await resetLink(t(), browser, account.email, FRENCH);
    const page = await browser.get(path, FRENCH);
    expect(page.status).toBe(403);
    expectFrench(page, 'L’équipe de soutien doit vous aider', 'Pour réinitialiser votre mot de passe');
  });

  it('a link to an account whose second factor is locked says so in French, and in the catalog', async () => {
    const phone = new TestBrowser(t().app);
    const { account } = await signedIn(t(), phone);
    const userId = await userIdOf(t().ctx, account.email);
    await t().ctx.db.insertInto('second_factor_locks').values({ user_id: userId, failures: 0, locked_until: t().clock.now() + 15 * 60_000, lockouts: 1 }).execute();
    const browser = new TestBrowser(t().app);
    const path = await resetLink(t(), browser, account.email, FRENCH);
    const locked = await browser.get(path, FRENCH);
    expect(locked.status).toBe(429);
    expectFrench(locked, 'Trop de codes erronés', 'le deuxième facteur de ce compte est verrouillé');
    const pseudo = await pseudoBrowser(t()).get(path);
    expect(pseudo.status).toBe(429);
    expectAllTranslated(pseudo);
  });

  it('in the pseudo-language no word of these pages is left outside the catalog', async () => {
    const phone = new TestBrowser(t().app);
    const { account } = await signedIn(t(), phone);
    const browser = pseudoBrowser(t());
    expectAllTranslated(await browser.get('/password/forgot'));
    await browser.get('/password/forgot');
    const path = await resetLink(t(), browser, account.email, {});
    expectAllTranslated(await browser.get(path), [account.email]);
    expectAllTranslated(await browser.get(`${path}?with=recovery`), [account.email]);
    t().clock.advance(30_000);
    await browser.post(`${path}/code`, { code: codeAt(account.secret!, t().clock.now()) });
    expectAllTranslated(await browser.get(path), [account.email]);
    await browser.get('/password/forgot');
    expectAllTranslated(await browser.post('/password/forgot', { email: 'nobody@clinic.example' }));

    const unpaired = await addAccount(t());
    const other = pseudoBrowser(t());
    expectAllTranslated(await other.get(await resetLink(t(), other, unpaired.email, {})));
  });
});

describeOnEachDatabase('the account pages in French and in the pseudo-language', (database) => {
  const t = freshAppPerTest(database, PSEUDO_ON);

  it('/password/forgot says in French that this HMS sends no mail', async () => {
    const browser = new TestBrowser(t().app);
    expectFrench(await browser.get('/password/forgot', FRENCH), 'Ce HMS n’envoie pas de courriels');
    expectAllTranslated(await pseudoBrowser(t()).get('/password/forgot'));
  });

  it('/account/security and each of its pages speak French', async () => {
    const browser = new TestBrowser(t().app);
    const { account } = await signedIn(t(), browser);
    const overview = await browser.get('/account/security', FRENCH);
    expectFrench(overview, 'Sécurité du compte', 'Codes inutilisés : 10 sur 10', '1 navigateur est dispensé du code pendant 30 jours.',
      '1 session active, y compris celle-ci.', 'Langue et préférences');
    expect(overview.body).toContain('href="/account/preferences"');
    expectFrench(await browser.get('/account/security?done=key-added', FRENCH), 'Votre clé de sécurité a été ajoutée.', 'Se déconnecter partout ailleurs');
    expectFrench(await browser.get('/account/security/devices', FRENCH), 'Appareils mémorisés', 'Cet appareil', 'Oublier tous les appareils mémorisés');
    expectFrench(await browser.get('/account/security/sessions', FRENCH), 'Où votre compte est connecté', 'Cette session', 'Navigateur inconnu sous Linux');
    expectFrench(await browser.get('/account/security/recovery-codes', FRENCH), 'Il vous reste 10 codes sur 10', 'Créer de nouveaux codes de récupération');
    expectFrench(await browser.get('/account/security/recovery-codes/used', FRENCH), 'Connexion avec un code de récupération', 'Il vous reste 10 codes de récupération');
    expectFrench(await browser.get('/account/security/recovery-codes/running-low', FRENCH), 'Codes de récupération presque épuisés');
    expectFrench(await browser.get('/account/security/keys', FRENCH), 'Clés de sécurité et clés d’accès', 'Aucune clé de sécurité pour l’instant.');

    await confirmItsYou(t(), browser, account);
    expectFrench(await browser.get('/account/security/password', FRENCH), 'Changer le mot de passe', 'Mot de passe actuel');
    expectFrench(await browser.post('/account/security/password',
      { current_password: 'not it at all', new_password: 'seven quiet lanterns', new_password_again: 'seven quiet lanterns' }, FRENCH),
    'Ce n’est pas votre mot de passe actuel.');
    expectFrench(await browser.get('/account/security/authenticator', FRENCH), 'Jumeler un nouveau téléphone', 'Numérisez ce code QR');
    expectFrench(await browser.post('/account/security/authenticator', { code: '123456' }, FRENCH),
      'Indiquez si les navigateurs mémorisés pendant 30 jours restent dispensés du code.');
    expectFrench(await browser.get('/account/security/keys/new', FRENCH), 'Ajouter une clé de sécurité', 'Nommez la clé');
    expect((await browser.get('/account/security/keys/new', FRENCH)).body).toContain('value="Clé de sécurité"');
    await browser.get('/account/security/keys', FRENCH);
    expectFrench(await browser.post('/account/security/keys/rename', { key: 'nope', name: ' ' }, FRENCH), 'Donnez un nom à la clé');

    await browser.get('/account/security/recovery-codes', FRENCH);
    const created = await browser.post('/account/security/recovery-codes/new', {}, FRENCH);
    expectFrench(await browser.get(created.location!, FRENCH), 'Enregistrez vos codes de récupération', 'Télécharger en .txt');
    const file = await browser.get('/account/security/recovery-codes/download', FRENCH);
    expect(file.body).toContain(`Codes de récupération HMS pour ${account.email}`);
    expect(file.body).toContain('Créés le ');
    expectFrench(await browser.post('/account/security/recovery-codes/saved', {}, FRENCH), 'Cochez la case pour confirmer');
  });

  it('in the pseudo-language no word of the account pages is left outside the catalog', async () => {
    const browser = pseudoBrowser(t());
    const { account } = await signedIn(t(), browser);
    const data = [account.email, account.name];
    for (const path of ['/account/security', '/account/security?done=key-added', '/account/security/devices', '/account/security/sessions',
      '/account/security/recovery-codes', '/account/security/recovery-codes/used', '/account/security/recovery-codes/running-low',
      '/account/security/keys', '/account/preferences']) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(200);
      expectAllTranslated(page, data);
    }
    await confirmItsYou(t(), browser, account);
    for (const path of ['/account/security/password', '/account/security/authenticator', '/account/security/keys/new']) {
      const page = await browser.get(path);
      // The new phone's key, written for reading in groups of four: data.
      expectAllTranslated(page, [...data, ...(textById(page.body, 'totp-secret')?.split(' ') ?? [])]);
    }
    await browser.get('/account/security/recovery-codes');
    const created = await browser.post('/account/security/recovery-codes/new', {});
    const codesPage = await browser.get(created.location!);
    expectAllTranslated(codesPage, [...data, ...recoveryCodesIn(codesPage.body)]);
    const file = await browser.get('/account/security/recovery-codes/download');
    const lines = file.body.split('\r\n').filter((line) => /[a-z]{2}/i.test(line) && !recoveryCodesIn(codesPage.body).some((code) => line.endsWith(code)));
    for (const line of lines) expect(line).toMatch(/^［.*］$/);
  });

  it('/account/preferences: saving French switches the pages, and the saved language beats Accept-Language: en', async () => {
    const browser = new TestBrowser(t().app);
    await signedIn(t(), browser);
    const before = await browser.get('/account/preferences', ENGLISH);
    expect(htmlLang(before.body)).toBe('en');
    const saved = await browser.post('/account/preferences', { language: 'fr' }, ENGLISH);
    expect(saved.location).toBe('/account/preferences?saved=1');
    expectFrench(await browser.get('/account/preferences?saved=1', ENGLISH), 'Vos préférences sont enregistrées.');
    expectFrench(await browser.get('/account/security', ENGLISH), 'Sécurité du compte', 'Langue et préférences');
    expectFrench(await browser.get('/account/security/sessions', ENGLISH), 'Où votre compte est connecté');
  });
});
