// What a clinician does about a patient from the patient and recording pages: mark flags
// reviewed (one, a recording's, or all shown), add a note or a correction, archive. Each action
// checks the care team (404 and an audit row otherwise) and is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { setArchivedFor } from '../../health/archive.js';
import { REVIEW_COMMENT_MAX_LENGTH, reviewFlagsFor, type ReviewOutcome } from '../../health/flags.js';
import { addNoteFor, NOTE_MAX_LENGTH, NoteError } from '../../health/notes.js';
import { audit } from '../audit.js';
import { notInYourCare } from '../health-audit.js';
import { redirect } from '../render.js';
import { safeReturnPath } from '../return-path.js';
import { csrfField, field, optionalField, schemaMessage } from '../validation.js';
import { withQuery } from '../views/pagination.js';

export interface PatientPageProblems {
  importError?: string;
  careTeamError?: string;
  noteError?: string;
  noteText?: string;
  correctsId?: string | null;
  flagsError?: string;
  notice?: string | null;
}

type PatientPageSender = (request: FastifyRequest, reply: FastifyReply, patientId: string, page: number, status: number,
  problems: PatientPageProblems) => Promise<FastifyReply>;

const patientParams = z.object({ id: field('field.patientId', 64) });
const flagParams = z.object({ id: field('field.flagId', 64) });
const comment = optionalField('field.comment', REVIEW_COMMENT_MAX_LENGTH);
const reviewAllForm = z.object({
  comment,
  up_to: z.coerce.number({ error: schemaMessage('patients.review.missingTime') }).int().min(0).max(8.64e15),
  _csrf: csrfField,
});
const reviewOneForm = z.object({ comment, next: optionalField('field.returnAddress', 512), _csrf: csrfField });
const noteForm = z.object({
  text: field('field.note', NOTE_MAX_LENGTH * 2),
  corrects: optionalField('field.correctedNote', 64),
  _csrf: csrfField,
});
const actionForm = z.object({ _csrf: csrfField });

/** Where to go after a review: back to the page the form was on, at its flags. */
export function afterReview(back: string, outcome: ReviewOutcome): string {
  return `${withQuery(back, outcome.count > 0 ? { done: 'reviewed', n: outcome.count } : { done: 'nothing-to-review' })}#flags`;
}

export async function auditReview(request: FastifyRequest, outcome: ReviewOutcome, scope: string, target: string): Promise<void> {
  if (outcome.count === 0) return;
  await audit(request, 'health.flags_reviewed', {
    actorUserId: request.current!.user.id,
    details: { patient_id: outcome.patientId, scope, target, flags: outcome.count, review_id: outcome.reviewId },
  });
}

export function registerPatientTriage(app: FastifyInstance, sendPatientPage: PatientPageSender): void {
  const { ctx } = app;

  app.post<{ Params: z.infer<typeof patientParams>; Body: z.infer<typeof reviewAllForm> }>('/patients/:id/flags/review',
    { schema: { params: patientParams, body: reviewAllForm } }, async (request, reply) => {
      const { user } = request.current!;
      const upTo = Math.min(request.body.up_to, ctx.clock.now());
      const outcome = await reviewFlagsFor(ctx, user, { scope: 'patient', patientId: request.params.id, upTo }, request.body.comment ?? null);
      if (!outcome) return notInYourCare(request, reply, 'patient', request.params.id);
      await auditReview(request, outcome, 'patient', request.params.id);
      return redirect(reply, afterReview(`/patients/${outcome.patientId}`, outcome));
    });

  app.post<{ Params: z.infer<typeof flagParams>; Body: z.infer<typeof reviewOneForm> }>('/flags/:id/review',
    { schema: { params: flagParams, body: reviewOneForm } }, async (request, reply) => {
      const { user } = request.current!;
      const outcome = await reviewFlagsFor(ctx, user, { scope: 'flag', flagId: request.params.id }, request.body.comment ?? null);
      if (!outcome) return notInYourCare(request, reply, 'flag', request.params.id);
      await auditReview(request, outcome, 'flag', request.params.id);
      return redirect(reply, afterReview(safeReturnPath(request.body.next)?.split('?')[0] ?? `/patients/${outcome.patientId}`, outcome));
    });

  app.post<{ Params: z.infer<typeof patientParams>; Body: z.infer<typeof noteForm> }>('/patients/:id/notes',
    { schema: { params: patientParams, body: noteForm } }, async (request, reply) => {
      const { user } = request.current!;
      const { text, corrects } = request.body;
      try {
        const note = await addNoteFor(ctx, user, request.params.id, text, corrects || null);
        if (!note) return notInYourCare(request, reply, 'patient', request.params.id);
        await audit(request, 'health.note_added', { actorUserId: user.id, details: { patient_id: note.patient_id, note_id: note.id, corrects: note.corrects_id } });
        return redirect(reply, `/patients/${note.patient_id}?done=noted#note-${note.id}`);
      } catch (error) {
        if (!(error instanceof NoteError)) throw error;
        return sendPatientPage(request, reply, request.params.id, 1, 400, { noteError: error.text(request), noteText: text, correctsId: corrects || null });
      }
    });

  for (const archived of [true, false]) {
    app.post<{ Params: z.infer<typeof patientParams>; Body: z.infer<typeof actionForm> }>(`/patients/:id/${archived ? 'archive' : 'unarchive'}`,
      { schema: { params: patientParams, body: actionForm } }, async (request, reply) => {
        const { user } = request.current!;
        const changed = await setArchivedFor(ctx, user, request.params.id, archived);
        if (changed === null) return notInYourCare(request, reply, 'patient', request.params.id);
        if (changed) await audit(request, archived ? 'patient.archived' : 'patient.unarchived', { actorUserId: user.id, details: { patient_id: request.params.id } });
        return redirect(reply, `/patients/${request.params.id}?done=${archived ? 'archived' : 'unarchived'}`);
      });
  }
}
