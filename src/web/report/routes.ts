// Clinical reports as PDF: of a recording (or a window of it), and of a patient over a period
// of clinic days. Same care-team rule as every health read (404 otherwise); each one is audited.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addDays } from '../../health/clinic-days.js';
import { fileStampInZone } from '../../health/clinic-time.js';
import { patientReportFor, recordReportFor, REPORT_MAX_DAYS, type ReportData } from '../../health/report-data.js';
import { audit } from '../audit.js';
import { timeFormat } from '../format.js';
import { requestTranslator } from '../language.js';
import { notInYourCare } from '../health-audit.js';
import { windowQuery } from '../instant.js';
import { field, schemaMessage } from '../validation.js';
import { renderReport } from './pdf-report.js';

const params = z.object({ id: field('field.id', 64) });
const recordQuery = windowQuery({});
const isoDate = (name: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, schemaMessage('records.report.notDate', { name }))
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), schemaMessage('records.report.notCalendarDate', { name }));
const periodQuery = z.object({ from: isoDate('from'), to: isoDate('to') })
  .refine((q) => q.to >= q.from, schemaMessage('records.report.toBeforeFrom'))
  .refine((q) => addDays(q.from, REPORT_MAX_DAYS - 1) >= q.to, schemaMessage('records.report.tooLong', { days: REPORT_MAX_DAYS }));

export const reportRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  async function send(request: FastifyRequest, reply: FastifyReply, report: ReportData, recordId: string | null) {
    const { user } = request.current!;
    const t = requestTranslator(request);
    const times = timeFormat(ctx.config.timeZone, t.locale);
    const pdf = await renderReport({ report, t, times, generatedBy: user.name, generatedAt: ctx.clock.now(), now: ctx.clock.now() }, ctx.config.paperSize);
    // Filed under the patient and the recording, so the audit log's patient and record filters find it.
    await audit(request, 'health.record_reported', {
      actorUserId: user.id, patientId: report.patient.id, recordId,
      details: { from: report.from, to: report.to, pages: report.pages.length },
    });
    const who = (report.patient.external_id ?? report.patient.name).replace(/[^\w.-]+/g, '_');
    const fileName = `${who}-report-${fileStampInZone(ctx.config.timeZone, report.from)}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName}"`).send(pdf);
  }

  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof recordQuery> }>('/records/:id/report.pdf',
    { schema: { params, querystring: recordQuery } }, async (request, reply) => {
      const report = await recordReportFor(ctx, request.current!.user, request.params.id, request.query);
      if (!report) return notInYourCare(request, reply, 'record', request.params.id);
      return send(request, reply, report, request.params.id);
    });

  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof periodQuery> }>('/patients/:id/report.pdf',
    { schema: { params, querystring: periodQuery } }, async (request, reply) => {
      const report = await patientReportFor(ctx, request.current!.user, request.params.id, request.query.from, request.query.to);
      if (!report) return notInYourCare(request, reply, 'patient', request.params.id);
      return send(request, reply, report, null);
    });
};
