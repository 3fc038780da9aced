// The audit log as a plain-text table for the terminal (`hms audit`).
import type { AuditEvent } from './auth/audit.js';
import type { AppContext } from './context.js';

export async function formatAuditTable(ctx: Pick<AppContext, 'db'>, events: AuditEvent[]): Promise<string> {
  if (events.length === 0) return 'No events.';
  const ids = [...new Set(events.flatMap((e) => [e.actor_user_id, e.subject_user_id]).filter((id): id is string => Boolean(id)))];
  const emails = new Map((ids.length ? await ctx.db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute() : [])
    .map((u) => [u.id, u.email]));
  const who = (id: string | null) => (id ? emails.get(id) ?? `(deleted ${id.slice(0, 8)})` : '-');
  const rows = events.map((e) => [
    new Date(e.at).toISOString(), e.event, who(e.actor_user_id), who(e.subject_user_id), e.patient_id ?? '-', e.record_id ?? '-', e.client_ip ?? '-',
    Object.keys(e.details).length ? JSON.stringify(e.details) : '', e.user_agent ?? '',
  ]);
  const header = ['time', 'event', 'actor', 'subject', 'patient', 'recording', 'address', 'details', 'user agent'];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
