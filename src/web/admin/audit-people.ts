// The people audit events name (actor, subject), by id: the console shows their names, linked to
// their account pages, instead of id fragments.
import type { AuditEvent } from '../../auth/audit.js';
import type { AppContext } from '../../context.js';
import type { Translator } from '../../i18n/translate.js';

export type People = Map<string, { name: string; email: string }>;

export async function peopleOf(ctx: Pick<AppContext, 'db'>, events: AuditEvent[]): Promise<People> {
  const ids = [...new Set(events.flatMap((e) => [e.actor_user_id, e.subject_user_id]).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const users = await ctx.db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
  return new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
}

/** The detail names the catalogs translate; any other is shown as recorded (underscores as spaces). */
const DETAIL_NAMES = [
  'via', 'reason', 'role', 'from', 'to', 'step', 'key_id', 'second_factor', 'failures', 'devices_revoked', 'remaining', 'name',
  'factor', 'device_id', 'status', 'stage', 'sessions_ended', 'sessions', 'rows', 'outcome', 'limit', 'by', 'what', 'url', 'until',
  'tag_id', 'started_at', 'secrets', 'review_id', 'pages', 'note_id', 'max', 'known_browsers_forgotten', 'kind', 'id', 'flags',
  'fields', 'count', 'corrects', 'all_others', 'all', 'mailed', 'security_keys_removed', 'recovery_codes_removed', 'scope', 'rule',
  'old_threshold', 'new_threshold', 'old_duration_seconds', 'new_duration_seconds', 'remember', 'error', 'field', 'message_id', 'links_given_up', 'code_displays_dropped',
] as const;
type DetailName = (typeof DETAIL_NAMES)[number];
const isDetailName = (name: string): name is DetailName => (DETAIL_NAMES as readonly string[]).includes(name);

/** "reason: lost phone; sessions ended: 2": an event's details as a person reads them, in the page's language. */
export function describeDetails(t: Translator, details: AuditEvent['details']): string {
  return Object.entries(details)
    .filter(([key]) => key !== 'patient_id' && key !== 'record_id') // shown, linked, in their own column
    .map(([key, value]) => t('admin.audit.detail', {
      name: isDetailName(key) ? t(`admin.detail.${key}`) : key.replace(/_/g, ' '),
      value: value === null ? '—' : typeof value === 'boolean' ? t(value ? 'admin.audit.true' : 'admin.audit.false') : String(value),
    }))
    .join('; ');
}
