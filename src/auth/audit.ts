// The only writer of audit_events: who did what to which account or patient, from where.
// Details are small objects of plain values; no secret, code, password or token is ever passed
// here. Each event is also written to the application log (when there is one), with its ids only.
import type { AppContext } from '../context.js';
import type { AuditEventRow } from '../db/schema.js';
import { notifyAccountHolder, type NotifyCtx } from '../mail/notifications.js';

/** With the configuration, events that concern an account's holder also queue a mail to them (mail/notifications.ts). */
type Ctx = Pick<AppContext, 'db' | 'clock' | 'log'> & NotifyCtx;

export const AUDIT_EVENTS = [
  'sign_in.succeeded',
  'sign_in.password_failed',
  'sign_in.code_failed',
  'sign_in.code_replayed',
  'sign_in.too_many_codes',
  'sign_in.throttled',
  'account.locked',
  'account.unlocked',
  'account.created',
  'mfa.enrolled',
  'device.remembered',
  'device.used',
  'session.signed_out',
  'session.expired',
  'session.stepped_up',
  'health.access_refused',
  'health.record_imported',
  'health.record_exported',
  'health.patient_viewed',
  'health.record_viewed',
  'health.record_deleted',
  'health.patient_deleted',
  'health.record_reported',
  'patient.created',
  'patient.updated',
  'care_team.added',
  'care_team.removed',
  'admin.account_invited',
  'admin.invitation_resent',
  'admin.invitation_revoked',
  'admin.mfa_reset',
  'admin.sessions_ended',
  'admin.account_disabled',
  'admin.account_enabled',
  'admin.role_changed',
  'account.invitation_accepted',
  // Account security self-service (issue #4)
  'recovery_codes.generated',
  'recovery_codes.saved',
  'recovery_code.used',
  'sign_in.recovery_code_failed',
  'password.changed',
  'password.change_failed',
  'mfa.replaced',
  'device.revoked',
  'session.ended_by_user',
  'security_key.added',
  'security_key.renamed',
  'security_key.removed',
  'sign_in.security_key_failed',
  // Operations (issue #11)
  'keys.rekey_started',
  'keys.rekey_completed',
  'admin.all_sessions_ended',
  // Security review, round two (issue #12)
  'admin.pairing_link_issued',
  'mfa.pairing_link_used',
  'sign_in.pairing_link_needed',
  // Clinical triage (issue #13)
  'health.flags_reviewed',
  'health.note_added',
  'health.tag_added',
  'health.rules_changed',
  'patient.archived',
  'patient.unarchived',
  // Mail (issue #15)
  'password.reset_requested',
  'password.reset_link_sent',
  'password.reset',
  'password.reset_failed',
  'admin.mail_resent',
  // A second factor proven through a reset link (which one, and the key's id for a security key)
  'password.reset_factor_verified',
] as const;

export type AuditEventName = (typeof AUDIT_EVENTS)[number];
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  event: AuditEventName;
  actorUserId?: string | null;
  subjectUserId?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
  /** The patient the event concerns: also set for events about one of her recordings. */
  patientId?: string | null;
  recordId?: string | null;
  details?: AuditDetails;
}

export interface AuditEvent extends Omit<AuditEventRow, 'details'> {
  details: AuditDetails;
}

export async function recordEvent(ctx: Ctx, entry: AuditEntry): Promise<void> {
  // Ids named only in the details (patient_id, record_id) are filed in their columns too, so the
  // console's patient and recording filters find every event about them.
  const { patient_id: detailPatient, record_id: detailRecord } = entry.details ?? {};
  if (entry.patientId === undefined && typeof detailPatient === 'string') entry = { ...entry, patientId: detailPatient };
  if (entry.recordId === undefined && typeof detailRecord === 'string') entry = { ...entry, recordId: detailRecord };
  // An event about a recording is also one about its patient: the patient's filter finds it.
  if (entry.recordId && entry.patientId === undefined) {
    const record = await ctx.db.selectFrom('records').select('patient_id').where('id', '=', entry.recordId).executeTakeFirst();
    entry = { ...entry, patientId: record?.patient_id ?? null };
  }
  await ctx.db.insertInto('audit_events').values({
    at: ctx.clock.now(),
    event: entry.event,
    actor_user_id: entry.actorUserId ?? null,
    subject_user_id: entry.subjectUserId ?? null,
    client_ip: entry.clientIp ?? null,
    user_agent: entry.userAgent ?? null,
    patient_id: entry.patientId ?? null,
    record_id: entry.recordId ?? null,
    details: JSON.stringify(entry.details ?? {}),
  }).execute();
  await notifyAccountHolder(ctx, ctx.db, entry);
  logAuditEvent(ctx, entry);
}

/** The log line of an audit event, for code that writes its row itself (the code step on PostgreSQL). */
export function logAuditEvent(ctx: Pick<Ctx, 'log'>, entry: AuditEntry): void {
  // Ids only: details may hold a reason typed by an administrator, which stays in the database.
  ctx.log?.info({
    audit: { event: entry.event, actor: entry.actorUserId ?? null, subject: entry.subjectUserId ?? null,
      patient: entry.patientId ?? undefined, record: entry.recordId ?? undefined },
  }, 'audit event');
}

/** Views of one patient or recording by one user within this long make one audit row. */
export const VIEW_COALESCING = 10 * 60 * 1000;

/**
 * Records that a user opened a patient or a recording, unless the same user's same view is
 * already recorded within the last 10 minutes: zooming a chart is one look, not a row per request.
 */
export async function recordView(ctx: Ctx, view: Omit<AuditEntry, 'event'> & { actorUserId: string } & ({ recordId: string } | { patientId: string })): Promise<boolean> {
  const event = 'recordId' in view && view.recordId ? 'health.record_viewed' : 'health.patient_viewed';
  const recent = await ctx.db.selectFrom('audit_events').select('id')
    .where('event', '=', event).where('actor_user_id', '=', view.actorUserId).where('at', '>', ctx.clock.now() - VIEW_COALESCING)
    .$if(event === 'health.record_viewed', (qb) => qb.where('record_id', '=', view.recordId!))
    .$if(event === 'health.patient_viewed', (qb) => qb.where('patient_id', '=', view.patientId!))
    .limit(1).executeTakeFirst();
  if (recent) return false;
  await recordEvent(ctx, { ...view, event });
  return true;
}

export interface AuditQuery {
  /** Events where this account is the actor or the subject. */
  userId?: string;
  /** Events about this patient, her recordings included. */
  patientId?: string;
  recordId?: string;
  event?: AuditEventName;
  since?: number;
  /** Exclusive. */
  until?: number;
  limit?: number;
  offset?: number;
}

/** Newest first. */
export async function listEvents(ctx: Pick<AppContext, 'db'>, query: AuditQuery = {}): Promise<AuditEvent[]> {
  const rows = await filtered(ctx, query).selectAll().orderBy('at', 'desc').orderBy('id', 'desc')
    .limit(query.limit ?? 100).offset(query.offset ?? 0).execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as AuditDetails }));
}

export async function countEvents(ctx: Pick<AppContext, 'db'>, query: AuditQuery = {}): Promise<number> {
  const row = await filtered(ctx, query).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

function filtered(ctx: Pick<AppContext, 'db'>, query: AuditQuery) {
  const { userId, patientId, recordId, event, since, until } = query;
  return ctx.db.selectFrom('audit_events')
    .$if(userId !== undefined, (qb) => qb.where((eb) => eb.or([eb('subject_user_id', '=', userId!), eb('actor_user_id', '=', userId!)])))
    .$if(patientId !== undefined, (qb) => qb.where('patient_id', '=', patientId!))
    .$if(recordId !== undefined, (qb) => qb.where('record_id', '=', recordId!))
    .$if(event !== undefined, (qb) => qb.where('event', '=', event!))
    .$if(since !== undefined, (qb) => qb.where('at', '>=', since!))
    .$if(until !== undefined, (qb) => qb.where('at', '<', until!));
}

/** Events older than the retention: deleted in batches, so that a first sweep of years stays short statements. Returns how many. */
export async function deleteEventsBefore(ctx: Pick<AppContext, 'db'>, before: number, batch = 5000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await ctx.db.deleteFrom('audit_events')
      .where('id', 'in', (eb) => eb.selectFrom('audit_events').select('id').where('at', '<', before).orderBy('at').limit(batch))
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
    if (Number(result.numDeletedRows) < batch) return deleted;
  }
}
