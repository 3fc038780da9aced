// Accounts and sessions for the benchmark, written straight into its database through the
// domain modules (the same code the server runs), so that preparing thousands of sign-ins does
// not cost thousands of password hashes.
import { createAccount } from '../../src/auth/accounts.js';
import { confirmEnrollment, enrollmentSecret } from '../../src/auth/totp-credentials.js';
import { startPendingSession, type ClientInfo } from '../../src/auth/sessions.js';
import { codeAt, STEP_SECONDS } from '../../src/auth/totp.js';
import { hashToken } from '../../src/auth/tokens.js';
import { ManualClock } from '../../src/clock.js';
import type { AppContext } from '../../src/context.js';
import type { User } from '../../src/db/schema.js';

export const BENCH_PASSWORD = 'bench password, long enough 2026';
const CLIENT: ClientInfo = { clientIp: '127.0.0.1', userAgent: 'hms-bench' };

export interface PairedAccount {
  user: User;
  secret: Buffer;
}

/**
 * Clinician accounts with a paired authenticator. All share one password hash, made once with
 * the configured Argon2id parameters: verifying it costs what any account's would. Pairing is
 * dated two code steps back, so the codes of the benchmark are later, unused steps.
 */
export async function seedPairedAccounts(ctx: AppContext, count: number, prefix: string): Promise<PairedAccount[]> {
  const passwordHash = await ctx.passwords.hash(BENCH_PASSWORD);
  const past = new ManualClock(Date.now() - 2 * STEP_SECONDS * 1000);
  const seeding: AppContext = { ...ctx, clock: past, passwords: { ...ctx.passwords, hash: async () => passwordHash } };
  const accounts: PairedAccount[] = [];
  for (let i = 0; i < count; i++) {
    const user = await createAccount(seeding, { email: `${prefix}${i}@bench.example`, name: `Bench Clinician ${i}`, role: 'clinician', password: BENCH_PASSWORD });
    const sessionHash = hashToken(await startPendingSession(seeding, user.id, CLIENT, null));
    const secret = await enrollmentSecret(seeding, user.id, sessionHash);
    const outcome = await confirmEnrollment(seeding, sessionHash, codeAt(secret, past.now()));
    if (outcome !== 'accepted') throw new Error(`pairing a bench account failed: ${outcome}`);
    accounts.push({ user, secret });
  }
  return accounts;
}

/** A password-only session for each account, as `POST /login` would leave it: cookie tokens. */
export async function startPendingSessions(ctx: AppContext, accounts: readonly PairedAccount[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const { user } of accounts) tokens.push(await startPendingSession(ctx, user.id, CLIENT, null));
  return tokens;
}
