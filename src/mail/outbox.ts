// The only writer of mail_outbox. A message is written here in the transaction of the event that
// causes it (it is sent only if that commits), then a background sender (mail/sender.ts) claims
// it, sends it and marks it. Claims hold a lease, taken with FOR UPDATE SKIP LOCKED on PostgreSQL
// and a conditional UPDATE on both databases, so that of several instances exactly one sends it.
import type { ExpressionBuilder, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { MINUTE, SECOND, DAY } from '../clock.js';
import { isPostgres } from '../db/dialect-types.js';
import type { Database, OutboxMessage } from '../db/schema.js';
import { open, seal } from '../auth/secret-box.js';
import { sealedTableStore, type SealedStore } from '../auth/sealed-table.js';
import { newId } from '../auth/tokens.js';
import { isLanguage, type Language } from '../i18n/languages.js';
import type { MailMessage } from './messages.js';

/** Longer than any one send may take (the transport's timeouts add up to less). */
export const LEASE = 2 * MINUTE;
/** First retry after 10 s, then doubling, never more than 2 minutes apart (back within 2 min of SMTP returning). */
export const FIRST_RETRY = 10 * SECOND;
export const MAX_RETRY_GAP = 2 * MINUTE;
/** A message still not accepted this long after it was written is given up and shown as failed. */
export const GIVE_UP_AFTER = 3 * DAY;
/** A message the server refuses outright (5xx) this many times is given up at once. */
export const PERMANENT_REFUSALS = 3;
/** Kinds that hold no single-use link: what they say stays true, so support may send them again as they are. */
export const RESENDABLE_KINDS: readonly string[] = ['security_notice'];

export interface Recipient {
  email: string;
  name: string;
  userId: string | null;
}

/** What a message needs, decoded: who it greets, in which language, and what it says. */
export interface QueuedMail {
  id: string;
  recipient: string;
  name: string;
  /** The language the recipient's account has chosen when the message is sent; null: none (HMS_DEFAULT_LANGUAGE). */
  language: Language | null;
  message: MailMessage;
  attempts: number;
  /** When it was queued: written, or sent again by support. Its 3 days before giving up run from then. */
  queuedAt: number;
}

const context = (id: string) => `mail_outbox:${id}`;

/** Writes a message to the outbox through `db` (the caller's transaction). A link in it is sealed. */
export async function enqueueMail(ctx: Pick<AppContext, 'clock'> & { keyring?: AppContext['keyring'] }, db: Kysely<Database>,
  to: Recipient, message: MailMessage): Promise<string> {
  const id = newId();
  const json = Buffer.from(JSON.stringify({ name: to.name, message }));
  const holdsLink = 'link' in message;
  if (holdsLink && !ctx.keyring) throw new Error('A message with a link is sealed: give enqueueMail the key ring');
  const sealed = holdsLink ? seal(ctx.keyring!, json, context(id)) : null;
  const now = ctx.clock.now();
  await db.insertInto('mail_outbox').values({
    id, kind: message.kind, recipient: to.email, user_id: to.userId, key_id: sealed?.keyId ?? null,
    payload: sealed?.ciphertext ?? json, created_at: now, next_attempt_at: now, attempts: 0,
    lease_until: null, sent_at: null, failed_at: null, last_error: null,
  }).execute();
  return id;
}

/** Takes up to `limit` messages that are due and not held by anyone, for LEASE. */
export async function claimDue(ctx: Pick<AppContext, 'db' | 'clock' | 'keyring'>, limit = 10): Promise<QueuedMail[]> {
  const now = ctx.clock.now();
  const due = (db: Kysely<Database>) => db.selectFrom('mail_outbox').select('id')
    .where('sent_at', 'is', null).where('failed_at', 'is', null).where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_attempt_at').orderBy('id').limit(limit);
  let claimed: OutboxMessage[];
  if (isPostgres(ctx.db)) {
    claimed = await ctx.db.transaction().execute(async (trx) => {
      const ids = (await due(trx).forUpdate().skipLocked().execute()).map((row) => row.id);
      if (ids.length === 0) return [];
      return trx.updateTable('mail_outbox').set({ lease_until: now + LEASE, attempts: sql`attempts + 1` })
        .where('id', 'in', ids).returningAll().execute();
    });
  } else {
    claimed = [];
    for (const { id } of await due(ctx.db).execute()) {
      // Taken only if nobody took it since it was read (another process on the same file).
      const row = await ctx.db.updateTable('mail_outbox').set({ lease_until: now + LEASE, attempts: sql`attempts + 1` })
        .where('id', '=', id).where('sent_at', 'is', null).where('failed_at', 'is', null)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returningAll().executeTakeFirst();
      if (row) claimed.push(row);
    }
  }
  const languages = await recipientLanguages(ctx.db, claimed);
  return claimed.map((row) => decode(ctx, row, (row.user_id && languages.get(row.user_id)) || null));
}

/** Read when the message is sent, not when it is queued: a language chosen in between is the one used. */
async function recipientLanguages(db: Kysely<Database>, rows: OutboxMessage[]): Promise<Map<string, Language>> {
  const ids = [...new Set(rows.flatMap((row) => (row.user_id ? [row.user_id] : [])))];
  if (ids.length === 0) return new Map();
  const users = await db.selectFrom('users').select(['id', 'language']).where('id', 'in', ids).execute();
  return new Map(users.flatMap((user) => (isLanguage(user.language) ? [[user.id, user.language] as const] : [])));
}

const openLink = (ctx: Pick<AppContext, 'keyring'>, row: OutboxMessage) => open(ctx.keyring, { keyId: row.key_id!, ciphertext: row.payload! }, context(row.id));

function decode(ctx: Pick<AppContext, 'keyring'>, row: OutboxMessage, language: Language | null): QueuedMail {
  const bytes = row.key_id === null ? row.payload! : openLink(ctx, row);
  const { name, message } = JSON.parse(bytes.toString('utf8')) as { name: string; message: MailMessage };
  return { id: row.id, recipient: row.recipient, name, language, message, attempts: row.attempts, queuedAt: row.requeued_at ?? row.created_at };
}

/** Accepted by the mail server: the payload (and any link in it) is gone from the database. */
export async function markSent(ctx: Pick<AppContext, 'db' | 'clock'>, id: string): Promise<void> {
  await ctx.db.updateTable('mail_outbox').set({ sent_at: ctx.clock.now(), lease_until: null, payload: null, last_error: null })
    .where('id', '=', id).execute();
}

/**
 * Not accepted: tried again after a back-off, or given up (shown as failed in the console). A
 * given-up message without a link keeps its payload so that support can send it again; a link is
 * a credential, and one that failed is dropped: support sends a new link instead (mail/resend.ts).
 */
export async function markNotSent(ctx: Pick<AppContext, 'db' | 'clock'>, mail: QueuedMail, error: string, permanent: boolean): Promise<'retry' | 'failed'> {
  const now = ctx.clock.now();
  const giveUp = (permanent && mail.attempts >= PERMANENT_REFUSALS) || now - mail.queuedAt >= GIVE_UP_AFTER;
  const gap = Math.min(FIRST_RETRY * 2 ** Math.max(0, mail.attempts - 1), MAX_RETRY_GAP);
  await ctx.db.updateTable('mail_outbox').set(giveUp
    ? { failed_at: now, lease_until: null, last_error: error.slice(0, 500), ...('link' in mail.message ? { payload: null } : {}) }
    : { next_attempt_at: now + gap, lease_until: null, last_error: error.slice(0, 500) })
    .where('id', '=', mail.id).execute();
  return giveUp ? 'failed' : 'retry';
}

export interface OutboxEntry {
  id: string;
  kind: string;
  recipient: string;
  userId: string | null;
  createdAt: number;
  /** When support last sent it again, if ever. */
  requeuedAt: number | null;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  failedAt: number | null;
  /** The message's content is still here (false once sent, or given up while holding a link). */
  hasContent: boolean;
}

/** When a message was last queued, in SQL (as `queuedAt` in decode): sent again, else written. */
const queuedAt = (eb: ExpressionBuilder<Database, 'mail_outbox'>) => eb.fn.coalesce('requeued_at', 'created_at');

/** The console lists this many unsent messages at most, newest first; the counts below cover them all. */
export const UNSENT_LISTED = 100;

/** Messages not sent yet and messages given up, the latest queued (written or sent again) first: for the console. */
export async function unsentMail(ctx: Pick<AppContext, 'db'>, limit = UNSENT_LISTED): Promise<OutboxEntry[]> {
  const rows = await entries(ctx.db).where('sent_at', 'is', null)
    .orderBy(queuedAt, 'desc').orderBy('id').limit(limit).execute();
  return rows.map(toEntry);
}

/** Given up, still unsent, with its content, of a kind that stays true: what "Send again" may queue. */
const resendableNow = (eb: ExpressionBuilder<Database, 'mail_outbox'>) => eb.and([
  eb('failed_at', 'is not', null), eb('sent_at', 'is', null), eb('payload', 'is not', null), eb('kind', 'in', [...RESENDABLE_KINDS]),
]);

/** Messages unsent (queued or given up), and how many of them "Send all again" would queue: all of them, not only those listed. */
export interface UnsentCounts {
  unsent: number;
  resendable: number;
}

export async function unsentMailCounts(ctx: Pick<AppContext, 'db'>): Promise<UnsentCounts> {
  const row = await ctx.db.selectFrom('mail_outbox').where('sent_at', 'is', null)
    .select((eb) => [
      eb.fn.countAll<number>().as('unsent'),
      eb.fn.count<number>(eb.case().when(resendableNow(eb)).then(1).end()).as('resendable'),
    ]).executeTakeFirstOrThrow();
  return { unsent: Number(row.unsent), resendable: Number(row.resendable) };
}

/** One message of the outbox, sent or not. */
export async function outboxEntry(ctx: Pick<AppContext, 'db'>, id: string): Promise<OutboxEntry & { sentAt: number | null } | null> {
  const row = await entries(ctx.db).select('sent_at').where('id', '=', id).executeTakeFirst();
  return row ? { ...toEntry(row), sentAt: row.sent_at } : null;
}

// The payload itself is not read: only whether it is still there.
const entries = (db: Kysely<Database>) => db.selectFrom('mail_outbox')
  .select(['id', 'kind', 'recipient', 'user_id', 'created_at', 'requeued_at', 'attempts', 'next_attempt_at', 'last_error', 'failed_at'])
  .select((eb) => eb.case().when('payload', 'is', null).then(0).else(1).end().as('has_content'));

type EntryRow = Pick<OutboxMessage, 'id' | 'kind' | 'recipient' | 'user_id' | 'created_at' | 'requeued_at' | 'attempts' | 'next_attempt_at' | 'last_error' | 'failed_at'> & { has_content: number };

function toEntry(row: EntryRow): OutboxEntry {
  return { id: row.id, kind: row.kind, recipient: row.recipient, userId: row.user_id, createdAt: row.created_at, requeuedAt: row.requeued_at, attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at, lastError: row.last_error, failedAt: row.failed_at, hasContent: Number(row.has_content) === 1 };
}

/**
 * Puts given-up messages back in the queue, due at once, with a fresh count of tries and a fresh
 * 3 days before giving up (from requeued_at; created_at keeps when it was first written). Only rows
 * still failed, with their content, move: a conditional update, so a message that another admin
 * or instance already sent again is not queued twice. `only`: one message; otherwise every one.
 */
export async function requeueFailed(ctx: Pick<AppContext, 'clock'>, db: Kysely<Database>, only?: string): Promise<{ id: string; kind: string; userId: string | null }[]> {
  const now = ctx.clock.now();
  const rows = await db.updateTable('mail_outbox')
    .set({ failed_at: null, attempts: 0, next_attempt_at: now, requeued_at: now, lease_until: null })
    .where(resendableNow)
    .$if(only !== undefined, (qb) => qb.where('id', '=', only!))
    .returning(['id', 'kind', 'user_id']).execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind, userId: row.user_id }));
}

export async function sentMailCount(ctx: Pick<AppContext, 'db'>, since: number): Promise<number> {
  const row = await ctx.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('sent_at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Sent and given-up messages queued before this go, with whatever they still hold (a failed notice keeps its content for "Send again"). */
export async function deleteOldMail(ctx: Pick<AppContext, 'db'>, before: number): Promise<void> {
  await ctx.db.deleteFrom('mail_outbox').where((eb) => eb(queuedAt(eb), '<', before))
    .where((eb) => eb.or([eb('sent_at', 'is not', null), eb('failed_at', 'is not', null)])).execute();
}

/**
 * Queued messages holding a link, sealed: the start-up key check, `hms rekey` and the key ids in
 * use (a key must not be retired while a queued invitation is sealed under it).
 */
export const queuedMailLinks: SealedStore = sealedTableStore<OutboxMessage>({
  what: 'links in queued mail',
  table: 'mail_outbox',
  columns: { id: 'id', keyId: 'key_id', ciphertext: 'payload' },
  open: openLink,
  context: (row) => context(row.id),
  settles: {
    detail: 'links_given_up',
    noun: 'queued message',
    told: 'held a link no key opens: given up, shown as failed on the console\'s Mail page. Send a new link from the account page (the old one can never be sent).',
  },
  async unopenable(ctx, row) {
    // A link no key opens can never be sent: the message is given up, and support sends a new link.
    await ctx.db.updateTable('mail_outbox').set({ payload: null, failed_at: ctx.clock.now(), lease_until: null, last_error: 'its link no longer decrypts (encryption key gone): send a new link' })
      .where('id', '=', row.id).where('sent_at', 'is', null).execute();
  },
});
