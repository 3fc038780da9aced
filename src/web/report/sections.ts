// The sections of the clinical report that HMS draws today: the summary of the period (per
// channel, heart-rate zones, sleep positions, and per day for a period), the gaps, and the chart
// pages. Each takes the document where the previous one left it.
import { CHANNEL_DISPLAY, displayOf, formatValue } from '../../health/channel-display.js';
import type { ReportPage } from '../../health/report-data.js';
import type { WindowSummary } from '../../health/window-summary.js';
import { formatDuration } from '../format.js';
import { formatGap, NAMED_GAP_MS } from '../records/summary-panel.js';
import { drawChannel, PDF_CHART_HEIGHT } from './pdf-chart.js';
import type { Doc, PageLayout, ReportContext } from './pdf-report.js';
import { pdfText } from './pdf-text.js';

const INK = '#1b2330';
const MUTED = '#4d5868';

/** A small table: first row is the header; columns share the width as given (fractions). */
export function table(doc: Doc, layout: PageLayout, rows: string[][], widths: number[], align: ('left' | 'right')[] = []) {
  const rowHeight = 13;
  rows.forEach((row, r) => {
    layout.ensureSpace(rowHeight + 2);
    const y = doc.y;
    let x = layout.left;
    doc.font(r === 0 ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5).fillColor(r === 0 ? MUTED : INK);
    row.forEach((cell, c) => {
      const width = widths[c]! * layout.width;
      doc.text(pdfText(cell), x + 2, y + 2, { width: width - 4, align: align[c] ?? 'left', lineBreak: false, ellipsis: true });
      x += width;
    });
    doc.save().lineWidth(0.3).strokeColor('#c5ccd6').moveTo(layout.left, y + rowHeight).lineTo(layout.left + layout.width, y + rowHeight).stroke().restore();
    doc.x = layout.left;
    doc.y = y + rowHeight + 1;
  });
  doc.font('Helvetica').moveDown(0.4);
}

function paragraph(doc: Doc, layout: PageLayout, text: string, colour = INK, size = 9) {
  layout.ensureSpace(14);
  doc.font('Helvetica').fontSize(size).fillColor(colour).text(pdfText(text), layout.left, doc.y, { width: layout.width });
}

function channelRows(summary: WindowSummary): string[][] {
  return [['Channel', 'Unit', 'Min', 'Avg', 'Max', 'Seconds with data'],
    ...summary.channels.filter((s) => !displayOf(s.datatype).categorical).map((s) => {
      const display = displayOf(s.datatype);
      return [display.label, display.unit, formatValue(display, s.minimum), formatValue(display, s.average), formatValue(display, s.maximum), formatDuration(s.sampleCount)];
    })];
}

export function summarySection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { report, times } = context;
  const { summary } = report;
  doc.font('Helvetica-Bold').fontSize(16).fillColor(INK)
    .text(report.kind === 'record' ? 'Clinical report: recording' : 'Clinical report: period', layout.left, layout.top);
  paragraph(doc, layout, `${times.dateTime(report.from)} ${times.zoneAbbreviation(report.from)} to ${times.dateTime(report.to)} ${times.zoneAbbreviation(report.to)} (${formatDuration(summary.windowSeconds)}), times in ${times.zone}.`, MUTED);
  const coverage = summary.windowSeconds > 0 ? Math.round((summary.coveredSeconds / summary.windowSeconds) * 100) : 0;
  paragraph(doc, layout, `Coverage: ${coverage} % of the period has a heart-rate value (${formatDuration(summary.coveredSeconds)}).`);

  layout.heading('Summary per channel');
  table(doc, layout, channelRows(summary), [0.28, 0.1, 0.12, 0.12, 0.12, 0.26], ['left', 'left', 'right', 'right', 'right', 'right']);
  paragraph(doc, layout, `${CHANNEL_DISPLAY.filter((d) => d.unitMeaning).map((d) => d.unitMeaning).join('; ')}.`, MUTED, 8);

  if (summary.zones.length > 0) {
    layout.heading('Time in heart-rate zones');
    paragraph(doc, layout, `Zones of an age-predicted maximum heart rate of ${summary.heartRateMaxBpm} bpm (220 - age).`, MUTED, 8);
    table(doc, layout, [['Zone', 'Heart rate', 'Time'], ...summary.zones.map((zone) => [
      zone.zone === 0 ? 'Below zone 1' : `Zone ${zone.zone}`,
      zone.upperBpm ? `${Math.round(zone.lowerBpm)}–${Math.round(zone.upperBpm)} bpm` : `${Math.round(zone.lowerBpm)}+ bpm`,
      formatDuration(zone.seconds),
    ])], [0.3, 0.35, 0.35], ['left', 'left', 'right']);
  }
  if (summary.positions.length > 0) {
    layout.heading('Time per sleep position');
    table(doc, layout, [['Position', 'Time'], ...summary.positions.map((p) => [p.label, formatDuration(p.seconds)])], [0.65, 0.35], ['left', 'right']);
  }
  if (report.kind === 'period') {
    layout.heading('Day by day');
    table(doc, layout, [['Day', 'Recorded', 'HR min', 'HR avg', 'HR max', 'BR avg', 'MV avg'], ...report.pages.map((page) => dayRow(context, page))],
      [0.22, 0.16, 0.12, 0.12, 0.12, 0.13, 0.13], ['left', 'right', 'right', 'right', 'right', 'right', 'right']);
  }
}

function dayRow(context: ReportContext, page: ReportPage): string[] {
  const of = (datatype: number) => page.summary.channels.find((s) => s.datatype === datatype);
  const hr = of(19);
  const display = (datatype: number) => displayOf(datatype);
  return [context.times.weekdayDate(page.from + 12 * 3_600_000), formatDuration(page.summary.coveredSeconds),
    formatValue(display(19), hr?.minimum), formatValue(display(19), hr?.average), formatValue(display(19), hr?.maximum),
    formatValue(display(33), of(33)?.average), formatValue(display(36), of(36)?.average)];
}

export function gapsSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const gaps = context.report.pages.flatMap((page) => page.segments.flatMap((s) => s.gaps)).filter((gap) => gap.to - gap.from >= NAMED_GAP_MS);
  layout.heading('Gaps in the data');
  if (gaps.length === 0) {
    paragraph(doc, layout, 'No gap of a minute or more while recording.', MUTED);
    return;
  }
  const listed = gaps.slice(0, 30).map((gap) => `${context.times.weekdayDate(gap.from)} ${formatGap(context.times, gap)} (${formatDuration((gap.to - gap.from) / 1000)})`);
  paragraph(doc, layout, listed.join('; ') + (gaps.length > 30 ? `; and ${gaps.length - 30} more.` : '.'));
}

export function chartPagesSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { times } = context;
  for (const page of context.report.pages) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text(pdfText(context.report.kind === 'record'
      ? 'Charts of the recording'
      : `Charts of ${times.weekdayDate(page.from + 12 * 3_600_000)} ${times.date(page.from + 12 * 3_600_000).slice(-4)}`), layout.left, layout.top);
    if (page.segments.length === 0) {
      paragraph(doc, layout, 'No recording on this day.', MUTED);
      continue;
    }
    const coverage = page.summary.windowSeconds > 0 ? Math.round((page.summary.coveredSeconds / page.summary.windowSeconds) * 100) : 0;
    paragraph(doc, layout, `${times.dateTime(page.from)} to ${times.dateTime(page.to)} ${times.zoneAbbreviation(page.to)}; coverage ${coverage} %. Shaded: night (22:00–07:00); coloured bands: flags and tagged events.`, MUTED, 8);
    let y = doc.y + 4;
    const present = new Set(page.segments.flatMap((s) => [...s.channels.map((c) => c.datatype), ...(s.sleepPosition ? [270] : [])]));
    for (const display of CHANNEL_DISPLAY.filter((d) => present.has(d.datatype))) {
      if (y + PDF_CHART_HEIGHT > layout.bottom) {
        doc.addPage();
        y = layout.top;
      }
      y += drawChannel(doc, { x: layout.left, y, width: layout.width, from: page.from, to: page.to, times, bands: page.bands }, display, page.segments) + 6;
    }
    doc.x = layout.left;
    doc.y = y;
  }
}
