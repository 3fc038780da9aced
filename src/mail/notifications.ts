// Security notifications: the one place that says which audit events the account's holder hears
// about by mail. recordEvent calls it with the database handle it writes the event through, so a
// notice is queued in the same transaction as the change wherever the change and its audit entry
// share one (support actions do); elsewhere right after the change, as the event is.
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { AuditEntry } from '../auth/audit.js';
import { enqueueMail } from './outbox.js';
import type { MailMessage, NoticeKind } from './messages.js';

type Notice = Omit<Extract<MailMessage, { kind: 'security_notice' }>, 'kind' | 'at' | 'clientIp' | 'userAgent' | 'actorName' | 'byCommandLine'> & { byActor?: boolean };

/** The notice an audit event gives its subject, if any. */
export function noticeFor(entry: AuditEntry): Notice | null {
  const details = entry.details ?? {};
  const notice = (kind: NoticeKind, more: Partial<Notice> = {}): Notice => ({ notice: kind, ...more });
  switch (entry.event) {
    case 'password.changed': return notice('password_changed');
    case 'password.reset': return notice('password_reset');
    case 'mfa.enrolled': return notice('authenticator_paired');
    case 'mfa.replaced': return notice('authenticator_changed');
    case 'admin.mfa_reset': return notice('second_factor_reset', { byActor: true });
    case 'security_key.added': return notice('security_key_added');
    case 'security_key.removed': return notice('security_key_removed');
    case 'recovery_code.used': return notice('recovery_code_used', { remaining: Number(details.remaining ?? 0) });
    case 'recovery_codes.generated': return details.reason === 'enrollment' ? null : notice('recovery_codes_regenerated');
    case 'account.locked': return details.factor === 'code' ? notice('account_locked') : null;
    case 'admin.account_disabled': return notice('account_disabled', { byActor: true });
    case 'admin.account_enabled': return notice('account_enabled', { byActor: true });
    case 'admin.role_changed': return notice('role_changed', { byActor: true, role: String(details.to) });
    default: return null;
  }
}

export type NotifyCtx = Pick<AppContext, 'clock'> & { config?: Pick<AppContext['config'], 'smtpUrl'> };

/** Queues the notice of this event for its subject; nothing without a mail server (HMS_SMTP_URL). */
export async function notifyAccountHolder(ctx: NotifyCtx, db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  const notice = noticeFor(entry);
  if (!notice || !entry.subjectUserId) return;
  await sendNotice(ctx, db, entry.subjectUserId, notice, entry);
}

/** Queues a notice outside the audit mapping (a sign-in from a browser new to the account). */
export async function sendNotice(ctx: NotifyCtx, db: Kysely<Database>, userId: string, notice: Notice,
  origin: Pick<AuditEntry, 'actorUserId' | 'clientIp' | 'userAgent'>): Promise<void> {
  if (!ctx.config?.smtpUrl) return;
  const subject = await db.selectFrom('users').select(['email', 'name']).where('id', '=', userId).executeTakeFirst();
  if (!subject) return;
  const { byActor, ...fields } = notice;
  let actorName: string | null = null;
  if (byActor) {
    const actor = origin.actorUserId ? await db.selectFrom('users').select('name').where('id', '=', origin.actorUserId).executeTakeFirst() : undefined;
    actorName = actor?.name ?? null;
  }
  // No actor account: support at the command line, named in the recipient's language when the mail is written.
  const byCommandLine = byActor === true && actorName === null;
  await enqueueMail(ctx, db, { email: subject.email, name: subject.name, userId }, {
    kind: 'security_notice', ...fields, at: ctx.clock.now(), clientIp: origin.clientIp ?? null, userAgent: origin.userAgent ?? null, actorName,
    ...(byCommandLine ? { byCommandLine } : {}),
  });
}
