// A recording: its page with charts and summary, the chart data the page's script asks for when
// zooming, and its CSV export.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { chartDataFor, MAX_BUCKETS } from '../../health/chart-data.js';
import { exportCsvFor } from '../../health/csv-export.js';
import { findRecordFor } from '../../health/records.js';
import { audit } from '../audit.js';
import { timeFormat } from '../format.js';
import { notInYourCare } from '../health-audit.js';
import { sendPage } from '../render.js';
import { field } from '../validation.js';
import { registerRecordTriage } from '../triage/record-actions.js';
import { loadRecordTriage, type TagFormState } from './triage-panels.js';
import { RecordPage } from './views.js';

/** Buckets of the charts drawn on the server (the page's overview, without JavaScript). */
const OVERVIEW_BUCKETS = 600;

const params = z.object({ id: field('The record id', 64) });
const epochMs = z.coerce.number().int().min(0).max(8.64e15);
const pageQuery = z.object({
  done: z.enum(['reviewed', 'nothing-to-review']).optional().catch(undefined),
  n: z.coerce.number().int().min(0).optional().catch(undefined),
  imported: z.enum(['created', 'duplicate']).optional().catch(undefined),
  rows: z.coerce.number().int().min(0).optional().catch(undefined),
  ignored: z.string().max(300).optional().catch(undefined),
});
const chartQuery = z.object({
  from: epochMs.optional(),
  to: epochMs.optional(),
  buckets: z.coerce.number().int().min(1).max(MAX_BUCKETS).default(1000),
});
const exportQuery = z.object({ from: epochMs.optional(), to: epochMs.optional() });

export const recordRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const times = timeFormat(ctx.config.timeZone);

  app.get<{ Params: z.infer<typeof params>; Querystring: z.infer<typeof pageQuery> }>('/records/:id',
    { schema: { params, querystring: pageQuery } }, async (request, reply) => sendRecordPage(request, reply, request.params.id, 200, {}));

  /** The record page (its tag form may carry an error), or the 404 of a record outside the viewer's care. */
  async function sendRecordPage(request: FastifyRequest, reply: FastifyReply, recordId: string, status: number, tagForm: TagFormState) {
    const { user } = request.current!;
    const [details, overview] = await Promise.all([
      findRecordFor(ctx, user, recordId),
      chartDataFor(ctx, user, recordId, { buckets: OVERVIEW_BUCKETS }),
    ]);
    if (!details || !overview) return notInYourCare(request, reply, 'record', recordId);
    const triage = await loadRecordTriage(ctx, details.record);
    return sendPage(reply, status, (
      <RecordPage details={details} overview={overview} times={times} notice={importNotice(request.query as z.infer<typeof pageQuery>)}
        triage={triage} tagForm={tagForm} reviewed={reviewedNotice(request.query as z.infer<typeof pageQuery>)} />
    ));
  }

  registerRecordTriage(app, sendRecordPage);

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

function reviewedNotice(query: z.infer<typeof pageQuery>): string | null {
  if (query.done === 'nothing-to-review') return 'Nothing was left to review.';
  if (query.done === 'reviewed') return query.n === 1 ? '1 flag marked reviewed.' : `${query.n ?? 0} flags marked reviewed.`;
  return null;
}

function importNotice(query: z.infer<typeof pageQuery>): string | null {
  if (!query.imported) return null;
  const what = query.imported === 'created'
    ? `Imported ${query.rows ?? 'all'} rows as this recording.`
    : 'This file was already imported for this patient: here is that recording; nothing was added.';
  return query.ignored ? `${what} Columns not used: ${query.ignored}.` : what;
}
