// Actions on a recording: tag a time range, review the recording's flags, and download its
// tagged events as CSV. The care team only (404 and an audit row otherwise); audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clinicInstant } from '../../health/clinic-days.js';
import { REVIEW_COMMENT_MAX_LENGTH, reviewFlagsFor } from '../../health/flags.js';
import { findVisibleRecord } from '../../health/records.js';
import { addTagFor, describeTagProblem, eventsCsv, isoWithOffset, TAG_KINDS, TAG_TEXT_MAX_LENGTH, TagError, tagsOfRecord } from '../../health/tags.js';
import type { TagKind } from '../../db/schema.js';
import { audit } from '../audit.js';
import { notInYourCare } from '../health-audit.js';
import { redirect } from '../render.js';
import { csrfField, field, optionalField } from '../validation.js';
import type { TagFormState } from '../records/triage-panels.js';
import { afterReview, auditReview } from './patient-actions.js';

type RecordPageSender = (request: FastifyRequest, reply: FastifyReply, recordId: string, status: number, tagForm: TagFormState) => Promise<FastifyReply>;

const params = z.object({ id: field('field.recordId', 64) });
const tagForm = z.object({
  kind: field('field.whatTheRangeWas', 20),
  from: field('field.startOfTheRange', 40),
  to: field('field.endOfTheRange', 40),
  text: optionalField('field.description', TAG_TEXT_MAX_LENGTH * 2),
  _csrf: csrfField,
});
const reviewForm = z.object({ comment: optionalField('field.comment', REVIEW_COMMENT_MAX_LENGTH), _csrf: csrfField });

/** A datetime-local value ("2026-11-20T14:05" or with seconds) as an instant in the clinic's zone; null if unreadable. */
export function parseClinicTime(zone: string, value: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/.exec(value.trim());
  if (!match) return null;
  const [, day, hour, minute, second] = match as unknown as [string, string, string, string, string | undefined];
  if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
  return clinicInstant(zone, day, Number(hour), Number(minute)) + Number(second ?? 0) * 1000;
}

export function registerRecordTriage(app: FastifyInstance, sendRecordPage: RecordPageSender): void {
  const { ctx } = app;
  const zone = ctx.config.timeZone;

  app.post<{ Params: z.infer<typeof params>; Body: z.infer<typeof tagForm> }>('/records/:id/tags',
    { schema: { params, body: tagForm } }, async (request, reply) => {
      const { user } = request.current!;
      const { kind, from, to, text } = request.body;
      const values = { kind, from, to, text };
      const start = parseClinicTime(zone, from);
      const end = parseClinicTime(zone, to);
      const refuse = (error: string) => sendRecordPage(request, reply, request.params.id, 400, { error, values });
      if (start === null || end === null) return refuse(request.t('patients.tags.times', { zone }));
      if (!TAG_KINDS.some((t) => t.kind === kind)) return refuse(describeTagProblem({ key: 'patients.tags.kind' }, request.t.bind(request)));
      try {
        const tag = await addTagFor(ctx, user, request.params.id, { kind: kind as TagKind, from: start, to: end, text: text ?? '' });
        if (!tag) return notInYourCare(request, reply, 'record', request.params.id);
        await audit(request, 'health.tag_added', { actorUserId: user.id, details: { patient_id: tag.patient_id, record_id: tag.record_id, tag_id: tag.id, kind: tag.kind } });
        return redirect(reply, `/records/${tag.record_id}#tags`);
      } catch (error) {
        if (!(error instanceof TagError)) throw error;
        return refuse(error.text(request));
      }
    });

  app.post<{ Params: z.infer<typeof params>; Body: z.infer<typeof reviewForm> }>('/records/:id/flags/review',
    { schema: { params, body: reviewForm } }, async (request, reply) => {
      const { user } = request.current!;
      if (!(await findVisibleRecord(ctx.db, user, request.params.id))) return notInYourCare(request, reply, 'record', request.params.id);
      const outcome = (await reviewFlagsFor(ctx, user, { scope: 'record', recordId: request.params.id }, request.body.comment ?? null))!;
      await auditReview(request, outcome, 'record', request.params.id);
      return redirect(reply, afterReview(`/records/${request.params.id}`, outcome));
    });

  app.get<{ Params: z.infer<typeof params> }>('/records/:id/events.csv', { schema: { params } }, async (request, reply) => {
    const { user } = request.current!;
    const visible = await findVisibleRecord(ctx.db, user, request.params.id);
    if (!visible) return notInYourCare(request, reply, 'record', request.params.id);
    const tags = await tagsOfRecord(ctx, visible.record.id);
    await audit(request, 'health.record_exported', { actorUserId: user.id, details: { record_id: visible.record.id, what: 'events' } });
    const iso = isoWithOffset(zone);
    const who = (visible.patient.external_id ?? visible.patient.name).replace(/[^\w.-]+/g, '_');
    const started = iso(visible.record.started_at).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${who}-${started}-events.csv"`)
      .send(eventsCsv(tags, iso));
  });
}
