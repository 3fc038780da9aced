// The code step's transaction on PostgreSQL, where each statement is a network round trip: the
// same steps as auth/sign-in-code.ts in two statements between BEGIN and COMMIT. The first
// reserves the three attempt counters and reads the authenticator (and how many recovery codes
// are left); the code is checked in Node; the second writes the outcome: for a right code the
// replay marker and, only if that took, the counters given back, the session swap, the known
// browser and the audit row; for a used or wrong code the audit row. A refused attempt rolls back:
// it was not evaluated, so it costs nothing. The rows reserved stay locked until COMMIT, so
// parallel guesses on any number of instances wait and then see the counts that include this one.
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import { DAY, HOUR } from '../clock.js';
import type { Database } from '../db/schema.js';
import { countAttemptRefusal } from '../metrics/registry.js';
import { logAuditEvent } from './audit.js';
import { addressGroup } from './client-address.js';
import { KNOWN_BROWSER_DAYS } from './known-browsers.js';
import { SESSION_MAX_CODE_FAILURES } from './sessions.js';
import type { SignInCodeInput, SignInCodeResult } from './sign-in-code.js';
import { ADDRESS_MAX_FAILURES, ADDRESS_WINDOW, CODE_LOCK, CODE_LOCK_MAX_DOUBLINGS, CODE_MAX_FAILURES } from './throttles.js';
import { hashToken, isWellFormedToken, newId, newToken } from './tokens.js';
import { matchCredentialCode } from './totp-credentials.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'keyring' | 'log'>;


interface Reserved {
  address_now: number | null;
  address_before: number | null;
  session_failures: number | null;
  account_counted: boolean;
  locks_until: number | null;
  locked_until: number | null;
  recovery_codes_left: number;
  recovery_codes_unconfirmed: boolean;
  credential_id: string | null;
  credential_user_id: string | null;
  key_id: string | null;
  secret_ciphertext: Buffer | null;
}

class Refused extends Error {
  constructor(readonly result: SignInCodeResult) {
    super('refused');
  }
}

export async function checkSignInCodePostgres(ctx: Ctx, input: SignInCodeInput): Promise<SignInCodeResult> {
  return ctx.db.transaction().execute((trx) => inTransaction(ctx, trx, input)).catch((error: unknown) => {
    if (error instanceof Refused) return error.result;
    throw error;
  });
}

async function inTransaction(ctx: Ctx, trx: Transaction<Database>, input: SignInCodeInput): Promise<SignInCodeResult> {
  const { session, client } = input;
  const userId = session.user_id;
  const now = ctx.clock.now();
  const stranger = session.known_browser_id === null;
  const clientKey = addressGroup(client.clientIp);
  const windowStart = now - (now % ADDRESS_WINDOW);
  const reachesLimit = sql`second_factor_locks.failures + 1 >= ${sql.lit(CODE_MAX_FAILURES)}`;
  const lockouts = sql`second_factor_locks.lockouts`;
  // Statement 1: the three counters (as throttles.ts and sessions.ts count them) and the authenticator.
  const { rows: [reserved] } = await sql<Reserved>`
    with address as (
      insert into address_throttles (client_ip, window_start, failures) select ${clientKey}, cast(${windowStart} as bigint), 1 where ${stranger}
      on conflict (client_ip, window_start) do update set failures = address_throttles.failures + 1
      returning failures),
    attempt as (
      update sessions set code_failures = code_failures + 1
      where id_hash = ${session.id_hash} and stage = 'pending' and code_failures < ${SESSION_MAX_CODE_FAILURES}
      returning code_failures),
    account as (
      insert into second_factor_locks (user_id, failures, locked_until, lockouts) values (${userId}, 1, null, 0)
      on conflict (user_id) do update set
        failures = case when ${reachesLimit} then 0 else second_factor_locks.failures + 1 end,
        locked_until = case when ${reachesLimit} then cast(${now} as bigint) + (case when ${lockouts} >= ${sql.lit(CODE_LOCK_MAX_DOUBLINGS)}
          then ${sql.lit(CODE_LOCK << CODE_LOCK_MAX_DOUBLINGS)} else ${sql.lit(CODE_LOCK)} << ${lockouts} end) else null end,
        lockouts = case when ${reachesLimit} then ${lockouts} + 1 else ${lockouts} end
      where second_factor_locks.locked_until is null or second_factor_locks.locked_until <= ${now}
      returning locked_until)
    select
      (select failures from address) as address_now,
      (select failures from address_throttles where client_ip = ${clientKey} and window_start = ${windowStart - ADDRESS_WINDOW}) as address_before,
      (select code_failures from attempt) as session_failures,
      exists (select 1 from account) as account_counted,
      (select locked_until from account) as locks_until,
      (select locked_until from second_factor_locks where user_id = ${userId}) as locked_until,
      (select count(*) from recovery_codes where user_id = ${userId} and used_at is null) as recovery_codes_left,
      exists (select 1 from recovery_codes where user_id = ${userId} and confirmed_at is null) as recovery_codes_unconfirmed,
      c.id as credential_id, c.user_id as credential_user_id, c.key_id, c.secret_ciphertext
    from (select 1) as one left join totp_credentials c on c.user_id = ${userId} and c.confirmed_at is not null`.execute(trx);
  const row = reserved!;

  if (stranger) {
    const current = row.address_now!;
    if (current + (row.address_before ?? 0) > ADDRESS_MAX_FAILURES) {
      countAttemptRefusal('client_address');
      // Once this window alone is full, the address waits until the next one has also passed.
      const until = windowStart + (current > ADDRESS_MAX_FAILURES ? 2 : 1) * ADDRESS_WINDOW;
      throw new Refused({ outcome: 'address-limited', refusal: { limited: 'address', retryAfterMs: until - now } });
    }
  }
  if (row.session_failures === null) {
    countAttemptRefusal('sign_in_attempts');
    throw new Refused({ outcome: 'start-over' });
  }
  if (!row.account_counted) {
    countAttemptRefusal('second_factor_lock');
    throw new Refused({ outcome: 'locked', lockedUntil: row.locked_until ?? now });
  }
  if (row.credential_id === null) throw new Refused({ outcome: 'no-authenticator' });
  const remaining = SESSION_MAX_CODE_FAILURES - row.session_failures;
  const locksNow = row.locks_until !== null;

  const step = matchCredentialCode(ctx, {
    id: row.credential_id, user_id: row.credential_user_id!, key_id: row.key_id!, secret_ciphertext: row.secret_ciphertext!,
  }, input.code);
  const details = (outcome: 'ok' | 'wrong') => JSON.stringify(outcome === 'ok' ? { second_factor: 'totp' } : { step: 'verify' });
  if (step === null) {
    await sql`insert into audit_events (at, event, actor_user_id, subject_user_id, client_ip, user_agent, details)
      values (${now}, 'sign_in.code_failed', null, ${userId}, ${client.clientIp}, ${client.userAgent}, ${details('wrong')})`.execute(trx);
    logAuditEvent(ctx, { event: 'sign_in.code_failed', subjectUserId: userId });
    return { outcome: 'wrong', remaining, locksNow };
  }

  // Statement 2: the replay marker first; everything else only if it took.
  const token = newToken();
  const browserToken = newToken();
  const held = new Map(input.knownBrowserTokens.filter(isWellFormedToken).map((held) => [hashToken(held), held]));
  const browserExpires = now + KNOWN_BROWSER_DAYS * DAY;
  const { rows: [written] } = await sql<{ accepted: boolean; started: boolean; renewed: string | null }>`
    with replay as (
      update totp_credentials set last_used_step = ${step}
      where id = ${row.credential_id} and (last_used_step is null or last_used_step < ${step})
      returning id),
    unlocked as (delete from second_factor_locks where user_id = ${userId} and exists (select 1 from replay)),
    given_back as (
      update address_throttles set failures = failures - 1
      where ${stranger} and client_ip = ${clientKey} and window_start = ${windowStart} and exists (select 1 from replay)),
    ended as (
      delete from sessions where id_hash = ${session.id_hash} and stage = 'pending' and exists (select 1 from replay)
      returning id_hash),
    started as (
      insert into sessions (id_hash, user_id, stage, created_at, last_seen_at, expires_at, return_to, client_ip, user_agent, factor_verified_at, known_browser_id)
      select ${hashToken(token)}, ${userId}, 'full', cast(${now} as bigint), cast(${now} as bigint), cast(${now + ctx.config.sessionMaxHours * HOUR} as bigint), null,
        ${client.clientIp}, ${client.userAgent}, cast(${now} as bigint), null
      where exists (select 1 from ended)
      returning id_hash),
    renewed as (
      update known_browsers set expires_at = ${browserExpires}, failures = 0, blocked_until = null
      where user_id = ${userId} and token_hash = any(${[...held.keys()]}::text[]) and expires_at > ${now} and exists (select 1 from started)
      returning token_hash),
    made as (
      insert into known_browsers (id, user_id, token_hash, created_at, expires_at)
      select ${newId()}, ${userId}, ${hashToken(browserToken)}, cast(${now} as bigint), cast(${browserExpires} as bigint)
      where exists (select 1 from started) and not exists (select 1 from renewed)),
    audited as (
      insert into audit_events (at, event, actor_user_id, subject_user_id, client_ip, user_agent, details)
      select cast(${now} as bigint), case when s.ok then 'sign_in.succeeded' else 'sign_in.code_replayed' end, case when s.ok then cast(${userId} as text) end,
        ${userId}, ${client.clientIp}, ${client.userAgent}, case when s.ok then ${details('ok')} else ${details('wrong')} end
      from (select exists (select 1 from started) as ok) as s)
    select exists (select 1 from replay) as accepted, exists (select 1 from started) as started,
      (select token_hash from renewed limit 1) as renewed`.execute(trx);
  if (!written!.accepted) {
    logAuditEvent(ctx, { event: 'sign_in.code_replayed', subjectUserId: userId });
    return { outcome: 'replayed', remaining, locksNow };
  }
  // The pending row is locked by statement 1: it cannot be gone. Should it be, nothing is kept.
  if (!written!.started) throw new Refused({ outcome: 'start-over' });
  logAuditEvent(ctx, { event: 'sign_in.succeeded', actorUserId: userId, subjectUserId: userId });
  return {
    outcome: 'accepted', token, knownBrowserToken: written!.renewed ? held.get(written!.renewed)! : browserToken,
    recoveryCodes: { left: Number(row.recovery_codes_left), unconfirmed: row.recovery_codes_unconfirmed },
  };
}
