// The clinical report as a PDF (pdfkit): a sequence of sections, each one function that draws
// its part of the report and starts a page where it needs one. Every page then gets the same
// header (who, which period, which zone) and footer (who generated it and when, page x of y).
import PDFDocument from 'pdfkit';
import type { ReportData } from '../../health/report-data.js';
import { ageInYears } from '../../health/summaries.js';
import { translator, type Translator } from '../../i18n/translate.js';
import type { TimeFormat } from '../format.js';
import { zoned } from '../records/text.js';
import { sexLabel } from '../views/identity.js';
import { pdfText } from './pdf-text.js';
import { chartPagesSection, gapsSection, summarySection } from './sections.js';
import { flagsSection, notesSection, tagsSection } from './triage-sections.js';

export type Doc = InstanceType<typeof PDFDocument>;

export interface ReportContext {
  report: ReportData;
  /** The report's words, in the language of the request. */
  t: Translator;
  times: TimeFormat;
  /** Who asked for the report, and when: printed on every page. */
  generatedBy: string;
  generatedAt: number;
  now: number;
}

/** A part of the report. Sections run in order on the same document. */
export type ReportSection = (doc: Doc, context: ReportContext, layout: PageLayout) => void;

export const REPORT_SECTIONS: ReportSection[] = [summarySection, flagsSection, tagsSection, notesSection, gapsSection, chartPagesSection];

export interface PageLayout {
  left: number;
  width: number;
  /** First y below the page header. */
  top: number;
  /** Last y above the page footer. */
  bottom: number;
  /** Starts a new page unless `height` still fits below the current position. */
  ensureSpace(height: number): void;
  heading(text: string): void;
}

const MARGIN = 40;
const HEADER_HEIGHT = 46;
const FOOTER_HEIGHT = 24;

/** What renderReport is given: the report's words default to English (the benchmarks). */
export type ReportRequest = Omit<ReportContext, 't'> & { t?: Translator };

export function renderReport(request: ReportRequest, paperSize: 'A4' | 'Letter', sections: ReportSection[] = REPORT_SECTIONS): Promise<Buffer> {
  const context: ReportContext = { ...request, t: request.t ?? translator('en') };
  const doc = new PDFDocument({
    size: paperSize === 'Letter' ? 'LETTER' : 'A4',
    margins: { top: MARGIN + HEADER_HEIGHT, bottom: MARGIN + FOOTER_HEIGHT, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: pdfText(context.t('records.report.docTitle', { name: context.report.patient.name })), Author: pdfText(context.generatedBy), Creator: 'HMS' },
    // The date inside the file is the injected clock's, like the one printed on it.
    compress: true,
  });
  doc.info.CreationDate = new Date(context.generatedAt);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const layout: PageLayout = {
    left: MARGIN,
    width: doc.page.width - 2 * MARGIN,
    top: MARGIN + HEADER_HEIGHT,
    bottom: doc.page.height - MARGIN - FOOTER_HEIGHT,
    ensureSpace(height) {
      if (doc.y + height > this.bottom) doc.addPage();
    },
    heading(text) {
      this.ensureSpace(40);
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).fillColor('#1b2330').text(pdfText(text), MARGIN, doc.y).font('Helvetica').moveDown(0.3);
    },
  };
  doc.font('Helvetica');
  for (const section of sections) section(doc, context, layout);
  decoratePages(doc, context);
  doc.end();
  return done;
}

/** Identity, period and zone at the top of every page; author, time and page number at the bottom. */
function decoratePages(doc: Doc, context: ReportContext) {
  const { report, times, t } = context;
  const { patient } = report;
  const range = doc.bufferedPageRange();
  const width = doc.page.width - 2 * MARGIN;
  const age = ageInYears(patient.date_of_birth, context.now);
  const identity = [patient.external_id ? t('records.report.studyId', { id: patient.external_id }) : null,
    t('signin.identity.born', { date: patient.date_of_birth, age }), t('records.report.sex', { sex: sexLabel(patient.sex, t) })].filter(Boolean).join('   ');
  const period = t(report.kind === 'record' ? 'records.report.periodRecording' : 'records.report.periodPeriod', {
    from: zoned(times, report.from), to: zoned(times, report.to), zone: times.zone,
  });
  const generated = t('records.report.generated', { name: context.generatedBy, when: zoned(times, context.generatedAt) });
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing in the margins must not make pdfkit start a page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica-Bold').fontSize(11).fillColor('#1b2330').text(pdfText(patient.name), MARGIN, MARGIN, { width: width * 0.45, lineBreak: false, ellipsis: true });
    doc.font('Helvetica').fontSize(8.5).fillColor('#1b2330').text(pdfText(identity), MARGIN + width * 0.45, MARGIN + 2, { width: width * 0.55, align: 'right', lineBreak: false, ellipsis: true });
    doc.fontSize(8).fillColor('#4d5868').text(pdfText(period), MARGIN, MARGIN + 17, { width, lineBreak: false, ellipsis: true });
    doc.save().lineWidth(0.8).strokeColor('#1b2330').moveTo(MARGIN, MARGIN + 30).lineTo(MARGIN + width, MARGIN + 30).stroke().restore();
    const footerY = doc.page.height - MARGIN - 10;
    doc.save().lineWidth(0.4).strokeColor('#8a94a3').moveTo(MARGIN, footerY - 6).lineTo(MARGIN + width, footerY - 6).stroke().restore();
    doc.fontSize(8).fillColor('#4d5868').text(pdfText(generated), MARGIN, footerY, { width: width * 0.75, lineBreak: false, ellipsis: true });
    doc.text(pdfText(t('records.report.page', { page: i + 1, count: range.count })), MARGIN + width * 0.75, footerY, { width: width * 0.25, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
}
