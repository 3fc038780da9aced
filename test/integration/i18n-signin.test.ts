// The sign-in pages in French and in the pseudo-language (issue #16): each page answers a
// `fr-CA` browser in French, and in the pseudo-language nothing on it escapes the catalog.
import { expect, it } from 'vitest';
import { createAccount } from '../../src/auth/accounts.js';
import { issueInvitation } from '../../src/auth/invitations.js';
import { issueSetupToken } from '../../src/auth/setup-link.js';
import { resetMfa } from '../../src/auth/support.js';
import { CODE_MAX_FAILURES, reserveCodeAttempt } from '../../src/auth/throttles.js';
import { codeAt } from '../../src/auth/totp.js';
import { COMPATIBLE_APPS } from '../../src/web/mfa/views.js';
import { decodeEntities, TestBrowser, type Page } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { enrollWithRecoveryCodes } from '../support/account.js';
import { SoftAuthenticator, webauthnOptionsIn } from '../support/soft-authenticator.js';
import { addAccount, confirmItsYou, enroll, secretFromSetupPage, submitPassword, type TestAccount } from '../support/sign-in.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';

const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9' };
/** Security keys need the public address HMS is reached by. */
const ORIGIN = 'http://localhost:3000';
/** A password the policy accepts, so that only the message under test is on the page. */
const GOOD_PASSWORD = 'quatre chevaux bleus dansent';

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
// Only ASCII white space is collapsed: French keeps its no-break spaces (U+00A0) before ":".
const text = (html: string) => decodeEntities(html.replace(/<[^<>]*>/g, ' ')).replace(/[ \t\r\n]+/g, ' ');

describeOnEachDatabase('the sign-in pages in French and in the pseudo-language', (database) => {
  const t = freshAppPerTest(database, { HMS_PSEUDO_LOCALE: 'on', HMS_PUBLIC_URL: ORIGIN });

  /** A browser that reads French (its Accept-Language), or the pseudo-language (its cookie). */
  function browserIn(language: 'fr' | 'pseudo'): { browser: TestBrowser; headers: Record<string, string> } {
    const browser = new TestBrowser(t().app);
    if (language === 'pseudo') browser.cookies.set(...PSEUDO_COOKIE);
    return { browser, headers: language === 'fr' ? FRENCH : {} };
  }

  function expectFrench(page: Page, ...sentences: string[]) {
    expect(htmlLang(page.body)).toBe('fr-CA');
    for (const sentence of sentences) expect(text(page.body)).toContain(sentence);
  }

  function expectAllTranslated(page: Page, data: readonly string[] = []) {
    expect(htmlLang(page.body)).toBe('en-XA');
    expect(untranslatedText(page.body, data)).toEqual([]);
  }

  /** Paired, signed out, then the password again: the browser is on the code step. */
  async function atCodeStep(language: 'fr' | 'pseudo') {
    const account = await addAccount(t(), 'clinician', 'Jeanne Tremblay');
    const { browser, headers } = browserIn(language);
    await enroll(t(), browser, account);
    await browser.post('/logout', {});
    await browser.get('/login', headers);
    const afterPassword = await browser.post('/login', { email: account.email, password: account.password }, headers);
    expect(afterPassword.location).toBe('/mfa/verify');
    return { account, browser, headers };
  }

  const wrongCode = (account: TestAccount) => {
    const right = codeAt(account.secret!, t().clock.now());
    return right === '000000' ? '111111' : '000000';
  };

  it('/login, its errors and its notices', async () => {
    const account = await addAccount(t());
    for (const language of ['fr', 'pseudo'] as const) {
      const { browser, headers } = browserIn(language);
      const check = language === 'fr' ? expectFrench : expectAllTranslated;
      const login = await browser.get('/login', headers);
      if (language === 'fr') expectFrench(login, 'Connexion', 'Courriel', 'Mot de passe', 'Continuer', 'Mot de passe oublié?');
      else check(login);
      const wrong = await browser.post('/login', { email: account.email, password: 'not the password at all' }, headers);
      expect(wrong.status).toBe(401);
      if (language === 'fr') expectFrench(wrong, 'Le courriel ou le mot de passe est incorrect. Vérifiez les deux et réessayez.');
      else expectAllTranslated(wrong, [account.email]);
      const empty = await browser.post('/login', { email: ' ', password: '' }, headers);
      expect(empty.status).toBe(400);
      if (language === 'fr') expectFrench(empty, 'Entrez votre courriel et votre mot de passe.');
      else expectAllTranslated(empty);
      const signedOut = await browser.get('/login?notice=signed-out', headers);
      if (language === 'fr') expectFrench(signedOut, 'Vous êtes déconnecté·e.');
      else expectAllTranslated(signedOut);
    }
  });

  it('/mfa/setup: the pairing page and its wrong-code error', async () => {
    for (const language of ['fr', 'pseudo'] as const) {
      const account = await addAccount(t(), 'clinician', 'Jeanne Tremblay');
      const { browser, headers } = browserIn(language);
      expect((await submitPassword(browser, account)).location).toBe('/mfa/setup');
      const setup = await browser.get('/mfa/setup', headers);
      const secret = secretFromSetupPage(setup.body);
      const data = [account.email, /<code id="totp-secret"[^>]*>([^<]+)</.exec(setup.body)![1]!, ...COMPATIBLE_APPS];
      if (language === 'fr') {
        expectFrench(setup, 'Configurez votre application d’authentification', 'Se souvenir de cet appareil pendant 30 jours', 'Continuer',
          `HMS\u00a0: ${account.email}`);
      } else expectAllTranslated(setup, data);
      const wrong = await browser.post('/mfa/setup', { code: codeAt(secret, t().clock.now() - 10 * 60_000) }, headers);
      expect(wrong.status).toBe(401);
      if (language === 'fr') expectFrench(wrong, 'Ce code ne correspond pas.');
      else expectAllTranslated(wrong, data);
    }
  });

  it('/mfa/verify: the title, a wrong code, too many wrong codes, and the locked page', async () => {
    for (const language of ['fr', 'pseudo'] as const) {
      const { account, browser, headers } = await atCodeStep(language);
      const verify = await browser.get('/mfa/verify', headers);
      if (language === 'fr') {
        expect(verify.body).toContain('<h1>Vérifiez votre identité</h1>');
        expectFrench(verify, 'Se souvenir de cet appareil pendant 30 jours', 'Continuer', 'Code à 6 chiffres',
          'Utiliser plutôt un code de récupération', 'Annuler et se connecter avec un autre compte');
      } else expectAllTranslated(verify);
      const wrong = await browser.post('/mfa/verify', { code: wrongCode(account) }, headers);
      expect(wrong.status).toBe(401);
      if (language === 'fr') expectFrench(wrong, 'Ce code est incorrect.', 'Erreur\u00a0:');
      else expectAllTranslated(wrong);
      const malformed = await browser.post('/mfa/verify', { code: 'abc' }, headers);
      if (language === 'fr') expectFrench(malformed, 'Entrez le code à 6 chiffres');
      else expectAllTranslated(malformed);

      // The fifth wrong code of a sign-in ends it.
      let last = wrong;
      for (let i = 0; i < 4; i++) last = await browser.post('/mfa/verify', { code: wrongCode(account) }, headers);
      expect(last.status).toBe(429);
      if (language === 'fr') expectFrench(last, 'Trop de codes erronés\u00a0: pour votre protection, cette connexion a été interrompue.');
      else expectAllTranslated(last);

      // The account's lock: a dead end that says how long, and whom to call.
      const userId = await userIdOf(t().ctx, account.email);
      for (let i = 0; i < CODE_MAX_FAILURES; i++) await reserveCodeAttempt(t().ctx, userId);
      await browser.get('/login', headers);
      await browser.post('/login', { email: account.email, password: account.password }, headers);
      const locked = await browser.get('/mfa/verify', headers);
      expect(locked.status).toBe(429);
      if (language === 'fr') expectFrench(locked, 'Codes temporairement refusés', 'les codes sont refusés pendant encore 15 minutes.', 'Retour à la connexion');
      else expectAllTranslated(locked, ['support@hms.example']);
    }
  });

  it('/mfa/recovery: the page and a wrong recovery code', async () => {
    for (const language of ['fr', 'pseudo'] as const) {
      const { browser, headers } = await atCodeStep(language);
      const recovery = await browser.get('/mfa/recovery', headers);
      if (language === 'fr') expectFrench(recovery, 'Utiliser un code de récupération', 'Code de récupération', 'Utiliser un code de votre application d’authentification');
      else expectAllTranslated(recovery, ['abcde-12345']);
      const wrong = await browser.post('/mfa/recovery', { recovery_code: 'abcde-12345' }, headers);
      expect(wrong.status).toBe(401);
      if (language === 'fr') expectFrench(wrong, 'Ce code de récupération est incorrect.');
      else expectAllTranslated(wrong, ['abcde-12345']);
    }
  });

  it('the step-up page ("confirm it\'s you"), a wrong code, a wrong recovery code, and its lock', async () => {
    for (const language of ['fr', 'pseudo'] as const) {
      const account = await addAccount(t(), 'clinician', 'Jeanne Tremblay');
      const { browser, headers } = browserIn(language);
      await enroll(t(), browser, account);
      const stepUp = await browser.get('/verify-again?next=/account/security', headers);
      const data = ['Jeanne Tremblay', 'abcde-12345'];
      if (language === 'fr') expectFrench(stepUp, 'Confirmez votre identité', 'Continuer avec le code de récupération', 'Annuler');
      else expectAllTranslated(stepUp, data);
      const wrong = await browser.post('/verify-again', { code: wrongCode(account), next: '/account/security' }, headers);
      expect(wrong.status).toBe(401);
      if (language === 'fr') expectFrench(wrong, 'Ce code est incorrect.');
      else expectAllTranslated(wrong, data);
      const wrongRecovery = await browser.post('/verify-again/recovery', { recovery_code: 'abcde-12345', next: '/account/security' }, headers);
      if (language === 'fr') expectFrench(wrongRecovery, 'Ce code de récupération est incorrect.');
      else expectAllTranslated(wrongRecovery, data);
      const userId = await userIdOf(t().ctx, account.email);
      for (let i = 0; i < CODE_MAX_FAILURES; i++) await reserveCodeAttempt(t().ctx, userId);
      const locked = await browser.get('/verify-again?next=/account/security', headers);
      expect(locked.status).toBe(429);
      if (language === 'fr') expectFrench(locked, 'les codes sont refusés pendant encore 15 minutes.');
      else expectAllTranslated(locked, data);
    }
  });

  it('the setup link of the first administrator, its errors, and a dead link', async () => {
    const token = (await issueSetupToken(t().ctx))!;
    for (const language of ['fr', 'pseudo'] as const) {
      const { browser, headers } = browserIn(language);
      const setup = await browser.get(`/setup/${token}`, headers);
      expect(setup.status).toBe(200);
      if (language === 'fr') expectFrench(setup, 'Créer le premier compte administrateur', 'Nom complet', 'Mot de passe (confirmation)', 'Au moins 12 caractères');
      else expectAllTranslated(setup);
      const differ = await browser.post(`/setup/${token}`, { name: 'Ada Lovelace', email: 'ada@clinic.example', password: GOOD_PASSWORD, confirm: 'something else' }, headers);
      expect(differ.status).toBe(400);
      if (language === 'fr') expectFrench(differ, 'Les deux mots de passe ne sont pas identiques.');
      else expectAllTranslated(differ, ['Ada Lovelace', 'ada@clinic.example']);
      const dead = await browser.get(`/setup/${'x'.repeat(43)}`, headers);
      expect(dead.status).toBe(404);
      if (language === 'fr') expectFrench(dead, 'Ce lien de configuration ne peut pas être utilisé', 'Ce lien de configuration a expiré');
      else expectAllTranslated(dead);
    }
  });

  it('the invitation page, its error, and a dead invitation link', async () => {
    const invited = await createAccount(t().ctx, { email: 'lea@clinic.example', name: 'Léa Gagnon', role: 'clinician', password: null });
    const token = await issueInvitation(t().ctx, invited.id, null);
    for (const language of ['fr', 'pseudo'] as const) {
      const { browser, headers } = browserIn(language);
      const page = await browser.get(`/invite/${token}`, headers);
      expect(page.status).toBe(200);
      const data = ['Léa Gagnon', 'lea@clinic.example'];
      if (language === 'fr') expectFrench(page, 'Bienvenue dans HMS, Léa Gagnon', 'Choisissez le mot de passe de lea@clinic.example');
      else expectAllTranslated(page, data);
      const differ = await browser.post(`/invite/${token}`, { password: GOOD_PASSWORD, confirm: 'something else' }, headers);
      expect(differ.status).toBe(400);
      if (language === 'fr') expectFrench(differ, 'Les deux mots de passe ne sont pas identiques.');
      else expectAllTranslated(differ, data);
      const dead = await browser.get(`/invite/${'x'.repeat(43)}`, headers);
      expect(dead.status).toBe(404);
      if (language === 'fr') expectFrench(dead, 'Ce lien d’invitation ne peut pas être utilisé', 'Demandez-en un nouveau à votre administrateur.');
      else expectAllTranslated(dead);
    }
  });

  it('the re-pairing link and the page that asks for one', async () => {
    const account = await addAccount(t(), 'clinician', 'Jeanne Tremblay');
    await enroll(t(), new TestBrowser(t().app), account);
    const userId = await userIdOf(t().ctx, account.email);
    const token = await resetMfa(t().ctx, { via: 'cli' }, userId, 'Ticket 7: phone lost');
    for (const language of ['fr', 'pseudo'] as const) {
      const { browser, headers } = browserIn(language);
      const data = ['Jeanne Tremblay', account.email];
      const link = await browser.get(`/re-pair/${token}`, headers);
      expect(link.status).toBe(200);
      if (language === 'fr') expectFrench(link, 'Jumelez votre nouvel authentificateur, Jeanne Tremblay', 'Jumelez-la d’ici 10 minutes;');
      else expectAllTranslated(link, data);
      await browser.get('/login', headers);
      const needed = await browser.post('/login', { email: account.email, password: account.password }, headers);
      expect(needed.status).toBe(403);
      if (language === 'fr') expectFrench(needed, 'Votre authentificateur a été réinitialisé');
      else expectAllTranslated(needed, data);
    }
  });

  it('/mfa/security-key: the page, the messages its script shows, and a key that is refused', async () => {
    const account = await addAccount(t(), 'clinician', 'Jeanne Tremblay');
    const owner = new TestBrowser(t().app);
    await enrollWithRecoveryCodes(t(), owner, account);
    await confirmItsYou(t(), owner, account);
    const key = new SoftAuthenticator(ORIGIN, 'localhost');
    const options = webauthnOptionsIn((await owner.get('/account/security/keys/new')).body);
    expect((await owner.post('/account/security/keys/new', { name: 'Blue key', credential: key.register(options) })).location)
      .toBe('/account/security/keys?done=key-added');
    const stranger = new SoftAuthenticator(ORIGIN, 'localhost');
    stranger.register(options);

    for (const language of ['fr', 'pseudo'] as const) {
      const { browser, headers } = browserIn(language);
      await browser.get('/login', headers);
      await browser.post('/login', { email: account.email, password: account.password }, headers);
      const page = await browser.get('/mfa/security-key', headers);
      expect(page.status).toBe(200);
      const scriptMessages = [...page.body.matchAll(/ data-say-[a-z-]+="([^"]*)"/g)].map((match) => decodeEntities(match[1]!));
      expect(scriptMessages).toHaveLength(8);
      if (language === 'fr') {
        expectFrench(page, 'Utiliser une clé de sécurité', 'Se souvenir de cet appareil pendant 30 jours');
        expect(scriptMessages).toContain('La demande a été annulée ou a expiré. Utilisez le bouton pour réessayer.');
        expect(scriptMessages).toContain('La clé de sécurité n’a pas pu être utilisée\u00a0: {reason} Réessayez.');
      } else {
        expectAllTranslated(page);
        for (const message of scriptMessages) expect(message).toMatch(/^［.*］$/);
      }
      const refused = await browser.post('/mfa/security-key', { credential: stranger.assert(webauthnOptionsIn(page.body)) }, headers);
      expect(refused.status).toBe(401);
      if (language === 'fr') expectFrench(refused, 'Cette clé de sécurité n’a pas été acceptée');
      else expectAllTranslated(refused);
      const noAnswer = await browser.post('/mfa/security-key', { credential: 'nothing' }, headers);
      expect(noAnswer.status).toBe(400);
      if (language === 'fr') expectFrench(noAnswer, 'Aucune réponse d’une clé de sécurité n’est arrivée.');
      else expectAllTranslated(noAnswer);
    }
  });
});
