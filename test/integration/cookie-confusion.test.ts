// Cookies are bearer tokens bound to one account: copied between users or altered, they never
// give access as anyone else (issue #3); redirects after sign-in stay on this site.
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword } from '../support/sign-in.js';

describeOnEachDatabase('cookies copied between users, and tampered cookies', (database) => {
  const t = freshAppPerTest(database);

  async function twoUsers() {
    const alice = await addAccount(t(), 'clinician', 'Alice Able');
    const bob = await addAccount(t(), 'clinician', 'Bob Baker');
    const aliceBrowser = new TestBrowser(t().app);
    const bobBrowser = new TestBrowser(t().app, 'Bob/1.0', '198.51.100.2');
    await enroll(t(), aliceBrowser, alice, true);
    await enroll(t(), bobBrowser, bob, true);
    return { alice, bob, aliceBrowser, bobBrowser };
  }

  it("A's session cookie in B's browser is A's session, never B's", async () => {
    const { aliceBrowser, bobBrowser } = await twoUsers();
    bobBrowser.cookies.set('hms_session', aliceBrowser.cookies.get('hms_session')!);
    const page = await bobBrowser.get('/');
    expect(page.body).toContain('Welcome, Alice Able');
    expect(page.body).not.toContain('Bob Baker');
  });

  it("A's pending (password-only) cookie does not accept B's code, and gives no page beyond the code step", async () => {
    const { alice, bob, bobBrowser } = await twoUsers();
    await bobBrowser.post('/logout', {});
    const aliceBrowser = new TestBrowser(t().app);
    await submitPassword(aliceBrowser, { ...alice });
    bobBrowser.cookies.set('hms_session', aliceBrowser.cookies.get('hms_session')!);
    expect((await bobBrowser.get('/')).location).toBe('/mfa/verify');
    await bobBrowser.get('/mfa/verify');
    t().clock.advance(30_000);
    const refused = await bobBrowser.post('/mfa/verify', { code: codeAt(bob.secret!, t().clock.now()) });
    expect(refused.status).toBe(401);
    expect((await bobBrowser.get('/')).location).toBe('/mfa/verify');
  });

  it("A's remembered-device cookie skips nothing for B, even after B's correct password", async () => {
    const { bob, aliceBrowser, bobBrowser } = await twoUsers();
    await bobBrowser.post('/logout', {});
    bobBrowser.cookies.set('hms_device', aliceBrowser.cookies.get('hms_device')!);
    expect((await submitPassword(bobBrowser, bob)).location).toBe('/mfa/verify');
  });

  it('a session cookie with one character changed is refused', async () => {
    const { aliceBrowser } = await twoUsers();
    const token = aliceBrowser.cookies.get('hms_session')!;
    const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    const other = new TestBrowser(t().app);
    other.cookies.set('hms_session', tampered);
    expect((await other.get('/')).status).toBe(401);
  });
});

describeOnEachDatabase('redirects after sign-in', (database) => {
  const t = freshAppPerTest(database);

  it.each(['https://evil.example', '//evil.example', '/.//evil.example/x', '/\\evil.example', 'javascript:alert(1)'])(
    'a signed-in visit to /login?next=%s stays on HMS', async (next) => {
      const account = await addAccount(t());
      const browser = new TestBrowser(t().app);
      await enroll(t(), browser, account);
      const page = await browser.get(`/login?next=${encodeURIComponent(next)}`);
      expect(page.status).toBe(303);
      expect(page.location).toBe('/');
    });
});
