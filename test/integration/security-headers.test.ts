// Headers and cookie flags of DESIGN.md §2: CSP without inline script, no framing, no caching of
// pages, HttpOnly/SameSite cookies, Secure and __Host- behind HTTPS.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword } from '../support/sign-in.js';

describeOnEachDatabase('security headers and cookies', (database) => {
  const t = freshAppPerTest(database);

  it('pages carry a CSP without inline script, forbid framing, and are never cached', async () => {
    const browser = new TestBrowser(t().app);
    for (const url of ['/login', '/no-such-page']) {
      const page = await browser.get(url);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['cache-control']).toBe('no-store');
    }
  });

  it('the CSP the README and docs/SECURITY.md quote is the one sent, directive for directive', async () => {
    const sent = directives(String((await new TestBrowser(t().app).get('/login')).headers['content-security-policy']));
    for (const file of ['README.md', 'docs/SECURITY.md']) {
      const quoted = /`(default-src [^`]+)`/.exec(fs.readFileSync(file, 'utf8'))?.[1];
      expect(quoted, file).toBeDefined();
      expect(directives(quoted!), file).toEqual(sent);
    }
  });

  it('the MFA pages and the dashboard are never cached', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await submitPassword(browser, account);
    expect((await browser.get('/mfa/setup')).headers['cache-control']).toBe('no-store');
    await enroll(t(), new TestBrowser(t().app), account);
    const signedIn = new TestBrowser(t().app);
    t().clock.advance(30_000);
    await submitPassword(signedIn, account);
    expect((await signedIn.get('/mfa/verify')).headers['cache-control']).toBe('no-store');
  });

  it('the stylesheet may be cached', async () => {
    const css = await new TestBrowser(t().app).get('/assets/style.css');
    expect(css.status).toBe(200);
    expect(String(css.headers['content-type'])).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toMatch(/max-age=3600/);
  });

  it('the session cookie is HttpOnly and SameSite=Lax, without a lifetime of its own, and not Secure on plain HTTP', async () => {
    const account = await addAccount(t());
    const page = await submitPassword(new TestBrowser(t().app), account);
    const cookie = page.setCookies.find((c) => c.name === 'hms_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.maxAge).toBeUndefined();
    expect(cookie.secure).toBeFalsy();
    expect(cookie.value).toMatch(/^[\w-]{43}$/); // 256 bits
  });

  it('session tokens are stored only as hashes', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    const rows = await t().ctx.db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(browser.cookies.get('hms_session')!);
  });
});

describeOnEachDatabase('behind HTTPS (HMS_PUBLIC_URL=https://…)', (database) => {
  const t = freshAppPerTest(database, { HMS_PUBLIC_URL: 'https://hms.example.org' });

  it('cookies are Secure with the __Host- prefix, and HSTS is sent', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    const login = await browser.get('/login');
    expect(login.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    const page = await browser.post('/login', { email: account.email, password: account.password });
    const names = page.setCookies.map((c) => c.name);
    expect(names).toContain('__Host-hms_session');
    for (const cookie of [...login.setCookies, ...page.setCookies]) {
      expect(cookie.name.startsWith('__Host-')).toBe(true);
      expect(cookie).toMatchObject({ secure: true, path: '/', httpOnly: true });
    }
  });
});

function directives(csp: string): string[] {
  return csp.split(';').map((directive) => directive.trim()).filter(Boolean).sort();
}
