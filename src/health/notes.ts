// The only writer of notes: a patient's clinical notes, append-only. A note is never edited nor
// deleted; a correction is a new note that points to the one it corrects, and both stay.
import type { AppContext } from '../context.js';
import type { Note } from '../db/schema.js';
import { newId } from '../auth/tokens.js';
import { LocalizedError } from '../i18n/localized-error.js';
import { canSeePatient, type Viewer } from './access.js';
import type { Span } from './clinic-days.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export const NOTE_MAX_LENGTH = 4000;

/** A note refused: `problem` for the pages, the English text for the CLI and logs. */
export class NoteError extends LocalizedError {}

/** Adds a note by the viewer; null when the viewer may not see the patient (404). */
export async function addNoteFor(ctx: Ctx, viewer: Viewer, patientId: string, text: string, correctsId: string | null = null): Promise<Note | null> {
  if (!(await canSeePatient(ctx.db, viewer, patientId))) return null;
  const body = text.replace(/\r\n?/g, '\n').trim();
  if (body.length === 0) throw new NoteError({ key: 'patients.notes.problem.empty' });
  if (body.length > NOTE_MAX_LENGTH) throw new NoteError({ key: 'patients.notes.problem.tooLong', values: { max: NOTE_MAX_LENGTH, length: body.length } });
  if (correctsId) {
    const corrected = await ctx.db.selectFrom('notes').select('patient_id').where('id', '=', correctsId).executeTakeFirst();
    if (corrected?.patient_id !== patientId) throw new NoteError({ key: 'patients.notes.problem.otherPatient' });
  }
  const note: Note = { id: newId(), patient_id: patientId, author_id: viewer.id, created_at: ctx.clock.now(), text: body, corrects_id: correctsId };
  await ctx.db.insertInto('notes').values(note).execute();
  return note;
}

export interface NoteView {
  id: string;
  authorName: string | null;
  createdAt: number;
  text: string;
  correctsId: string | null;
  /** Later notes that correct this one. */
  correctedBy: string[];
}

/** A patient's notes, newest first, in a period (all without one): for the page and the report. */
export async function notesOfPeriod(ctx: Pick<AppContext, 'db'>, patientId: string, period?: Span): Promise<NoteView[]> {
  const rows = await ctx.db.selectFrom('notes').leftJoin('users', 'users.id', 'notes.author_id')
    .select(['notes.id', 'notes.created_at', 'notes.text', 'notes.corrects_id', 'users.name'])
    .where('notes.patient_id', '=', patientId)
    .$if(period !== undefined, (qb) => qb.where('notes.created_at', '>=', period!.from).where('notes.created_at', '<', period!.to))
    .orderBy('notes.created_at', 'desc').orderBy('notes.id', 'desc')
    .execute();
  const corrections = await ctx.db.selectFrom('notes').select(['id', 'corrects_id'])
    .where('patient_id', '=', patientId).where('corrects_id', 'is not', null).execute();
  return rows.map((row) => ({
    id: row.id, authorName: row.name, createdAt: row.created_at, text: row.text, correctsId: row.corrects_id,
    correctedBy: corrections.filter((c) => c.corrects_id === row.id).map((c) => c.id),
  }));
}
