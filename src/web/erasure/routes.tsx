// Deleting health data: a patient (administrators) or a recording (administrators and the
// clinicians of the patient's care team). A confirmation page asks for the reason; both the page
// and the deletion need a code entered in the last 5 minutes (step-up).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { listCareTeam } from '../../health/care-teams.js';
import { deletePatient, deleteRecording, ERASURE_REASON_MAX_LENGTH, ErasureError, type Eraser } from '../../health/erasure.js';
import { findPatientFor } from '../../health/patients.js';
import { findVisibleRecord } from '../../health/records.js';
import { requestContext } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { notInYourCare } from '../health-audit.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { PatientDeletionPage, RecordDeletionPage } from './views.js';

const params = z.object({ id: field('field.id', 64) });
const form = z.object({ reason: field('field.reason', ERASURE_REASON_MAX_LENGTH * 2), _csrf: csrfField });
type Params = z.infer<typeof params>;
type Form = z.infer<typeof form>;

const PATIENT = { adminOnly: true, stepUp: true } as const;
const RECORD = { stepUp: true } as const;

export const erasureRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  async function patientPage(viewer: { id: string; role: 'admin' | 'clinician' }, patientId: string) {
    const patient = await findPatientFor(ctx, viewer, patientId);
    if (!patient) return null;
    const [recordings, careTeam] = await Promise.all([
      ctx.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('count')).where('patient_id', '=', patient.id).executeTakeFirstOrThrow(),
      listCareTeam(ctx, patient.id),
    ]);
    return { patient, recordings: Number(recordings.count), careTeam: careTeam.length };
  }

  app.get<{ Params: Params }>('/patients/:id/delete', { config: PATIENT, schema: { params } }, async (request, reply) => {
    const page = await patientPage(request.current!.user, request.params.id);
    if (!page) return notInYourCare(request, reply, 'patient', request.params.id);
    return sendPage(reply, 200, <PatientDeletionPage {...page} />);
  });

  app.post<{ Params: Params; Body: Form }>('/patients/:id/delete', { config: PATIENT, schema: { params, body: form } }, async (request, reply) => {
    const page = await patientPage(request.current!.user, request.params.id);
    if (!page) return notInYourCare(request, reply, 'patient', request.params.id);
    try {
      if (!(await deletePatient(requestContext(request), eraser(request), page.patient.id, request.body.reason))) {
        return notInYourCare(request, reply, 'patient', request.params.id);
      }
    } catch (error) {
      if (!(error instanceof ErasureError)) throw error;
      return sendPage(reply, 400, <PatientDeletionPage {...page} reason={request.body.reason} error={error.text(request)} />);
    }
    return redirect(reply, '/?deleted=patient');
  });

  app.get<{ Params: Params }>('/records/:id/delete', { config: RECORD, schema: { params } }, async (request, reply) => {
    const visible = await findVisibleRecord(ctx.db, request.current!.user, request.params.id);
    if (!visible) return notInYourCare(request, reply, 'record', request.params.id);
    return sendPage(reply, 200, <RecordDeletionPage {...visible} />);
  });

  app.post<{ Params: Params; Body: Form }>('/records/:id/delete', { config: RECORD, schema: { params, body: form } }, async (request, reply) => {
    const visible = await findVisibleRecord(ctx.db, request.current!.user, request.params.id);
    if (!visible) return notInYourCare(request, reply, 'record', request.params.id);
    try {
      const deleted = await deleteRecording(requestContext(request), eraser(request), visible.record.id, request.body.reason);
      if (!deleted) return notInYourCare(request, reply, 'record', request.params.id);
      return redirect(reply, `/patients/${deleted.patientId}?deleted=record`);
    } catch (error) {
      if (!(error instanceof ErasureError)) throw error;
      return sendPage(reply, 400, <RecordDeletionPage {...visible} reason={request.body.reason} error={error.text(request)} />);
    }
  });
};

function eraser(request: Parameters<typeof clientInfo>[0]): Eraser {
  const { user } = request.current!;
  return { viewer: { id: user.id, role: user.role }, client: clientInfo(request) };
}
