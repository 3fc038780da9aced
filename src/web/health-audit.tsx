import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from './audit.js';
import { ErrorPage } from './errors.js';
import { sendPage } from './render.js';

/**
 * A patient or record that does not exist or is outside the viewer's care: the same 404 either
 * way (ids reveal nothing), and an audit entry, since guessing ids is worth knowing about. When
 * the id names a real patient or recording, the entry is filed under it too: the patient's own
 * audit trail shows who tried to reach her data.
 */
export async function notInYourCare(request: FastifyRequest, reply: FastifyReply, resource: 'patient' | 'record' | 'flag', id: string) {
  const { user } = request.current!;
  const target = await existingTarget(request, resource, id);
  await audit(request, 'health.access_refused', {
    actorUserId: user.id, subjectUserId: user.id, ...target, details: { resource, id: id.slice(0, 64), url: request.url.slice(0, 200) },
  });
  return sendPage(reply, 404, <ErrorPage title={request.t('patients.notInCare.title')} message={request.t('patients.notInCare.message', { resource })} />);
}

async function existingTarget(request: FastifyRequest, resource: 'patient' | 'record' | 'flag', id: string): Promise<{ patientId?: string; recordId?: string }> {
  const { db } = request.server.ctx;
  if (resource === 'flag') {
    const flag = await db.selectFrom('flags').select('patient_id').where('id', '=', id).executeTakeFirst();
    return flag ? { patientId: flag.patient_id } : {};
  }
  if (resource === 'patient') {
    const patient = await db.selectFrom('patients').select('id').where('id', '=', id).executeTakeFirst();
    return patient ? { patientId: patient.id } : {};
  }
  const record = await db.selectFrom('records').select(['id', 'patient_id']).where('id', '=', id).executeTakeFirst();
  return record ? { recordId: record.id, patientId: record.patient_id } : {};
}
