// The patient list (the page clinicians land on), a patient's page with their recordings, and
// for administrators: adding patients and choosing who is in their care team.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { assignClinician, CareTeamError, listCareTeam, removeClinician } from '../../health/care-teams.js';
import { addDays, clinicDay } from '../../health/clinic-days.js';
import { createPatient, findPatientFor, PatientError, patientFieldProblem, updatePatient, type PatientField, type PatientInput,
  type PatientProblem as PatientFieldProblem } from '../../health/patients.js';
import { WORKLIST_FILTERS, WORKLIST_SORTS, worklistFor } from '../../health/worklist.js';
import { listRecordsFor } from '../../health/records.js';
import type { Sex } from '../../db/schema.js';
import { audit, auditView } from '../audit.js';
import { notInYourCare } from '../health-audit.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field, optionalField, orDefault } from '../validation.js';
import type { MessageKey, Translator } from '../../i18n/translate.js';
import { requestTranslator } from '../language.js';
import { ErrorPage } from '../errors.js';
import { registerImport } from './import.js';
import { PatientFormPage } from './patient-form.js';
import { registerPatientTriage, type PatientPageProblems } from '../triage/patient-actions.js';
import { loadPatientTriage, rangeOf } from './triage-panels.js';
import { PatientPage } from './views.js';
import { WorklistPage } from './worklist.js';

export const PATIENTS_PER_PAGE = 50;

const page = orDefault(z.coerce.number().int().min(1).max(1_000_000), 1);
const listQuery = z.object({
  q: orDefault(z.string().max(100), ''),
  filter: orDefault(z.enum(WORKLIST_FILTERS), 'all'),
  sort: orDefault(z.enum(WORKLIST_SORTS), 'triage'),
  page,
  deleted: z.enum(['patient']).optional().catch(undefined),
});
const patientParams = z.object({ id: field('field.patientId', 64) });
const DONE = {
  reviewed: 'patients.done.reviewed',
  'nothing-to-review': 'patients.done.nothingToReview',
  noted: 'patients.done.noted',
  archived: 'patients.done.archived',
  unarchived: 'patients.done.unarchived',
} as const satisfies Record<string, MessageKey>;
export type PatientDone = keyof typeof DONE;
const patientQuery = z.object({
  page,
  range: z.coerce.number().int().optional().catch(undefined),
  timeline: z.enum(['all']).optional().catch(undefined),
  correct: z.string().max(64).optional().catch(undefined),
  done: z.enum(Object.keys(DONE) as [PatientDone]).optional().catch(undefined),
  n: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
  deleted: z.enum(['record']).optional().catch(undefined),
});
const patientForm = z.object({
  name: field('field.fullName', 200),
  external_id: optionalField('field.externalId', 200),
  date_of_birth: field('field.dateOfBirth', 20),
  sex: field('field.sex', 20),
  height_cm: optionalField('field.height', 20),
  weight_kg: optionalField('field.weight', 20),
  _csrf: csrfField,
});
const careTeamForm = z.object({ user_id: field('field.clinician', 64), _csrf: csrfField });

// Adding patients and choosing care teams decide who sees whose health data: like every other
// administrative change, they need a code entered in the last 5 minutes (others get 404 first).
const NEW_PATIENT_STEP_UP = { adminOnly: true, stepUp: true, formPage: () => '/patients/new' };
const CARE_TEAM_STEP_UP = {
  adminOnly: true, stepUp: true, formPage: (request: FastifyRequest) => `/patients/${encodeURIComponent((request.params as { id: string }).id)}`,
};

export const patientRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get<{ Querystring: z.infer<typeof listQuery> }>('/', { schema: { querystring: listQuery } }, async (request, reply) => {
    const { user } = request.current!;
    const { q, filter, sort, page, deleted } = request.query;
    const { entries, total } = await worklistFor(ctx, user, { search: q, filter, sort, limit: PATIENTS_PER_PAGE, offset: (page - 1) * PATIENTS_PER_PAGE });
    return sendPage(reply, 200, (
      <WorklistPage greeting={user.name} entries={entries} total={total} search={q} filter={filter} sort={sort} page={page}
        pageCount={Math.max(1, Math.ceil(total / PATIENTS_PER_PAGE))} now={ctx.clock.now()} canAddPatients={user.role === 'admin'}
        notice={deleted ? request.t('patients.done.patientDeleted') : null} />
    ));
  });

  app.get<{ Params: z.infer<typeof patientParams>; Querystring: z.infer<typeof patientQuery> }>('/patients/:id',
    { schema: { params: patientParams, querystring: patientQuery } }, async (request, reply) => {
      const { page: pageNumber, done, n, correct, deleted } = request.query;
      const notice = done ? request.t(DONE[done], { count: n ?? 0 }) : deleted ? request.t('patients.done.recordingDeleted') : null;
      return sendPatientPage(request, reply, request.params.id, pageNumber, 200, { notice, correctsId: correct ?? null });
    });

  const today = () => clinicDay(ctx.config.timeZone, ctx.clock.now());

  app.get('/patients/new', async (request, reply) => {
    if (request.current!.user.role !== 'admin') return notFound(reply);
    return sendPage(reply, 200, <PatientFormPage today={today()} />);
  });

  app.post<{ Body: z.infer<typeof patientForm> }>('/patients', { config: NEW_PATIENT_STEP_UP, schema: { body: patientForm } }, async (request, reply) => {
    const { user } = request.current!;
    if (user.role !== 'admin') return notFound(reply);
    const { _csrf, ...values } = request.body;
    const t = requestTranslator(request);
    const input = patientInput(values, t);
    const problem = 'field' in input ? input : shownProblem(patientFieldProblem(input, ctx.clock.now()), t);
    if (problem || 'field' in input) return sendPage(reply, 400, <PatientFormPage values={values} problem={problem} today={today()} />);
    try {
      const patient = await createPatient(ctx, input);
      await audit(request, 'patient.created', { actorUserId: user.id, patientId: patient.id, details: { patient_id: patient.id } });
      return redirect(reply, `/patients/${patient.id}`);
    } catch (error) {
      if (error instanceof PatientError) {
        return sendPage(reply, 409, <PatientFormPage values={values} problem={{ field: 'external_id', message: error.text(request) }} today={today()} />);
      }
      throw error;
    }
  });

  // A patient's details are corrected by an administrator or a clinician of their care team.
  app.get<{ Params: z.infer<typeof patientParams> }>('/patients/:id/edit', { schema: { params: patientParams } }, async (request, reply) => {
    const patient = await findPatientFor(ctx, request.current!.user, request.params.id);
    if (!patient) return notInYourCare(request, reply, 'patient', request.params.id);
    const values = {
      name: patient.name, external_id: patient.external_id ?? '', date_of_birth: patient.date_of_birth, sex: patient.sex,
      height_cm: patient.height_cm === null ? '' : String(patient.height_cm), weight_kg: patient.weight_kg === null ? '' : String(patient.weight_kg),
    };
    return sendPage(reply, 200, <PatientFormPage patientId={patient.id} values={values} today={today()} />);
  });

  app.post<{ Params: z.infer<typeof patientParams>; Body: z.infer<typeof patientForm> }>('/patients/:id/edit',
    { schema: { params: patientParams, body: patientForm } }, async (request, reply) => {
      const { user } = request.current!;
      const patient = await findPatientFor(ctx, user, request.params.id);
      if (!patient) return notInYourCare(request, reply, 'patient', request.params.id);
      const { _csrf, ...values } = request.body;
      const t = requestTranslator(request);
      const input = patientInput(values, t);
      const problem = 'field' in input ? input : shownProblem(patientFieldProblem(input, ctx.clock.now()), t);
      if (problem || 'field' in input) return sendPage(reply, 400, <PatientFormPage patientId={patient.id} values={values} problem={problem} today={today()} />);
      try {
        await updatePatient(ctx, patient.id, input);
      } catch (error) {
        if (error instanceof PatientError) {
          const message = error.text(request);
          return sendPage(reply, 409, <PatientFormPage patientId={patient.id} values={values} problem={{ field: 'external_id', message }} today={today()} />);
        }
        throw error;
      }
      const changed = (['name', 'external_id', 'date_of_birth', 'sex', 'height_cm', 'weight_kg'] as const)
        .filter((field) => String(patient[field] ?? '') !== String(({ name: input.name.trim(), external_id: input.externalId?.trim() || '', date_of_birth: input.dateOfBirth,
          sex: input.sex, height_cm: input.heightCm ?? '', weight_kg: input.weightKg ?? '' })[field]));
      await audit(request, 'patient.updated', { actorUserId: user.id, details: { patient_id: patient.id, fields: changed.join(',') } });
      return redirect(reply, `/patients/${patient.id}`);
    });

  app.post<{ Params: z.infer<typeof patientParams>; Body: z.infer<typeof careTeamForm> }>('/patients/:id/care-team',
    { config: CARE_TEAM_STEP_UP, schema: { params: patientParams, body: careTeamForm } }, async (request, reply) => {
      const { user } = request.current!;
      if (user.role !== 'admin') return notFound(reply);
      const patient = await findPatientFor(ctx, user, request.params.id);
      if (!patient) return notInYourCare(request, reply, 'patient', request.params.id);
      try {
        await assignClinician(ctx, patient.id, request.body.user_id);
      } catch (error) {
        if (error instanceof CareTeamError) return sendPatientPage(request, reply, patient.id, 1, 400, { careTeamError: error.text(request) });
        throw error;
      }
      await audit(request, 'care_team.added', { actorUserId: user.id, subjectUserId: request.body.user_id, patientId: patient.id, details: { patient_id: patient.id } });
      return redirect(reply, `/patients/${patient.id}`);
    });

  app.post<{ Params: z.infer<typeof patientParams>; Body: z.infer<typeof careTeamForm> }>('/patients/:id/care-team/remove',
    { config: CARE_TEAM_STEP_UP, schema: { params: patientParams, body: careTeamForm } }, async (request, reply) => {
      const { user } = request.current!;
      if (user.role !== 'admin') return notFound(reply);
      const patient = await findPatientFor(ctx, user, request.params.id);
      if (!patient) return notInYourCare(request, reply, 'patient', request.params.id);
      if (await removeClinician(ctx, patient.id, request.body.user_id)) {
        await audit(request, 'care_team.removed', { actorUserId: user.id, subjectUserId: request.body.user_id, patientId: patient.id, details: { patient_id: patient.id } });
      }
      return redirect(reply, `/patients/${patient.id}`);
    });

  /** The patient page, or the 404 of a patient outside the viewer's care. */
  async function sendPatientPage(request: FastifyRequest, reply: FastifyReply, patientId: string, pageNumber: number, status: number,
    problems: PatientPageProblems) {
    const { user } = request.current!;
    const [patient, records] = await Promise.all([findPatientFor(ctx, user, patientId), listRecordsFor(ctx, user, patientId, { page: pageNumber })]);
    if (!patient || !records) return notInYourCare(request, reply, 'patient', patientId);
    await auditView(request, { patientId: patient.id });
    const query = request.query as { range?: number; timeline?: string };
    const triage = await loadPatientTriage(ctx, user, patient, { range: rangeOf(query.range), wholeTimeline: query.timeline === 'all' });
    const careTeam = user.role === 'admin'
      ? { members: await listCareTeam(ctx, patient.id), clinicians: await listClinicians(), error: problems.careTeamError }
      : null;
    const corrected = problems.correctsId ? triage.timeline.find((e) => e.kind === 'note' && e.note.id === problems.correctsId) : undefined;
    const note = {
      error: problems.noteError ?? null,
      correctsId: corrected ? problems.correctsId! : null,
      text: problems.noteText ?? (corrected?.kind === 'note' ? corrected.note.text : undefined),
    };
    return sendPage(reply, status, (
      <PatientPage patient={patient} records={records} now={ctx.clock.now()} importError={problems.importError} careTeam={careTeam}
        triage={triage} notice={problems.notice ?? null} note={note} flagsError={problems.flagsError ?? null}
        isAdmin={user.role === 'admin'} reportPeriod={{ from: addDays(today(), -6), to: today() }} />
    ));
  }

  function listClinicians() {
    return ctx.db.selectFrom('users').select(['id', 'name', 'email'])
      .where('role', '=', 'clinician').where('disabled_at', 'is', null).orderBy('name').execute();
  }

  // The upload, notes and reviews show this page again with their errors.
  await registerImport(app, sendPatientPage);
  registerPatientTriage(app, sendPatientPage);
};

function notFound(reply: FastifyReply) {
  const t = requestTranslator(reply.request);
  return sendPage(reply, 404, <ErrorPage title={t('errors.notFound.title')} message={t('patients.notFound.message')} />);
}

/** A field's problem in the reader's language. */
function shownProblem(problem: PatientFieldProblem | null, t: Translator): { field: PatientField; message: string } | null {
  return problem && { field: problem.field, message: t(problem.problem.key, problem.problem.values) };
}

/** The form's text fields as a patient, or the field that cannot be read and why. */
function patientInput(values: { name: string; external_id?: string; date_of_birth: string; sex: string; height_cm?: string; weight_kg?: string }, t: Translator):
  PatientInput | { field: PatientField; message: string } {
  const number = (text: string | undefined, field: PatientField, label: MessageKey): number | null | { field: PatientField; message: string } => {
    if (!text?.trim()) return null;
    const value = Number(text.trim().replace(',', '.'));
    return Number.isFinite(value) ? value : { field, message: t('patients.problem.notNumber', { label: t(label) }) };
  };
  const heightCm = number(values.height_cm, 'height_cm', 'field.height');
  const weightKg = number(values.weight_kg, 'weight_kg', 'field.weight');
  if (heightCm !== null && typeof heightCm === 'object') return heightCm;
  if (weightKg !== null && typeof weightKg === 'object') return weightKg;
  return { name: values.name, externalId: values.external_id ?? null, dateOfBirth: values.date_of_birth.trim(), sex: values.sex as Sex, heightCm, weightKg };
}
