// The only writer of record_tags: tagged events on a recording (Hexoskin's "activities") — a
// time range with a kind and a free text, drawn as bands on the charts, listed in the notes
// timeline and exported as a separate events CSV.
import type { AppContext } from '../context.js';
import type { RecordTag, TagKind } from '../db/schema.js';
import { newId } from '../auth/tokens.js';
import { LocalizedError } from '../i18n/localized-error.js';
import { translator, type Message, type MessageKey, type Translate } from '../i18n/translate.js';
import type { Viewer } from './access.js';
import type { Span } from './clinic-days.js';
import { findVisibleRecord } from './records.js';
import { TICKS_PER_SECOND } from './series-codec.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** The kinds a tag can have, in the form's order, each named by its catalog key. */
export const TAG_KINDS: readonly { kind: TagKind; labelKey: MessageKey }[] = [
  { kind: 'sleep', labelKey: 'records.tagKind.sleep' },
  { kind: 'rest', labelKey: 'records.tagKind.rest' },
  { kind: 'exercise', labelKey: 'records.tagKind.exercise' },
  { kind: 'symptom', labelKey: 'records.tagKind.symptom' },
  { kind: 'other', labelKey: 'records.tagKind.other' },
];
export const TAG_TEXT_MAX_LENGTH = 500;

/** A tag kind as the form names it, in the reader's language (English by default: stored band labels). */
export function tagLabel(kind: string, t: Translate = translator('en')): string {
  const found = TAG_KINDS.find((k) => k.kind === kind);
  return found ? t(found.labelKey) : kind;
}

/** A tag refusal in the reader's language; the kinds it lists are the form's choices, named as there. */
export function describeTagProblem(problem: Message, t: Translate): string {
  return t(problem.key, { ...problem.values, kinds: TAG_KINDS.map((k) => tagLabel(k.kind, t)).join(', ') });
}

/** A tag refused: `problem` for the pages, the English text for the CLI and logs. */
export class TagError extends LocalizedError {
  static override describe = describeTagProblem;
}

export interface NewTag {
  kind: TagKind;
  /** Epoch ms; the range must lie within the recording. */
  from: number;
  to: number;
  text: string;
}

/** Tags a range of a recording; null when the viewer may not see it (404); TagError for a bad range. */
export async function addTagFor(ctx: Ctx, viewer: Viewer, recordId: string, input: NewTag): Promise<RecordTag | null> {
  const visible = await findVisibleRecord(ctx.db, viewer, recordId);
  if (!visible) return null;
  const { record } = visible;
  if (!TAG_KINDS.some((t) => t.kind === input.kind)) throw new TagError({ key: 'patients.tags.kind' });
  const text = input.text.trim();
  if (text.length > TAG_TEXT_MAX_LENGTH) throw new TagError({ key: 'patients.tags.descriptionTooLong', values: { max: TAG_TEXT_MAX_LENGTH } });
  if (!(input.to > input.from)) throw new TagError({ key: 'patients.tags.order' });
  // Whole seconds, clamped by at most a second to the recording (its start may have a fraction).
  const from = Math.floor(input.from / 1000) * 1000;
  const to = Math.ceil(input.to / 1000) * 1000;
  if (from < record.started_at - 1000 || to > record.ended_at + 1000) throw new TagError({ key: 'patients.tags.outside' });
  const tag: RecordTag = {
    id: newId(), patient_id: record.patient_id, record_id: record.id, kind: input.kind,
    started_at: Math.max(from, record.started_at), ended_at: Math.min(to, record.ended_at),
    text, created_by: viewer.id, created_at: ctx.clock.now(),
  };
  await ctx.db.insertInto('record_tags').values(tag).execute();
  return tag;
}

export interface TagView {
  id: string;
  recordId: string;
  kind: TagKind;
  startedAt: number;
  endedAt: number;
  text: string;
  authorName: string | null;
  createdAt: number;
}

function tagQuery(ctx: Pick<AppContext, 'db'>) {
  return ctx.db.selectFrom('record_tags').leftJoin('users', 'users.id', 'record_tags.created_by')
    .selectAll('record_tags').select('users.name');
}

function toView(row: RecordTag & { name: string | null }): TagView {
  return {
    id: row.id, recordId: row.record_id, kind: row.kind, startedAt: row.started_at, endedAt: row.ended_at, text: row.text,
    authorName: row.name, createdAt: row.created_at,
  };
}

/** The tags of a recording, in time order. */
export async function tagsOfRecord(ctx: Pick<AppContext, 'db'>, recordId: string): Promise<TagView[]> {
  const rows = await tagQuery(ctx).where('record_tags.record_id', '=', recordId).orderBy('record_tags.started_at').orderBy('record_tags.id').execute();
  return rows.map(toView);
}

/** A patient's tagged events overlapping a period, in time order: for the report and the timeline. */
export async function tagsOfPeriod(ctx: Pick<AppContext, 'db'>, patientId: string, period: Span): Promise<TagView[]> {
  const rows = await tagQuery(ctx).where('record_tags.patient_id', '=', patientId)
    .where('record_tags.started_at', '<', period.to).where('record_tags.ended_at', '>', period.from)
    .orderBy('record_tags.started_at').orderBy('record_tags.id').execute();
  return rows.map(toView);
}

/** The tags created in a period, newest first: the notes timeline lists them when they were made. */
export async function tagsCreatedIn(ctx: Pick<AppContext, 'db'>, patientId: string, period: Span): Promise<TagView[]> {
  const rows = await tagQuery(ctx).where('record_tags.patient_id', '=', patientId)
    .where('record_tags.created_at', '>=', period.from).where('record_tags.created_at', '<', period.to)
    .orderBy('record_tags.created_at', 'desc').execute();
  return rows.map(toView);
}

const EVENTS_HEADER = 'start [s/256],end [s/256],start [ISO 8601],end [ISO 8601],kind,description,tagged by';

/**
 * The events CSV of a recording: one line per tag, times as HexoTimestamps (like the series
 * file) and as ISO 8601 with the clinic's offset. Text cells are quoted and defused against
 * spreadsheet formulas.
 */
export function eventsCsv(tags: readonly TagView[], isoInZone: (ms: number) => string): string {
  const lines = tags.map((tag) => [
    String((tag.startedAt / 1000) * TICKS_PER_SECOND), String((tag.endedAt / 1000) * TICKS_PER_SECOND),
    isoInZone(tag.startedAt), isoInZone(tag.endedAt), tag.kind, csvText(tag.text), csvText(tag.authorName ?? ''),
  ].join(','));
  return `${[EVENTS_HEADER, ...lines].join('\n')}\n`;
}

function csvText(text: string): string {
  const defused = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${defused.replace(/"/g, '""')}"`;
}

/** "2026-11-20T14:05:31-05:00": an instant with the zone's offset at that moment. */
export function isoWithOffset(zone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (ms: number) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    const offsetMinutes = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
  };
}
