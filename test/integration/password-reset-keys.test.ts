// Forgotten password with a security key (issue #15): the reset link offers the key to accounts
// that have one; the key signs a challenge bound to this link (single use, expiring), under the
// same limits as a code through the link; only then comes the new password.
import { expect, it } from 'vitest';
import { reserveCodeAttempt } from '../../src/auth/throttles.js';
import { hashToken } from '../../src/auth/tokens.js';
import { DAY, MINUTE } from '../../src/clock.js';
import { deleteSpentPasswordResets } from '../../src/auth/password-resets.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { auditTrail, enrollWithRecoveryCodes } from '../support/account.js';
import { csrfTokenIn, decodeEntities, TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { freshAppWithMail, MAIL_ENV, resetPathIn } from '../support/mail.js';
import { addAccount, confirmItsYou, submitPassword } from '../support/sign-in.js';
import { SoftAuthenticator, webauthnOptionsIn } from '../support/soft-authenticator.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';

const ORIGIN = MAIL_ENV.HMS_PUBLIC_URL;
const RP_ID = new URL(ORIGIN).hostname;
const NEW_PASSWORD = 'seven quiet lanterns over the harbour';
const REFUSED = 'That security key was not accepted';
const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9' };
const textOf = (html: string) => decodeEntities(html.replace(/<[^<>]*>/g, ' ')).replace(/\s+/g, ' ');

describeOnEachDatabase('forgotten password with a security key', (database) => {
  const t = freshAppWithMail(database, { HMS_PSEUDO_LOCALE: 'on' });

  /** An account with its app paired and one security key added (behind step-up). */
  async function accountWithKey() {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enrollWithRecoveryCodes(t(), browser, account);
    await confirmItsYou(t(), browser, account);
    const key = new SoftAuthenticator(ORIGIN, RP_ID);
    const options = webauthnOptionsIn((await browser.get('/account/security/keys/new')).body);
    expect((await browser.post('/account/security/keys/new', { name: 'Blue key', credential: key.register(options) })).location)
      .toBe('/account/security/keys?done=key-added');
    return { account, key, userId: await userIdOf(t().ctx, account.email) };
  }

  /** A fresh link for the address, as a path (a new one voids the earlier). */
  async function resetLink(email: string): Promise<string> {
    const browser = new TestBrowser(t().app);
    await browser.get('/password/forgot');
    await browser.post('/password/forgot', { email });
    return resetPathIn((await t().mailTo(email)).filter((m) => m.subject.includes('reset your password')).at(-1)!);
  }

  /** The key step of the link in this browser, and the options its script would pass to the key. */
  async function keyStep(browser: TestBrowser, path: string) {
    const page = await browser.get(`${path}?with=key`);
    expect(page.status).toBe(200);
    return webauthnOptionsIn(page.body) as ReturnType<typeof webauthnOptionsIn> & { allowCredentials?: { id: string }[] };
  }

  const resetRow = (path: string) => t().ctx.db.selectFrom('password_resets').selectAll()
    .where('token_hash', '=', hashToken(path.split('/').at(-1)!)).executeTakeFirstOrThrow();

  it('the link offers the key; its answer to this link\'s challenge leads to the new password, which then signs in', async () => {
    const { account, key, userId } = await accountWithKey();
    const path = await resetLink(account.email);
    const browser = new TestBrowser(t().app);
    const first = await browser.get(path);
    expect(first.body).toContain('name="code"'); // the app's code stays the first offer, as at sign-in
    expect(first.body).toContain(`href="${path}?with=key"`);
    expect(first.body).toContain('no security key?');
    const options = await keyStep(browser, path);
    expect(options.rpId).toBe(RP_ID);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([key.id]);
    expect(browser.lastPage).toContain('name="credential"');
    expect(browser.lastPage).toContain('need JavaScript'); // said to a browser without it
    // Without the key's answer, no password is looked at.
    expect((await browser.post(`${path}/password`, { new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD })).location).toBe(path);
    await browser.get(`${path}?with=key`);
    const proven = await browser.post(`${path}/key`, { credential: key.assert(webauthnOptionsIn(browser.lastPage)) });
    expect(proven.location).toBe(path);
    expect(await t().ctx.db.selectFrom('reset_webauthn_challenges').selectAll().execute()).toEqual([]); // taken
    const form = await browser.get(path);
    expect(form.body).toContain('name="new_password"');
    expect((await browser.post(`${path}/password`, { new_password: NEW_PASSWORD, new_password_again: NEW_PASSWORD })).location)
      .toBe('/login?notice=password-reset');
    expect((await submitPassword(new TestBrowser(t().app), { ...account, password: NEW_PASSWORD })).location).toBe('/mfa/verify');
    const stored = await t().ctx.db.selectFrom('security_keys').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect(stored.last_used_at).toBe(t().clock.now());
    const events = await auditTrail(t(), userId);
    expect(events).toContainEqual(['password.reset_factor_verified', { second_factor: 'security_key', key_id: stored.id }]);
    expect(events.map(([event]) => event)).toContain('password.reset');
  });

  it('a replayed answer and an expired challenge are refused, a malformed answer costs nothing, and five failures void the link', async () => {
    const { account, key, userId } = await accountWithKey();
    const path = await resetLink(account.email);
    const owner = new TestBrowser(t().app);
    const answer = key.assert(await keyStep(owner, path));
    expect((await owner.post(`${path}/key`, { credential: answer })).location).toBe(path);

    // The same answer again, from another browser with the link: its challenge was taken.
    const attacker = new TestBrowser(t().app, 'Mozilla/5.0 (Windows NT 10.0) Firefox/128.0', '198.51.100.9');
    await keyStep(attacker, path);
    const replayed = await attacker.post(`${path}/key`, { credential: answer });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toContain(REFUSED);
    expect((await attacker.post(`${path}/key`, { credential: answer })).status).toBe(401); // the page's new challenge is not the answer's either

    const late = key.assert(await keyStep(attacker, path));
    t().clock.advance(6 * MINUTE);
    expect((await attacker.post(`${path}/key`, { credential: late })).status).toBe(401);

    const before = { failures: (await resetRow(path)).code_failures, challenges: await t().ctx.db.selectFrom('reset_webauthn_challenges').selectAll().execute() };
    const _csrf = csrfTokenIn(attacker.lastPage); // the refusal has no form to take one from: a script would keep it
    for (const credential of ['', 'not json', '{"id":"x"}']) {
      const malformed = await attacker.post(`${path}/key`, { credential, _csrf });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toContain('No answer from a security key arrived');
    }
    expect({ failures: (await resetRow(path)).code_failures, challenges: await t().ctx.db.selectFrom('reset_webauthn_challenges').selectAll().execute() })
      .toEqual(before);
    expect(before.failures).toBe(3);

    expect((await attacker.post(`${path}/key`, { credential: answer, _csrf })).status).toBe(401);
    expect((await attacker.post(`${path}/key`, { credential: answer })).status).toBe(404); // the fifth: the link is void
    expect((await owner.get(path)).status).toBe(404);
    const failures = (await auditTrail(t(), userId)).filter(([event]) => event === 'sign_in.security_key_failed');
    expect(failures).toHaveLength(5);
    expect(failures[0]![1]).toEqual({ step: 'password-reset' });
  });

  it('two tabs on the key step share the link\'s challenge: the second does not make the first one\'s answer fail', async () => {
    const { account, key } = await accountWithKey();
    const path = await resetLink(account.email);
    const laptop = new TestBrowser(t().app);
    const phone = new TestBrowser(t().app);
    const laptopOptions = await keyStep(laptop, path);
    expect((await keyStep(phone, path)).challenge).toBe(laptopOptions.challenge);
    expect((await laptop.post(`${path}/key`, { credential: key.assert(laptopOptions) })).location).toBe(path);
    expect((await resetRow(path)).code_failures).toBe(0);
  });

  it('the link\'s fifth wrong answer voids it even when that answer also locks the account', async () => {
    const { account, key, userId } = await accountWithKey();
    const path = await resetLink(account.email);
    const owner = new TestBrowser(t().app);
    expect((await owner.post(`${path}/key`, { credential: key.assert(await keyStep(owner, path)) })).location).toBe(path);
    for (let i = 0; i < 5; i++) await reserveCodeAttempt(t().ctx, userId); // five wrong codes elsewhere: the fifth here is the tenth
    const attacker = new TestBrowser(t().app, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', '198.51.100.7');
    await attacker.get(path);
    const _csrf = csrfTokenIn(attacker.lastPage);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await attacker.post(`${path}/code`, { code: '000000', _csrf })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await resetRow(path)).revoked_at).not.toBeNull();
    expect((await owner.get(path)).status).toBe(404);
  });

  it('the challenge of one link is refused on another, and so is one of a sign-in', async () => {
    const { account, key } = await accountWithKey();
    const firstPath = await resetLink(account.email);
    const browser = new TestBrowser(t().app);
    const firstOptions = await keyStep(browser, firstPath);
    t().clock.advance(MINUTE);
    const secondPath = await resetLink(account.email); // voids the first
    expect((await browser.get(firstPath)).status).toBe(404);
    await keyStep(browser, secondPath);
    const carried = await browser.post(`${secondPath}/key`, { credential: key.assert(firstOptions) });
    expect(carried.status).toBe(401);
    expect(carried.body).toContain(REFUSED);

    const signIn = new TestBrowser(t().app);
    await submitPassword(signIn, account);
    const signInOptions = webauthnOptionsIn((await signIn.get('/mfa/security-key')).body);
    expect((await browser.post(`${secondPath}/key`, { credential: key.assert(signInOptions) })).status).toBe(401);
    // The key itself is fine: an answer to this link's own challenge opens it.
    expect((await browser.post(`${secondPath}/key`, { credential: key.assert(webauthnOptionsIn(browser.lastPage)) })).location).toBe(secondPath);
  });

  it('is not offered without a key, and is refused like the codes while the account is locked', async () => {
    const { account, key, userId } = await accountWithKey();
    const plain = await addAccount(t(), 'clinician', 'Fox Mulder');
    await enrollWithRecoveryCodes(t(), new TestBrowser(t().app), plain);
    const plainPath = await resetLink(plain.email);
    const browser = new TestBrowser(t().app);
    const page = await browser.get(`${plainPath}?with=key`);
    expect(page.body).toContain('name="code"');
    expect(page.body).not.toContain('?with=key');
    expect(page.body).not.toContain('data-options');
    expect(page.body).not.toContain('no security key?');
    expect((await browser.post(`${plainPath}/key`, { credential: key.assert({ challenge: 'AAAA' }) })).location).toBe(plainPath);
    expect((await resetRow(plainPath)).code_failures).toBe(0);

    const path = await resetLink(account.email);
    const options = await keyStep(browser, path);
    const _csrf = csrfTokenIn(browser.lastPage);
    for (let i = 0; i < 10; i++) await reserveCodeAttempt(t().ctx, userId); // ten wrong codes elsewhere lock the account
    expect((await browser.get(`${path}?with=key`)).status).toBe(429);
    const refused = await browser.post(`${path}/key`, { credential: key.assert(options), _csrf });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await browser.get(path)).body).not.toContain('name="new_password"');
  });

  it('speaks French, and in the pseudo-language no word of the key step is outside the catalog', async () => {
    const { account, key } = await accountWithKey();
    const path = await resetLink(account.email);
    const browser = new TestBrowser(t().app);
    expect(textOf((await browser.get(path, FRENCH)).body)).toContain('Utiliser une clé de sécurité');
    const page = await browser.get(`${path}?with=key`, FRENCH);
    expect(page.body).toContain('<html lang="fr-CA"');
    for (const sentence of ['Vous choisirez ensuite le nouveau mot de passe.', 'Utiliser la clé de sécurité', 'Utiliser plutôt un code de récupération',
      'Utiliser un code de votre application d’authentification']) expect(textOf(page.body)).toContain(sentence);
    const refused = await browser.post(`${path}/key`, { credential: new SoftAuthenticator(ORIGIN, RP_ID).assert(webauthnOptionsIn(page.body)) }, FRENCH);
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('Cette clé de sécurité n’a pas été acceptée\u00a0: elle n’est peut-être pas enregistrée pour ce compte');
    expect(textOf((await browser.post(`${path}/key`, { credential: 'not json' }, FRENCH)).body)).toContain('Aucune réponse d’une clé de sécurité n’est arrivée.');

    const pseudo = new TestBrowser(t().app);
    pseudo.cookies.set(...PSEUDO_COOKIE);
    const keyPage = await pseudo.get(`${path}?with=key`);
    expect(keyPage.body).toContain('<html lang="en-XA"');
    expect(untranslatedText(keyPage.body, [account.email])).toEqual([]);
    expect(untranslatedText((await pseudo.post(`${path}/key`, { credential: key.assert({ challenge: 'AAAA' }) })).body, [account.email])).toEqual([]);
  });

  it('a link\'s challenge goes with the link, and migration 014 goes down and up again', async () => {
    const { account } = await accountWithKey();
    const path = await resetLink(account.email);
    await keyStep(new TestBrowser(t().app), path);
    const { db } = t().ctx;
    expect(await db.selectFrom('reset_webauthn_challenges').select('reset_hash').execute()).toEqual([{ reset_hash: (await resetRow(path)).token_hash }]);
    t().clock.advance(8 * DAY);
    await deleteSpentPasswordResets(t().ctx);
    expect(await db.selectFrom('reset_webauthn_challenges').select('reset_hash').execute()).toEqual([]);
    await migrateTo(db, '012_flag_values');
    await expect(db.selectFrom('reset_webauthn_challenges').selectAll().execute()).rejects.toThrow();
    await migrateToLatest(db);
    expect(await db.selectFrom('reset_webauthn_challenges').selectAll().execute()).toEqual([]);
  });
});
