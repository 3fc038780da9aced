// Upload of a Hexoskin CSV from the patient page. The file is streamed into the parser, never
// held whole in memory; the CSRF token is checked from the form field that precedes the file,
// before a byte of the file is read.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CsvImportError, importCsvFor, type ImportResult } from '../../health/import.js';
import { DEVICE_SERIAL_MAX_LENGTH } from '../../health/records.js';
import { audit } from '../audit.js';
import { verifyCsrfInHandler } from '../security.js';
import { notInYourCare } from '../health-audit.js';
import { ErrorPage } from '../errors.js';
import { redirect, sendPage } from '../render.js';
import { field } from '../validation.js';
import { withQuery } from '../views/pagination.js';

/** A week at 1 Hz with every channel is about 21 MB; anything much larger is not a recording. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

type PatientPageSender = (request: FastifyRequest, reply: FastifyReply, patientId: string, page: number, status: number,
  problems: { importError?: string }) => Promise<FastifyReply>;

const params = z.object({ id: field('The patient id', 64) });

export async function registerImport(app: FastifyInstance, sendPatientPage: PatientPageSender): Promise<void> {
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, { limits: { files: 1, fields: 4, fieldSize: 1024, parts: 6, fileSize: MAX_UPLOAD_BYTES } });

    uploads.post<{ Params: z.infer<typeof params> }>('/patients/:id/records',
      { config: { csrf: 'in-handler' }, schema: { params }, bodyLimit: MAX_UPLOAD_BYTES + 64 * 1024 }, async (request, reply) => {
        const { user } = request.current!;
        const patientId = request.params.id;
        // Anything but the upload form's multipart body is refused before the patient is even looked up.
        if (!request.isMultipart()) {
          return sendPage(reply, 415, <ErrorPage title="Unsupported form" message="Upload a recording with the form on the patient's page. Nothing was saved." />);
        }
        let deviceSerial: string | null = null;
        let outcome: ImportResult | 'not-in-care' | { error: string } | null = null;
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === '_csrf' && !verifyCsrfInHandler(request, reply, String(part.value))) return reply;
            if (part.fieldname === 'device_serial') deviceSerial = String(part.value).trim().slice(0, DEVICE_SERIAL_MAX_LENGTH) || null;
            continue;
          }
          // The token precedes the file in every form HMS renders; a file before it is refused unread.
          if (request.csrfFromForm === undefined && !verifyCsrfInHandler(request, reply, undefined)) return reply;
          try {
            outcome = (await importCsvFor(request.server.ctx, user, patientId, part.file, { deviceSerial })) ?? 'not-in-care';
          } catch (error) {
            if (!(error instanceof CsvImportError) && (error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
            outcome = { error: (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE'
              ? `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, more than a week of recording. Nothing was imported.`
              : `${error instanceof Error ? error.message : String(error)} Nothing was imported.` };
          }
          // One file per upload: whatever follows it (or is left of it) is not read.
          break;
        }
        if (outcome === null) {
          if (request.csrfFromForm === undefined && !verifyCsrfInHandler(request, reply, undefined)) return reply;
          return sendPatientPage(request, reply, patientId, 1, 400, { importError: 'Choose a CSV file to import.' });
        }
        if (outcome === 'not-in-care') return notInYourCare(request, reply, 'patient', patientId);
        if ('error' in outcome) return sendPatientPage(request, reply, patientId, 1, 400, { importError: outcome.error });
        await audit(request, 'health.record_imported', {
          actorUserId: user.id, patientId, recordId: outcome.record.id,
          details: { patient_id: patientId, record_id: outcome.record.id, status: outcome.status, rows: outcome.rowCount },
        });
        return redirect(reply, withQuery(`/records/${outcome.record.id}`, {
          imported: outcome.status,
          rows: outcome.rowCount,
          ignored: outcome.ignoredColumns.map((c) => c.header).join(', ').slice(0, 300),
        }));
      });
  });
}
