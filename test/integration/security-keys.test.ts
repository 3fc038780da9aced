// Security keys and passkeys (issue #4): registered behind step-up with a single-use, expiring
// challenge bound to the session; offered at sign-in instead of the code; renamed and removed.
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { MINUTE } from '../../src/clock.js';
import { auditTrail, enrollWithRecoveryCodes } from '../support/account.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, submitPassword, type TestAccount } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';
import { SoftAuthenticator, webauthnOptionsIn } from '../support/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';

describeOnEachDatabase('security keys and passkeys', (database) => {
  const t = freshAppPerTest(database, { HMS_PUBLIC_URL: ORIGIN });

  async function withKey() {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enrollWithRecoveryCodes(t(), browser, account);
    await confirmItsYou(t(), browser, account);
    const key = new SoftAuthenticator(ORIGIN, 'localhost');
    const page = await browser.get('/account/security/keys/new');
    const options = webauthnOptionsIn(page.body);
    expect(options.rp?.id).toBe('localhost');
    const added = await browser.post('/account/security/keys/new', { name: 'Blue key', credential: key.register(options) });
    expect(added.location).toBe('/account/security/keys?done=key-added');
    return { account, browser, key, userId: await userIdOf(t().ctx, account.email) };
  }

  async function atKeyStep(account: TestAccount) {
    const browser = new TestBrowser(t().app);
    await submitPassword(browser, account);
    expect((await browser.get('/mfa/verify')).body).toContain('href="/mfa/security-key"');
    const page = await browser.get('/mfa/security-key');
    expect(page.status).toBe(200);
    return { browser, options: webauthnOptionsIn(page.body) };
  }

  it('a key added behind step-up is listed, offered at sign-in, and signs in instead of the code', async () => {
    const { account, browser, key, userId } = await withKey();
    const list = await browser.get('/account/security/keys');
    expect(list.body).toContain('<h2>Blue key</h2>');
    const { browser: signIn, options } = await atKeyStep(account);
    expect(options.rpId).toBe('localhost');
    const done = await signIn.post('/mfa/security-key', { credential: key.assert(options), remember: 'on' });
    expect(done.location).toBe('/');
    expect((await signIn.get('/')).status).toBe(200);
    const stored = await t().ctx.db.selectFrom('security_keys').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect(stored.credential_id).toBe(key.id);
    expect(stored.sign_count).toBe(1);
    expect(stored.last_used_at).toBe(t().clock.now());
    const events = await auditTrail(t(), userId);
    expect(events).toContainEqual(['security_key.added', { key_id: stored.id, name: 'Blue key' }]);
    expect(events).toContainEqual(['sign_in.succeeded', { second_factor: 'security_key' }]);
  });

  it('a sign-in with a key is not a re-check for changing factors: pairing a new phone right after asks for a code', async () => {
    const { account, key } = await withKey();
    const { browser: signIn, options } = await atKeyStep(account);
    expect((await signIn.post('/mfa/security-key', { credential: key.assert(options) })).location).toBe('/');
    for (const url of ['/account/security/authenticator', '/account/security/password', '/account/security/keys/new']) {
      expect((await signIn.get(url)).location, url).toBe(`/verify-again?next=${encodeURIComponent(url)}`);
    }
    await signIn.get('/verify-again');
    t().clock.advance(30_000);
    expect((await signIn.post('/verify-again', { code: codeAt(account.secret!, t().clock.now()), next: '/account/security/authenticator' })).location)
      .toBe('/account/security/authenticator');
    expect((await signIn.get('/account/security/authenticator')).status).toBe(200);
  });

  it('a challenge works once: a replayed answer, an expired challenge, another origin or an unknown key are refused', async () => {
    const { account, key, userId } = await withKey();
    const first = await atKeyStep(account);
    const answer = key.assert(first.options);
    expect((await first.browser.post('/mfa/security-key', { credential: answer })).location).toBe('/');

    const replay = await atKeyStep(account);
    const refused = await replay.browser.post('/mfa/security-key', { credential: answer });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('That security key was not accepted');

    const late = await atKeyStep(account);
    t().clock.advance(6 * MINUTE);
    expect((await late.browser.post('/mfa/security-key', { credential: key.assert(late.options) })).status).toBe(401);

    const phishing = await atKeyStep(account);
    expect((await phishing.browser.post('/mfa/security-key', { credential: key.assert(phishing.options, 'https://hms.evil.example') })).status).toBe(401);

    const stranger = await atKeyStep(account);
    const unknown = new SoftAuthenticator(ORIGIN, 'localhost');
    expect((await stranger.browser.post('/mfa/security-key', { credential: unknown.assert(stranger.options) })).status).toBe(401);
    expect((await auditTrail(t(), userId)).filter(([event]) => event === 'sign_in.security_key_failed')).toHaveLength(4);
  });

  it('each failed answer counts: the fifth ends the sign-in', async () => {
    const { account } = await withKey();
    const { browser } = await atKeyStep(account);
    const unknown = new SoftAuthenticator(ORIGIN, 'localhost');
    for (let i = 0; i < 4; i++) {
      const options = webauthnOptionsIn(browser.lastPage);
      expect((await browser.post('/mfa/security-key', { credential: unknown.assert(options) })).status).toBe(401);
    }
    const stopped = await browser.post('/mfa/security-key', { credential: unknown.assert(webauthnOptionsIn(browser.lastPage)) });
    expect(stopped.status).toBe(429);
  });

  it('a malformed answer is refused before any challenge is spent', async () => {
    const { account } = await withKey();
    const { browser } = await atKeyStep(account);
    for (const credential of ['', 'not json', '{"id":"x"}', JSON.stringify({ id: '!!', rawId: '!!', type: 'public-key', response: {}, clientExtensionResults: {} })]) {
      const before = await snapshot(t().ctx);
      const page = await browser.post('/mfa/security-key', { credential });
      expect(page.status).toBe(400);
      expect(page.body).toContain('No answer from a security key arrived');
      expect(await snapshot(t().ctx)).toEqual(before);
    }
  });

  it('adding needs a fresh code, a name, and the answer to this session\'s challenge', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enrollWithRecoveryCodes(t(), browser, account);
    await confirmItsYou(t(), browser, account);
    const key = new SoftAuthenticator(ORIGIN, 'localhost');
    const options = webauthnOptionsIn((await browser.get('/account/security/keys/new')).body);
    const noName = await browser.post('/account/security/keys/new', { name: ' ', credential: key.register(options) });
    expect(noName.status).toBe(400);
    expect(noName.body).toContain('Give the key a name');
    t().clock.advance(6 * MINUTE);
    await browser.get('/account/security/keys');
    expect((await browser.post('/account/security/keys/new', { name: 'Late key', credential: key.register(options) })).location)
      .toBe(`/verify-again?next=${encodeURIComponent('/account/security/keys')}`);
    await browser.get('/verify-again');
    await browser.post('/verify-again', { code: codeAt(account.secret!, t().clock.now()) });
    await browser.get('/account/security/keys/new');
    const stale = await browser.post('/account/security/keys/new', { name: 'Stale key', credential: key.register(options) });
    expect(stale.status).toBe(401); // the answer was to the earlier page's challenge, which was replaced
    expect(await t().ctx.db.selectFrom('security_keys').select('id').execute()).toEqual([]);
  });

  it('a key can be renamed, and removed behind step-up; then sign-in no longer offers it', async () => {
    const { account, browser, userId } = await withKey();
    const stored = await t().ctx.db.selectFrom('security_keys').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
    await browser.get('/account/security/keys');
    expect((await browser.post('/account/security/keys/rename', { key: stored.id, name: 'Backup key' })).location).toBe('/account/security/keys?done=key-renamed');
    expect((await browser.get('/account/security/keys')).body).toContain('<h2>Backup key</h2>');
    expect((await browser.post('/account/security/keys/rename', { key: stored.id, name: 'x'.repeat(61) })).status).toBe(400);
    t().clock.advance(6 * MINUTE);
    await browser.get('/account/security/keys');
    expect((await browser.post('/account/security/keys/remove', { key: stored.id })).location).toBe(`/verify-again?next=${encodeURIComponent('/account/security/keys')}`);
    await browser.get('/verify-again');
    await browser.post('/verify-again', { code: codeAt(account.secret!, t().clock.now()) });
    await browser.get('/account/security/keys');
    expect((await browser.post('/account/security/keys/remove', { key: stored.id })).location).toBe('/account/security/keys?done=key-removed');
    expect((await browser.post('/account/security/keys/remove', { key: stored.id })).status).toBe(404);

    const signIn = new TestBrowser(t().app);
    await submitPassword(signIn, account);
    expect((await signIn.get('/mfa/verify')).body).not.toContain('href="/mfa/security-key"');
    expect((await signIn.get('/mfa/security-key')).location).toBe('/mfa/verify');
    const events = (await auditTrail(t(), userId)).map(([event]) => event);
    expect(events).toEqual(expect.arrayContaining(['security_key.renamed', 'security_key.removed']));
  });
});
