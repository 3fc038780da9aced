// A recording: its page with charts and summary for a time window (in the URL), the chart data
// the page's script asks for when the window changes, and its CSV export.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import { chartDataFor, MAX_BUCKETS } from '../../health/chart-data.js';
import { exportCsvFor } from '../../health/csv-export.js';
import { findRecordFor } from '../../health/records.js';
import { takeFlash } from '../../auth/sessions.js';
import { audit, auditView } from '../audit.js';
import { timeFormat } from '../format.js';
import { requestTranslator } from '../language.js';
import { notInYourCare } from '../health-audit.js';
import { windowQuery } from '../instant.js';
import { sendPage } from '../render.js';
import { field } from '../validation.js';
import { SummaryPanel } from './summary-panel.js';
import { registerRecordTriage } from '../triage/record-actions.js';
import { loadRecordTriage, type TagFormState } from './triage-panels.js';
import { localizedBands } from './text.js';
import { RecordPage } from './views.js';

/** Buckets of the charts drawn on the server (what a browser without JavaScript shows). */
const SVG_BUCKETS = 600;

const params = z.object({ id: field('field.recordId', 64) });
const pageQuery = windowQuery({
  done: z.enum(['reviewed', 'nothing-to-review']).optional().catch(undefined),
  n: z.coerce.number().int().min(0).optional().catch(undefined),
});
const chartQuery = windowQuery({ buckets: z.coerce.number().int().min(1).max(MAX_BUCKETS).default(1000) });
const exportQuery = windowQuery({});

export const recordRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof pageQuery> }>('/records/:id',
    { schema: { params, querystring: pageQuery } }, async (request, reply) => sendRecordPage(request, reply, request.params.id, 200, {}));

  /** The record page (its tag form may carry an error), or the 404 of a record outside the viewer's care. */
  async function sendRecordPage(request: FastifyRequest, reply: FastifyReply, recordId: string, status: number, tagForm: TagFormState) {
    const { session, user } = request.current!;
    const query = request.query as Partial<z.infer<typeof pageQuery>>;
    const [details, chart] = await Promise.all([
      findRecordFor(ctx, user, recordId),
      chartDataFor(ctx, user, recordId, { from: query.from, to: query.to, buckets: SVG_BUCKETS }),
    ]);
    if (!details || !chart) return notInYourCare(request, reply, 'record', recordId);
    const t = requestTranslator(request);
    const times = timeFormat(ctx.config.timeZone, t.locale);
    await auditView(request, { recordId: details.record.id });
    const [triage, notice] = await Promise.all([loadRecordTriage(ctx, details.record), takeFlash(ctx, session, `/records/${recordId}`)]);
    return sendPage(reply, status, (
      <RecordPage details={details} chart={{ ...chart, bands: localizedBands(chart.bands, t, times) }} times={times} now={ctx.clock.now()} notice={notice}
        triage={triage} tagForm={tagForm} reviewed={reviewedNotice(request, query)} />
    ));
  }

  registerRecordTriage(app, sendRecordPage);

  // Every channel of a window in one answer, with the window's summary drawn by the same view as the page's.
  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof chartQuery> }>('/records/:id/chart.json',
    { schema: { params, querystring: chartQuery } }, async (request, reply) => {
      const data = await chartDataFor(ctx, request.current!.user, request.params.id, request.query);
      if (!data) return notInYourCare(request, reply, 'record', request.params.id);
      await auditView(request, { recordId: data.recordId });
      const t = requestTranslator(request);
      const times = timeFormat(ctx.config.timeZone, t.locale);
      return reply.type('application/json').send({ ...data, bands: localizedBands(data.bands, t, times), summaryHtml: renderToString(<SummaryPanel data={data} times={times} t={t} />) });
    });

  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof exportQuery> }>('/records/:id/export.csv',
    { schema: { params, querystring: exportQuery } }, async (request, reply) => {
      const { user } = request.current!;
      const csv = await exportCsvFor(ctx, user, request.params.id, request.query);
      if (!csv) return notInYourCare(request, reply, 'record', request.params.id);
      await audit(request, 'health.record_exported', { actorUserId: user.id, recordId: request.params.id, details: { record_id: request.params.id, ...request.query } });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${csv.fileName}"`).send(csv.stream);
    });
};

function reviewedNotice(request: FastifyRequest, query: Partial<z.infer<typeof pageQuery>>): string | null {
  if (query.done === 'nothing-to-review') return request.t('records.reviewed.nothing');
  if (query.done === 'reviewed') return request.t('records.reviewed.count', { count: query.n ?? 0 });
  return null;
}
