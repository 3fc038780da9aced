// The triage parts of the clinical report: the flags of the period with their review, the tagged
// events, and the notes written during the period. A colleague reading the printout sees what was
// flagged, who looked at it and what they wrote, not only the curves.
import { tagLabel } from '../../health/tags.js';
import { whenText } from '../views/flags.js';
import type { Doc, PageLayout, ReportContext } from './pdf-report.js';
import { pdfText } from './pdf-text.js';

const INK = '#1b2330';
const MUTED = '#4d5868';
const SEVERITY_WORD = { high: 'High', medium: 'Medium', low: 'Low' } as const;

/** One entry: a bold first line, then wrapped text in ink, then a muted line. */
function entry(doc: Doc, layout: PageLayout, head: string, body: string, foot: string | null) {
  layout.ensureSpace(40);
  doc.font('Helvetica-Bold').fontSize(9).fillColor(INK).text(pdfText(head), layout.left, doc.y, { width: layout.width });
  if (body) doc.font('Helvetica').fontSize(9).fillColor(INK).text(pdfText(body), layout.left + 10, doc.y, { width: layout.width - 10 });
  if (foot) doc.font('Helvetica').fontSize(8).fillColor(MUTED).text(pdfText(foot), layout.left + 10, doc.y, { width: layout.width - 10 });
  doc.moveDown(0.4);
}

function empty(doc: Doc, layout: PageLayout, text: string) {
  layout.ensureSpace(14);
  doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(pdfText(text), layout.left, doc.y, { width: layout.width });
}

export function flagsSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { times } = context;
  const { flags } = context.report.triage;
  const open = flags.filter((flag) => !flag.review).length;
  layout.heading(`Flags (${flags.length}, ${open} not reviewed)`);
  if (flags.length === 0) return empty(doc, layout, 'No flag in this period.');
  for (const flag of flags) {
    const review = flag.review
      ? `Reviewed by ${flag.review.reviewerName ?? 'a removed account'} on ${times.dateTime(flag.review.reviewedAt)} ${times.zoneAbbreviation(flag.review.reviewedAt)}${flag.review.comment ? `: "${flag.review.comment}"` : ''}`
      : 'Not reviewed yet.';
    entry(doc, layout, `${SEVERITY_WORD[flag.severity]}: ${flag.label}, ${whenText(times, flag)}`, flag.valueText, review);
  }
}

export function tagsSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { times } = context;
  const { tags } = context.report.triage;
  layout.heading('Tagged events');
  if (tags.length === 0) return empty(doc, layout, 'No event tagged in this period.');
  for (const tag of tags) {
    const zoned = (ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
    entry(doc, layout, `${tagLabel(tag.kind)}: ${zoned(tag.startedAt)} to ${zoned(tag.endedAt)}`, tag.text, tag.authorName ? `Tagged by ${tag.authorName}` : null);
  }
}

export function notesSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { times } = context;
  // Oldest first on paper: a printout reads top to bottom.
  const notes = [...context.report.triage.notes].reverse();
  layout.heading('Notes written during this period');
  if (notes.length === 0) return empty(doc, layout, 'No note written in this period.');
  for (const note of notes) {
    const corrected = note.correctedBy.length > 0 ? ' (corrected by a later note)' : '';
    const correction = note.correctsId ? ' (a correction)' : '';
    entry(doc, layout, `${note.authorName ?? 'A removed account'}, ${times.dateTime(note.createdAt)} ${times.zoneAbbreviation(note.createdAt)}${correction}${corrected}`, note.text, null);
  }
}
