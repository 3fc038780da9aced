// What a copy of the database gives away: TOTP secrets are encrypted with a key id, tokens hashed.
import { expect, it } from 'vitest';
import { toBase32 } from '../../src/auth/totp.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';

describeOnEachDatabase('secrets at rest', (database) => {
  const t = freshAppPerTest(database);

  it('the TOTP secret is stored encrypted with the id of its key, nowhere in clear', async () => {
    const account = await addAccount(t());
    await enroll(t(), new TestBrowser(t().app), account);
    const [credential] = await t().ctx.db.selectFrom('totp_credentials').selectAll().execute();
    expect(credential!.key_id).toBe(t().ctx.keyring.current.id);
    expect(Buffer.from(credential!.secret_ciphertext).includes(account.secret!)).toBe(false);
    const everything = JSON.stringify(await snapshot(t().ctx));
    expect(everything).not.toContain(account.secret!.toString('hex'));
    expect(everything).not.toContain(toBase32(account.secret!));
  });

  it('passwords are stored as Argon2id hashes with at least the OWASP parameters', async () => {
    const account = await addAccount(t());
    const user = await t().ctx.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.password_hash).not.toContain(account.password);
  });

  it('a secret whose ciphertext was altered in the database does not verify any code, and says nothing of why', async () => {
    const account = await addAccount(t());
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, account);
    const [credential] = await t().ctx.db.selectFrom('totp_credentials').selectAll().execute();
    const altered = Buffer.from(credential!.secret_ciphertext);
    altered[altered.length - 1]! ^= 1;
    await t().ctx.db.updateTable('totp_credentials').set({ secret_ciphertext: altered }).execute();
    await browser.post('/logout', {});
    await browser.get('/login');
    await browser.post('/login', { email: account.email, password: account.password });
    await browser.get('/mfa/verify');
    const page = await browser.post('/mfa/verify', { code: '123456' });
    expect(page.status).toBe(500);
    expect(page.body).toContain('a problem on our side');
    expect(page.body).not.toMatch(/altered|Decryption|ciphertext/i);
  });
});
