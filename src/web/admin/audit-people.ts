// The people audit events name (actor, subject), by id: the console shows their names, linked to
// their account pages, instead of id fragments.
import type { AuditEvent } from '../../auth/audit.js';
import type { AppContext } from '../../context.js';

export type People = Map<string, { name: string; email: string }>;

export async function peopleOf(ctx: Pick<AppContext, 'db'>, events: AuditEvent[]): Promise<People> {
  const ids = [...new Set(events.flatMap((e) => [e.actor_user_id, e.subject_user_id]).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const users = await ctx.db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
  return new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
}

/** "reason: lost phone; sessions ended: 2": an event's details as a person reads them. */
export function describeDetails(details: AuditEvent['details']): string {
  return Object.entries(details)
    .filter(([key]) => key !== 'patient_id' && key !== 'record_id') // shown, linked, in their own column
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${value === null ? '—' : String(value)}`)
    .join('; ');
}
