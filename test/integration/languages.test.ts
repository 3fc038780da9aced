// Which language a page speaks (issue #16): the account's saved preference, else the switch's
// cookie, else Accept-Language, else HMS_DEFAULT_LANGUAGE; the switch is a plain link.
import { expect, it } from 'vitest';
import { TestBrowser, decodeEntities } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll } from '../support/sign-in.js';

const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.8' };
const ENGLISH = { 'accept-language': 'en-CA,en;q=0.9' };

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const text = (html: string) => decodeEntities(html.replace(/<[^<>]*>/g, ' ')).replace(/\s+/g, ' ');

describeOnEachDatabase('the language of the pages', (database) => {
  const t = freshAppPerTest(database);

  it('follows Accept-Language: fr-CA gets French, <html lang> says so, and a language HMS lacks gets English', async () => {
    const browser = new TestBrowser(t().app);
    const french = await browser.get('/login', FRENCH);
    expect(htmlLang(french.body)).toBe('fr-CA');
    expect(text(french.body)).toContain('Suivi de santé');
    const german = await browser.get('/login', { 'accept-language': 'de-DE,de;q=0.9' });
    expect(htmlLang(german.body)).toBe('en');
    expect(text(german.body)).toContain('Health monitoring');
  });

  it('the switch is a link that works without JavaScript: it keeps the choice in a cookie and comes back to the page', async () => {
    const browser = new TestBrowser(t().app);
    const login = await browser.get('/login', ENGLISH);
    const link = /<a href="(\/language\?[^"]+)"[^>]*lang="fr-CA"/.exec(login.body)?.[1];
    expect(link).toBeDefined();
    const switched = await browser.get(decodeEntities(link!), ENGLISH);
    expect(switched.status).toBe(303);
    expect(switched.location).toBe('/login');
    expect(browser.cookies.get('hms_lang')).toBe('fr');
    // The cookie beats the browser's English.
    const after = await browser.get('/login', ENGLISH);
    expect(htmlLang(after.body)).toBe('fr-CA');
  });

  it('the switch goes back only to a page of this site, and ignores a language HMS does not speak', async () => {
    const browser = new TestBrowser(t().app);
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const answer = await browser.get(`/language?to=fr&next=${encodeURIComponent(next)}`);
      expect(answer.location).toBe('/login');
    }
    await browser.get('/language?to=de&next=/login');
    expect(browser.cookies.get('hms_lang')).toBe('fr');
    // The pseudo-language exists only where HMS_PSEUDO_LOCALE=on.
    await browser.get('/language?to=en-XA&next=/login');
    expect(browser.cookies.get('hms_lang')).toBe('fr');
  });

  it('a form refused before its handler explains itself in the page\'s language, naming the field', async () => {
    const browser = new TestBrowser(t().app);
    await browser.get('/login', FRENCH);
    const refused = await browser.post('/login', { password: 'x' }, FRENCH);
    expect(refused.status).toBe(400);
    expect(text(refused.body)).toContain('Champ manquant : Courriel. Rien n’a été enregistré.');
  });

  it('the account\'s saved language beats the cookie and the browser, on every device, and can go back to the browser\'s', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    const before = await browser.get('/account/preferences', ENGLISH);
    expect(htmlLang(before.body)).toBe('en');
    const saved = await browser.post('/account/preferences', { language: 'fr' }, ENGLISH);
    expect(saved.location).toBe('/account/preferences?saved=1');
    browser.cookies.set('hms_lang', 'en');
    const after = await browser.get('/account/preferences?saved=1', ENGLISH);
    expect(htmlLang(after.body)).toBe('fr-CA');
    expect(text(after.body)).toContain('Vos préférences sont enregistrées.');
    expect(after.body).toMatch(/<input type="radio" name="language" value="fr" checked/);

    await browser.post('/account/preferences', { language: '' }, ENGLISH);
    expect(htmlLang((await browser.get('/account/preferences', ENGLISH)).body)).toBe('en');
  });

  it('a language that is not on the list is refused with a clear message and nothing changes', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    await browser.get('/account/preferences', FRENCH);
    const refused = await browser.post('/account/preferences', { language: 'de' }, FRENCH);
    expect(refused.status).toBe(400);
    expect(text(refused.body)).toContain('Choisissez une des langues de la liste.');
    const user = await t().ctx.db.selectFrom('users').select('language').where('email', '=', account.email).executeTakeFirstOrThrow();
    expect(user.language).toBeNull();
  });
});

describeOnEachDatabase('HMS_DEFAULT_LANGUAGE', (database) => {
  const t = freshAppPerTest(database, { HMS_DEFAULT_LANGUAGE: 'fr' });

  it('speaks when neither the account, the switch nor the browser names a language HMS speaks', async () => {
    const browser = new TestBrowser(t().app);
    expect(htmlLang((await browser.get('/login')).body)).toBe('fr-CA');
    expect(htmlLang((await browser.get('/login', { 'accept-language': 'de' })).body)).toBe('fr-CA');
    expect(htmlLang((await browser.get('/login', ENGLISH)).body)).toBe('en');
  });
});
