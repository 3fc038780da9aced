// Encryption keys (issue #11): ids that cannot collide, a start refused when a key id in the
// database does not open its secrets, and `hms rekey`, which survives a crash half-way.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { keyringFromList, newKeyEntry } from '../../src/auth/keyring.js';
import { generateRecoveryCodes } from '../../src/auth/recovery-codes.js';
import { checkKeysOpenSecrets } from '../../src/auth/sealed-secrets.js';
import { startPendingSession } from '../../src/auth/sessions.js';
import { hashToken } from '../../src/auth/tokens.js';
import { codeAt } from '../../src/auth/totp.js';
import { confirmEnrollment, enrollmentSecret, verifyCode } from '../../src/auth/totp-credentials.js';
import { claimDue, enqueueMail } from '../../src/mail/outbox.js';
import { CLI, runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import type { TestApp } from '../support/test-app.js';

const OLD = `old:${randomBytes(32).toString('base64')}`;
const NEW = `new:${randomBytes(32).toString('base64')}`;
const KEY_ENTRY = /^k\d{8}-[0-9a-f]{12}:[A-Za-z0-9+/]{43}=$/;

/** Accounts with a paired authenticator, sealed under the app's current key; returns their secrets. */
async function pairedAccounts(t: TestApp, count: number): Promise<Map<string, Buffer>> {
  const secrets = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const id = `user-${String(i).padStart(3, '0')}`;
    await t.ctx.db.insertInto('users').values({ id, email: `u${i}@clinic.example`, name: `User ${i}`, role: 'clinician', password_hash: null, password_changed_at: null, created_at: 0, disabled_at: null }).execute();
    const secret = await enrollmentSecret(t.ctx, id, `enrollment-${i}`);
    expect(await confirmEnrollment(t.ctx, `enrollment-${i}`, codeAt(secret, t.clock.now()))).toBe('accepted');
    secrets.set(id, secret);
  }
  return secrets;
}

async function keyIdsOf(t: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['totp_credentials', 'recovery_code_reveals'] as const) {
    for (const row of await t.ctx.db.selectFrom(table).select('key_id').execute()) counts[row.key_id] = (counts[row.key_id] ?? 0) + 1;
  }
  return counts;
}

it('`hms keygen` makes keys whose ids cannot collide, even made the same day', async () => {
  const printed = (await runCli(['keygen'], {})).stdout.trim();
  const sameMoment = new Date();
  const entries = [printed, newKeyEntry(sameMoment), newKeyEntry(sameMoment)];
  for (const entry of entries) expect(entry).toMatch(KEY_ENTRY);
  expect(new Set(entries.map((entry) => entry.split(':')[0])).size).toBe(3);
  expect(keyringFromList(entries.join(',')).byId.size).toBe(3);
});

describeOnEachDatabase('encryption keys', (database) => {
  const t = freshAppPerTest(database, { HMS_ENCRYPTION_KEYS: OLD });
  const env = (keys: string) => ({ ...t().database.env, HMS_ENCRYPTION_KEYS: keys, PORT: '0', HMS_LOG_LEVEL: 'warn' });

  it('refuses to start with another key under a known id, or without a key id in use, naming the key id', async () => {
    await pairedAccounts(t(), 1);
    const impostor = await runCli(['serve'], env(`old:${randomBytes(32).toString('base64')}`));
    expect(impostor.code).toBe(1);
    expect(impostor.stderr).toContain('Encryption key "old" does not open the authenticator secrets stored under that id');
    expect(impostor.stdout).not.toContain('HMS is serving');
    const missing = await runCli(['serve'], env(NEW));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('encrypted with key "old", which this instance does not have');
    expect((await runCli(['audit'], env(`${NEW},${OLD}`))).code).toBe(0);
  });

  it('`hms rekey` killed half-way leaves every secret readable, and run again finishes; then the old key can go', async () => {
    const secrets = await pairedAccounts(t(), 24);
    const [firstUser] = secrets.keys();
    const session = await startPendingSession(t().ctx, firstUser!, { clientIp: '203.0.113.9', userAgent: 'test' }, null);
    await generateRecoveryCodes(t().ctx, firstUser!, hashToken(session));
    expect(await keyIdsOf(t())).toEqual({ old: 25 });

    // Batches of 5 with a pause after each: killed right after the first one is reported.
    const rekey = spawn(process.execPath, [CLI, 'rekey', '--batch-size', '5', '--pause-ms', '1500'],
      { env: { ...process.env, ...env(`${NEW},${OLD}`) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      rekey.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Went through 5 of 25 secrets.')) {
          rekey.kill('SIGKILL');
          resolve();
        }
      });
      rekey.on('exit', (code) => reject(new Error(`rekey ended (${code}) before it was killed:\n${output}`)));
    });
    await new Promise((resolve) => rekey.once('close', resolve));
    expect(await keyIdsOf(t())).toEqual({ new: 5, old: 20 });
    // In the middle, with both keys, every secret opens and every code still works.
    const both = { ...t().ctx, keyring: keyringFromList(`${NEW},${OLD}`) };
    await checkKeysOpenSecrets(both);
    t().clock.advance(30_000);
    for (const [userId, secret] of secrets) expect(await verifyCode(both, userId, codeAt(secret, t().clock.now()))).toBe('accepted');

    const resumed = await runCli(['rekey', '--batch-size', '5'], env(`${NEW},${OLD}`));
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('Done: 20 secrets re-encrypted with "new".');
    expect(resumed.stdout).toContain('No secret uses "old" any more: remove it from HMS_ENCRYPTION_KEYS');
    expect(await keyIdsOf(t())).toEqual({ new: 25 });

    const onlyNew = { ...t().ctx, keyring: keyringFromList(NEW) };
    await checkKeysOpenSecrets(onlyNew);
    t().clock.advance(30_000);
    for (const [userId, secret] of secrets) expect(await verifyCode(onlyNew, userId, codeAt(secret, t().clock.now()))).toBe('accepted');
    expect((await runCli(['audit'], env(NEW))).code).toBe(0);
    expect((await runCli(['rekey'], env(NEW))).stdout).toContain('Every secret is already encrypted with "new": nothing to do.');

    const events = (await listEvents(t().ctx)).filter((e) => e.event.startsWith('keys.')).reverse();
    expect(events.map((e) => [e.event, e.details])).toEqual([
      ['keys.rekey_started', { via: 'cli', key_id: 'new', from: 'old' }],
      ['keys.rekey_started', { via: 'cli', key_id: 'new', from: 'old' }],
      ['keys.rekey_completed', { via: 'cli', key_id: 'new', from: 'old', secrets: 20 }],
    ]);
  });

  it('a queued mail holding a link keeps its key in use, is re-sealed by `hms rekey`, and opens with the new key alone', async () => {
    const link = 'https://hms.example/invite/secret-token-of-the-test';
    const invitation = { kind: 'invitation' as const, link, expiresAt: t().clock.now() + 3_600_000, invitedBy: 'Walter', role: 'clinician' };
    const queued = await enqueueMail(t().ctx, t().ctx.db, { email: 'new.hire@clinic.example', name: 'New Hire', userId: null }, invitation);
    // Not a key to retire: a queued invitation is sealed under it.
    expect((await runCli(['rekey'], env(`${NEW},${OLD}`))).stdout).toContain('Done: 1 secret re-encrypted with "new".');
    const row = await t().ctx.db.selectFrom('mail_outbox').select(['key_id', 'payload']).where('id', '=', queued).executeTakeFirstOrThrow();
    expect(row.key_id).toBe('new');
    expect(Buffer.from(row.payload!).toString('utf8')).not.toContain('secret-token');
    const onlyNew = { ...t().ctx, keyring: keyringFromList(NEW) };
    await checkKeysOpenSecrets(onlyNew);
    const [mail] = await claimDue(onlyNew);
    expect(mail?.message).toEqual(invitation);
  });

  it('a queued link that no longer opens (damaged) is given up by `hms rekey`, shown as failed, not retried for ever', async () => {
    const to = { email: 'lost@clinic.example', name: 'Lost', userId: null };
    const reset = { kind: 'password_reset' as const, link: 'https://hms.example/password/reset/x', expiresAt: t().clock.now() + 60_000, bySupport: null };
    const sound = await enqueueMail(t().ctx, t().ctx.db, to, reset);
    const damaged = await enqueueMail(t().ctx, t().ctx.db, to, reset);
    const { payload } = await t().ctx.db.selectFrom('mail_outbox').select('payload').where('id', '=', damaged).executeTakeFirstOrThrow();
    const flipped = Buffer.from(payload!);
    flipped[flipped.length - 1]! ^= 1;
    await t().ctx.db.updateTable('mail_outbox').set({ payload: flipped }).where('id', '=', damaged).execute();
    const run = await runCli(['rekey'], env(`${NEW},${OLD}`));
    expect(run.code).toBe(0);
    // The damaged link is not counted as re-encrypted: the operator is told it was given up, and what to do.
    expect(run.stdout).toContain('Done: 1 secret re-encrypted with "new".');
    expect(run.stdout).toContain('1 queued message held a link no key opens: given up');
    const completed = (await listEvents(t().ctx)).find((e) => e.event === 'keys.rekey_completed');
    expect(completed?.details).toMatchObject({ secrets: 1, links_given_up: 1 });
    const rows = await t().ctx.db.selectFrom('mail_outbox').select(['id', 'key_id', 'payload', 'failed_at', 'last_error']).execute();
    const given = rows.find((row) => row.id === damaged)!;
    expect(given.payload).toBeNull();
    expect(given.failed_at).not.toBeNull();
    expect(given.last_error).toContain('send a new link');
    expect(rows.find((row) => row.id === sound)!.key_id).toBe('new');
  });
  it('recovery codes awaiting "I saved them" that no longer open are dropped by `hms rekey` and said so; the codes themselves still work', async () => {
    const secrets = await pairedAccounts(t(), 2);
    const [first, second] = secrets.keys();
    const reveals = [];
    for (const user of [first!, second!]) {
      const session = await startPendingSession(t().ctx, user, { clientIp: '203.0.113.9', userAgent: 'test' }, null);
      reveals.push({ user, sessionHash: hashToken(session), codes: await generateRecoveryCodes(t().ctx, user, hashToken(session)) });
    }
    const damaged = reveals[0]!;
    const { codes_ciphertext: ciphertext } = await t().ctx.db.selectFrom('recovery_code_reveals').select('codes_ciphertext')
      .where('session_hash', '=', damaged.sessionHash).executeTakeFirstOrThrow();
    const flipped = Buffer.from(ciphertext);
    flipped[flipped.length - 1]! ^= 1;
    await t().ctx.db.updateTable('recovery_code_reveals').set({ codes_ciphertext: flipped }).where('session_hash', '=', damaged.sessionHash).execute();

    const run = await runCli(['rekey'], env(`${NEW},${OLD}`));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Done: 3 secrets re-encrypted with "new".'); // two authenticator secrets, the sound display
    expect(run.stdout).toContain('1 recovery-code display awaiting "I saved them" could not be opened with any key: dropped.');
    expect(run.stdout).not.toContain('queued message');
    const left = await t().ctx.db.selectFrom('recovery_code_reveals').select(['session_hash', 'key_id']).execute();
    expect(left).toEqual([{ session_hash: reveals[1]!.sessionHash, key_id: 'new' }]);
    expect(await t().ctx.db.selectFrom('recovery_codes').select('id').where('user_id', '=', damaged.user).where('used_at', 'is', null).execute()).toHaveLength(damaged.codes.length);
    const completed = (await listEvents(t().ctx)).find((e) => e.event === 'keys.rekey_completed');
    expect(completed?.details).toEqual({ via: 'cli', key_id: 'new', from: 'old', secrets: 3, code_displays_dropped: 1 });
  });
});
