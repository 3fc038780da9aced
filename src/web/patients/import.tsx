// Upload of a Hexoskin CSV from the patient page. The file is streamed into the parser, never
// held whole in memory; the CSRF token is checked from the form field that precedes the file,
// before a byte of the file is read.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CsvImportError, importCsvFor, type ImportResult } from '../../health/import.js';
import { DEVICE_SERIAL_MAX_LENGTH } from '../../health/records.js';
import { setFlash } from '../../auth/sessions.js';
import type { Translator } from '../../i18n/translate.js';
import { audit } from '../audit.js';
import { verifyCsrfInHandler } from '../security.js';
import { notInYourCare } from '../health-audit.js';
import { ErrorPage } from '../errors.js';
import { redirect, sendPage } from '../render.js';
import { requestTranslator } from '../language.js';
import { field } from '../validation.js';

/** A week at 1 Hz with every channel is about 21 MB; anything much larger is not a recording. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

/** RFC 2046: a boundary has 1 to 70 characters. Browsers send about 40. */
const MAX_BOUNDARY_LENGTH = 70;

/** The multipart body could not be read: cut off, malformed, or a NUL in a field. Always a 400. */
class UnreadableUpload extends Error {}

type PatientPageSender = (request: FastifyRequest, reply: FastifyReply, patientId: string, page: number, status: number,
  problems: { importError?: string }) => Promise<FastifyReply>;

const params = z.object({ id: field('field.patientId', 64) });

export async function registerImport(app: FastifyInstance, sendPatientPage: PatientPageSender): Promise<void> {
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, { limits: { files: 1, fields: 4, fieldSize: 1024, parts: 6, fileSize: MAX_UPLOAD_BYTES } });

    uploads.post<{ Params: z.infer<typeof params> }>('/patients/:id/records',
      { config: { csrf: 'in-handler' }, schema: { params }, bodyLimit: MAX_UPLOAD_BYTES + 64 * 1024 }, async (request, reply) => {
        const { user } = request.current!;
        const patientId = request.params.id;
        // Anything but the upload form's multipart body is refused before the patient is even looked up.
        if (!request.isMultipart()) {
          return sendPage(reply, 415, <ErrorPage title={request.t('errors.mediaType.title')} message={request.t('patients.import.notMultipart')} />);
        }
        const boundary = boundaryOf(String(request.headers['content-type']));
        if (!boundary || boundary.length > MAX_BOUNDARY_LENGTH) return sendUnreadable(reply, null);
        let deviceSerial: string | null = null;
        let outcome: ImportResult | 'not-in-care' | { error: string } | null = null;
        try {
          for await (const part of readableParts(request)) {
            if (part.type === 'field') {
              const value = String(part.value);
              if (value.includes('\u0000')) throw new UnreadableUpload(request.t('patients.import.nul', { nul: request.t('validation.nul') }));
              if (part.fieldname === '_csrf' && !verifyCsrfInHandler(request, reply, value)) return reply;
              if (part.fieldname === 'device_serial') deviceSerial = value.trim().slice(0, DEVICE_SERIAL_MAX_LENGTH) || null;
              continue;
            }
            // The token precedes the file in every form HMS renders; a file before it is refused unread.
            if (request.csrfFromForm === undefined && !verifyCsrfInHandler(request, reply, undefined)) return reply;
            try {
              outcome = (await importCsvFor(request.server.ctx, user, patientId, readableFile(part.file), { deviceSerial })) ?? 'not-in-care';
            } catch (error) {
              if (!(error instanceof CsvImportError) && (error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
              outcome = { error: error instanceof CsvImportError
                ? request.t('patients.import.refused', { problem: error.text(request) })
                : request.t('patients.import.tooLarge', { mb: MAX_UPLOAD_BYTES / 1024 / 1024 }) };
            }
            // One file per upload: whatever follows it (or is left of it) is not read.
            break;
          }
        } catch (error) {
          if (error instanceof UnreadableUpload) return sendUnreadable(reply, error.message || null);
          throw error;
        }
        if (outcome === null) {
          if (request.csrfFromForm === undefined && !verifyCsrfInHandler(request, reply, undefined)) return reply;
          return sendPatientPage(request, reply, patientId, 1, 400, { importError: request.t('patients.import.noFile') });
        }
        if (outcome === 'not-in-care') return notInYourCare(request, reply, 'patient', patientId);
        if ('error' in outcome) return sendPatientPage(request, reply, patientId, 1, 400, { importError: outcome.error });
        await audit(request, 'health.record_imported', {
          actorUserId: user.id, patientId, recordId: outcome.record.id,
          details: { patient_id: patientId, record_id: outcome.record.id, status: outcome.status, rows: outcome.rowCount },
        });
        const recordPath = `/records/${outcome.record.id}`;
        await setFlash(request.server.ctx, request.current!.session, recordPath, importNotice(outcome, requestTranslator(request)));
        return redirect(reply, recordPath);
      });
  });
}

function boundaryOf(contentType: string): string | null {
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, ...value] = parameter.split('=');
    if (name?.trim().toLowerCase() === 'boundary') return value.join('=').trim().replace(/^"(.*)"$/, '$1') || null;
  }
  return null;
}

/** `message`: why, when it is more precise than "incomplete or malformed". */
function sendUnreadable(reply: FastifyReply, message: string | null) {
  const t = requestTranslator(reply.request);
  return sendPage(reply, 400, <ErrorPage title={t('patients.import.unreadableTitle')} message={message ?? t('patients.import.unreadable')} />);
}

/** The parts of the body; the parser's own failures (a body cut off, a malformed part) become UnreadableUpload. */
async function* readableParts(request: FastifyRequest) {
  const parts = request.parts()[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await parts.next().catch((error: unknown) => {
        throw asUnreadable(error);
      });
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await parts.return?.();
  }
}

/** The file's bytes; a stream that breaks off (the body ended inside the file) is an UnreadableUpload. */
async function* readableFile(file: AsyncIterable<Buffer>) {
  try {
    for await (const chunk of file) yield chunk;
  } catch (error) {
    throw asUnreadable(error);
  }
}

/** Limits the plugin enforces (413, file too large) keep their own answer; anything else the parser throws is malformed input. */
function asUnreadable(error: unknown): unknown {
  const { code, statusCode } = error as { code?: string; statusCode?: number };
  if (code === 'FST_REQ_FILE_TOO_LARGE' || (statusCode !== undefined && statusCode < 500)) return error;
  return new UnreadableUpload();
}

/** What the record page says once after an upload, in the uploader's language. */
function importNotice(result: ImportResult, t: Translator): string {
  const what = result.status === 'created' ? t('patients.import.imported', { rows: result.rowCount }) : t('patients.import.duplicate');
  const ignored = result.ignoredColumns.map((c) => c.header).join(', ').slice(0, 300);
  return ignored ? t('patients.import.ignored', { what, ignored }) : what;
}
