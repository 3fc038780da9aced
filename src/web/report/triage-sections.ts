// The triage parts of the clinical report: the flags of the period with their review, the tagged
// events, and the notes written during the period. A colleague reading the printout sees what was
// flagged, who looked at it and what they wrote, not only the curves.
import { flagValueText } from '../../health/rules/flag-text.js';
import { ruleLabel } from '../../health/rules/definitions.js';
import { severityWord, tagKindLabel, zoned } from '../records/text.js';
import { whenText } from '../views/flags.js';
import type { Doc, PageLayout, ReportContext } from './pdf-report.js';
import { pdfText } from './pdf-text.js';

const INK = '#1b2330';
const MUTED = '#4d5868';

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
  const { times, t } = context;
  const { flags } = context.report.triage;
  const open = flags.filter((flag) => !flag.review).length;
  layout.heading(t('records.report.flagsHeading', { count: flags.length, open }));
  if (flags.length === 0) return empty(doc, layout, t('records.report.noFlag'));
  for (const flag of flags) {
    const reviewer = flag.review ? { name: flag.review.reviewerName ?? t('records.report.removedAccount'), when: zoned(times, flag.review.reviewedAt) } : null;
    const review = !flag.review ? t('records.report.notReviewed')
      : flag.review.comment ? t('records.report.reviewedByWithComment', { ...reviewer, comment: flag.review.comment }) : t('records.report.reviewedBy', reviewer!);
    const head = t('records.report.flagHead', { severity: severityWord(t, flag.severity), rule: ruleLabel(t, flag.rule), when: whenText(times, flag, t) });
    entry(doc, layout, head, flagValueText(flag, t, times), review);
  }
}

export function tagsSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { times, t } = context;
  const { tags } = context.report.triage;
  layout.heading(t('records.tags.heading'));
  if (tags.length === 0) return empty(doc, layout, t('records.report.noTag'));
  for (const tag of tags) {
    const head = t('records.report.tagHead', { kind: tagKindLabel(t, tag.kind), from: zoned(times, tag.startedAt), to: zoned(times, tag.endedAt) });
    entry(doc, layout, head, tag.text, tag.authorName ? t('records.report.taggedBy', { name: tag.authorName }) : null);
  }
}

export function notesSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { times, t } = context;
  // Oldest first on paper: a printout reads top to bottom.
  const notes = [...context.report.triage.notes].reverse();
  layout.heading(t('records.report.notesHeading'));
  if (notes.length === 0) return empty(doc, layout, t('records.report.noNote'));
  for (const note of notes) {
    const head = t('records.report.noteHead', {
      author: note.authorName ?? t('records.report.removedAccountStart'), when: zoned(times, note.createdAt),
      correction: note.correctsId ? 'yes' : 'no', corrected: note.correctedBy.length > 0 ? 'yes' : 'no',
    });
    entry(doc, layout, head, note.text, null);
  }
}
