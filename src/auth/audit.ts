// The only writer of audit_events: who did what to which account, from where. Details are small
// objects of plain values; no secret, code, password or token is ever passed here.
import type { AppContext } from '../context.js';
import type { AuditEventRow } from '../db/schema.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

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
  'patient.created',
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
  // Clinical triage (issue #13)
  'health.flags_reviewed',
  'health.note_added',
  'health.tag_added',
  'health.rules_changed',
  'patient.archived',
  'patient.unarchived',
] as const;

export type AuditEventName = (typeof AUDIT_EVENTS)[number];
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  event: AuditEventName;
  actorUserId?: string | null;
  subjectUserId?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
  details?: AuditDetails;
}

export interface AuditEvent extends Omit<AuditEventRow, 'details'> {
  details: AuditDetails;
}

export async function recordEvent(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await ctx.db.insertInto('audit_events').values({
    at: ctx.clock.now(),
    event: entry.event,
    actor_user_id: entry.actorUserId ?? null,
    subject_user_id: entry.subjectUserId ?? null,
    client_ip: entry.clientIp ?? null,
    user_agent: entry.userAgent ?? null,
    details: JSON.stringify(entry.details ?? {}),
  }).execute();
}

export interface AuditQuery {
  /** Events where this account is the actor or the subject. */
  userId?: string;
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
  const { userId, event, since, until } = query;
  return ctx.db.selectFrom('audit_events')
    .$if(userId !== undefined, (qb) => qb.where((eb) => eb.or([eb('subject_user_id', '=', userId!), eb('actor_user_id', '=', userId!)])))
    .$if(event !== undefined, (qb) => qb.where('event', '=', event!))
    .$if(since !== undefined, (qb) => qb.where('at', '>=', since!))
    .$if(until !== undefined, (qb) => qb.where('at', '<', until!));
}
