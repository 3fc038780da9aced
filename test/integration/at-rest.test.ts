// What a copy of the database gives away: TOTP secrets are encrypted with a key id, tokens hashed;
// and who on the machine can make such a copy: only the account running HMS.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { toBase32 } from '../../src/auth/totp.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll } from '../support/sign-in.js';
import { snapshot } from '../support/snapshot.js';
import { runCli } from '../support/cli.js';

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

  it('the data folder is private: an open one is tightened at start, with a log line; a database file others can read stops start-up', async () => {
    const { dataDir, databaseUrl, env } = t().database;
    const mode = (file: string) => fs.statSync(file).mode & 0o777;
    fs.chmodSync(dataDir, 0o755);
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code).toBe(0);
    if (databaseUrl) {
      // PostgreSQL with its keys in HMS_ENCRYPTION_KEYS: HMS keeps nothing in the folder, and leaves it alone.
      expect(migrated.stderr).not.toContain('private');
      expect(fs.readdirSync(dataDir)).toEqual([]);
      return;
    }
    expect(migrated.stderr).toContain(`Made ${dataDir} private (mode 755 → 700)`);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'encryption-keys.json'))).toBe(0o600);
    const files = ['hms.sqlite', 'hms.sqlite-wal', 'hms.sqlite-shm'].map((name) => path.join(dataDir, name));
    for (const file of files) expect(mode(file), file).toBe(0o600);
    fs.chmodSync(files[0]!, 0o644);
    const refused = await runCli(['migrate'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${files[0]} can be read by other users (mode 644)`);
    expect(refused.stderr).toContain(`chmod 600 ${files[0]}*`);
  });
});
