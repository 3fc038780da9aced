// The audit log in the console: filters by account, event and dates (in the clinic's time zone),
// pages newest first, and the same selection as CSV.
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { findAccountByEmail } from '../../auth/accounts.js';
import { AUDIT_EVENTS, countEvents, listEvents, type AuditEvent, type AuditQuery } from '../../auth/audit.js';
import type { AppContext } from '../../context.js';
import { DAY } from '../../clock.js';
import type { Message } from '../../i18n/translate.js';
import { startOfDayIn } from '../format.js';
import { sendPage } from '../render.js';
import { orDefault } from '../validation.js';
import { AuditPage } from './views.js';
import { peopleOf } from './audit-people.js';

const EVENTS_PER_PAGE = 50;
const CSV_BATCH = 1000;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((value) => !Number.isNaN(Date.parse(value)));

const filters = z.object({
  user: orDefault(z.string().max(254), ''),
  patient: orDefault(z.string().trim().max(64), ''),
  record: orDefault(z.string().trim().max(64), ''),
  event: orDefault(z.enum(AUDIT_EVENTS).or(z.literal('')), ''),
  from: orDefault(isoDate.or(z.literal('')), ''),
  to: orDefault(isoDate.or(z.literal('')), ''),
  page: orDefault(z.coerce.number().int().min(1).max(1_000_000), 1),
});
type Filters = z.infer<typeof filters>;

export const auditLogRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const zone = ctx.config.timeZone;

  /** The filters as a query, or why they select nothing (a message). */
  async function toQuery(f: Filters): Promise<AuditQuery | Message> {
    const query: AuditQuery = {};
    if (f.user) {
      const account = await findAccountByEmail(ctx, f.user);
      if (!account) return { key: 'admin.audit.noAccount', values: { email: f.user } };
      query.userId = account.id;
    }
    if (f.patient) query.patientId = f.patient;
    if (f.record) query.recordId = f.record;
    if (f.event) query.event = f.event;
    if (f.from) query.since = startOfDayIn(zone, f.from);
    if (f.to) query.until = startOfDayIn(zone, f.to) + DAY;
    return query;
  }

  app.get<{ Querystring: Filters }>('/admin/audit', { schema: { querystring: filters } }, async (request, reply) => {
    const { page, ...shown } = request.query;
    const query = await toQuery(request.query);
    const common = { filters: shown, eventNames: AUDIT_EVENTS, page, patientName: await patientName(ctx, request.query.patient) };
    if (isMessage(query)) {
      return sendPage(reply, 200, <AuditPage {...common} events={[]} people={new Map()} total={0} pageCount={1} error={request.t(query.key, query.values)} />);
    }
    const [events, total] = await Promise.all([
      listEvents(ctx, { ...query, limit: EVENTS_PER_PAGE, offset: (page - 1) * EVENTS_PER_PAGE }),
      countEvents(ctx, query),
    ]);
    return sendPage(reply, 200, (
      <AuditPage {...common} events={events} people={await peopleOf(ctx, events)} total={total} pageCount={Math.max(1, Math.ceil(total / EVENTS_PER_PAGE))} />
    ));
  });

  app.get<{ Querystring: Filters }>('/admin/audit.csv', { schema: { querystring: filters } }, async (request, reply) => {
    const query = await toQuery(request.query);
    async function* rows(): AsyncGenerator<string> {
      yield 'time,event,actor,subject,patient_id,record_id,client_ip,user_agent,details\n';
      if (isMessage(query)) return;
      for (let offset = 0; ; offset += CSV_BATCH) {
        const events = await listEvents(ctx, { ...query, limit: CSV_BATCH, offset });
        const emails = await emailsOf(ctx, events);
        const who = (id: string | null) => (id ? emails.get(id) ?? id : '');
        for (const e of events) {
          yield `${[new Date(e.at).toISOString(), e.event, who(e.actor_user_id), who(e.subject_user_id), e.patient_id ?? '', e.record_id ?? '',
            e.client_ip ?? '', e.user_agent ?? '',
            JSON.stringify(e.details)].map(csvCell).join(',')}\n`;
        }
        if (events.length < CSV_BATCH) return;
      }
    }
    const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="hms-audit-${stamp}.csv"`)
      .send(Readable.from(rows()));
  });
};

const isMessage = (query: AuditQuery | Message): query is Message => 'key' in query;

/** The patient a filter names, for the page's heading; null once deleted (the events keep the id). */
async function patientName(ctx: Pick<AppContext, 'db'>, patientId: string): Promise<string | null> {
  if (!patientId) return null;
  return (await ctx.db.selectFrom('patients').select('name').where('id', '=', patientId).executeTakeFirst())?.name ?? null;
}

async function emailsOf(ctx: Pick<AppContext, 'db'>, events: AuditEvent[]): Promise<Map<string, string>> {
  const ids = [...new Set(events.flatMap((e) => [e.actor_user_id, e.subject_user_id]).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const users = await ctx.db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
  return new Map(users.map((u) => [u.id, u.email]));
}

/**
 * A CSV field, quoted when needed. A leading =, +, - or @ is defused with an apostrophe: user agents
 * are attacker-chosen, and a spreadsheet would run them as formulas (CSV injection).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
