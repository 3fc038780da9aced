// A recording: its page with charts and summary, the chart data the page's script asks for when
// zooming, and its CSV export.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { chartDataFor, MAX_BUCKETS } from '../../health/chart-data.js';
import { exportCsvFor } from '../../health/csv-export.js';
import { findRecordFor } from '../../health/records.js';
import { takeFlash } from '../../auth/sessions.js';
import { audit } from '../audit.js';
import { timeFormat } from '../format.js';
import { notInYourCare } from '../health-audit.js';
import { sendPage } from '../render.js';
import { field } from '../validation.js';
import { RecordPage } from './views.js';

/** Buckets of the charts drawn on the server (the page's overview, without JavaScript). */
const OVERVIEW_BUCKETS = 600;

const params = z.object({ id: field('The record id', 64) });
const epochMs = z.coerce.number().int().min(0).max(8.64e15);
const chartQuery = z.object({
  from: epochMs.optional(),
  to: epochMs.optional(),
  buckets: z.coerce.number().int().min(1).max(MAX_BUCKETS).default(1000),
});
const exportQuery = z.object({ from: epochMs.optional(), to: epochMs.optional() });

export const recordRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const times = timeFormat(ctx.config.timeZone);

  app.get<{ Params: z.infer<typeof params> }>('/records/:id', { schema: { params } }, async (request, reply) => {
    const { session, user } = request.current!;
    const [details, overview] = await Promise.all([
      findRecordFor(ctx, user, request.params.id),
      chartDataFor(ctx, user, request.params.id, { buckets: OVERVIEW_BUCKETS }),
    ]);
    if (!details || !overview) return notInYourCare(request, reply, 'record', request.params.id);
    const notice = await takeFlash(ctx, session, `/records/${request.params.id}`);
    return sendPage(reply, 200, <RecordPage details={details} overview={overview} times={times} notice={notice} />);
  });

  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof chartQuery> }>('/records/:id/chart.json',
    { schema: { params, querystring: chartQuery } }, async (request, reply) => {
      const data = await chartDataFor(ctx, request.current!.user, request.params.id, request.query);
      if (!data) return notInYourCare(request, reply, 'record', request.params.id);
      return reply.type('application/json').send(data);
    });

  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof exportQuery> }>('/records/:id/export.csv',
    { schema: { params, querystring: exportQuery } }, async (request, reply) => {
      const { user } = request.current!;
      const csv = await exportCsvFor(ctx, user, request.params.id, request.query);
      if (!csv) return notInYourCare(request, reply, 'record', request.params.id);
      await audit(request, 'health.record_exported', { actorUserId: user.id, details: { record_id: request.params.id, ...request.query } });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${csv.fileName}"`).send(csv.stream);
    });
};
