// The sections of the clinical report that HMS draws today: the summary of the period (per
// channel, heart-rate zones, sleep positions, and per day for a period), the gaps, and the chart
// pages. Each takes the document where the previous one left it.
import { CHANNEL_DISPLAY, displayOf } from '../../health/channel-display.js';
import type { ReportPage } from '../../health/report-data.js';
import type { WindowSummary } from '../../health/window-summary.js';
import { formatGap, NAMED_GAP_MS } from '../records/summary-panel.js';
import { channelLabel, channelUnit, channelValue, durationText, localizedBands, positionLabel, unitMeanings, zoned } from '../records/text.js';
import { drawChannel, PDF_CHART_HEIGHT } from './pdf-chart.js';
import type { Doc, PageLayout, ReportContext } from './pdf-report.js';
import { pdfText } from './pdf-text.js';

const INK = '#1b2330';
const MUTED = '#4d5868';

const CELL_SIZE = 8.5;

/**
 * A cell of two one-letter words ("0 s", "1 h": durationText) alone on its line has a single gap,
 * which pdftotext and the viewers built on poppler read as no word break when it is narrower than
 * about 0.4 em: copied or read aloud, it said "0s". Half an em between the two keeps them apart.
 */
function wordSpacingOf(doc: Doc, text: string): number {
  return /^\S\s\S$/u.test(text) ? Math.max(0, CELL_SIZE / 2 - doc.widthOfString(' ')) : 0;
}

/** A small table: first row is the header; columns share the width as given (fractions). */
export function table(doc: Doc, layout: PageLayout, rows: string[][], widths: number[], align: ('left' | 'right')[] = []) {
  const rowHeight = 13;
  rows.forEach((row, r) => {
    layout.ensureSpace(rowHeight + 2);
    const y = doc.y;
    let x = layout.left;
    doc.font(r === 0 ? 'Helvetica-Bold' : 'Helvetica').fontSize(CELL_SIZE).fillColor(r === 0 ? MUTED : INK);
    row.forEach((cell, c) => {
      const width = widths[c]! * layout.width;
      const text = pdfText(cell);
      doc.text(text, x + 2, y + 2, { width: width - 4, align: align[c] ?? 'left', lineBreak: false, ellipsis: true, wordSpacing: wordSpacingOf(doc, text) });
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

function channelRows({ t, times }: ReportContext, summary: WindowSummary): string[][] {
  return [[t('records.summary.channel'), t('records.report.unit'), t('records.summary.min'), t('records.summary.avg'), t('records.summary.max'), t('records.report.secondsWithData')],
    ...summary.channels.filter((s) => !displayOf(s.datatype).categorical).map((s) => {
      const display = displayOf(s.datatype);
      return [channelLabel(t, display), channelUnit(t, display), channelValue(times, display, s.minimum), channelValue(times, display, s.average),
        channelValue(times, display, s.maximum), durationText(t, s.sampleCount)];
    })];
}

export function summarySection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { report, times, t } = context;
  const { summary } = report;
  doc.font('Helvetica-Bold').fontSize(16).fillColor(INK)
    .text(pdfText(t(report.kind === 'record' ? 'records.report.titleRecording' : 'records.report.titlePeriod')), layout.left, layout.top);
  paragraph(doc, layout, t('records.report.span', { from: zoned(times, report.from), to: zoned(times, report.to), duration: durationText(t, summary.windowSeconds), zone: times.zone }), MUTED);
  const coverage = summary.windowSeconds > 0 ? Math.round((summary.coveredSeconds / summary.windowSeconds) * 100) : 0;
  paragraph(doc, layout, t('records.report.coverage', { percent: coverage, duration: durationText(t, summary.coveredSeconds) }));

  layout.heading(t('records.report.summaryHeading'));
  table(doc, layout, channelRows(context, summary), [0.28, 0.1, 0.12, 0.12, 0.12, 0.26], ['left', 'left', 'right', 'right', 'right', 'right']);
  paragraph(doc, layout, unitMeanings(t, CHANNEL_DISPLAY), MUTED, 8);

  if (summary.zones.length > 0) {
    layout.heading(t('records.report.zonesHeading'));
    paragraph(doc, layout, t('records.report.zonesHint', { max: summary.heartRateMaxBpm }), MUTED, 8);
    table(doc, layout, [[t('records.report.zone'), t('records.channel.heartRate'), t('records.report.time')], ...summary.zones.map((zone) => [
      zone.zone === 0 ? t('records.summary.belowZone1') : t('records.summary.zone', { zone: zone.zone }),
      zone.upperBpm ? t('records.summary.zoneRange', { lower: Math.round(zone.lowerBpm), upper: Math.round(zone.upperBpm) }) : t('records.summary.zoneOpen', { lower: Math.round(zone.lowerBpm) }),
      durationText(t, zone.seconds),
    ])], [0.3, 0.35, 0.35], ['left', 'left', 'right']);
  }
  if (summary.positions.length > 0) {
    layout.heading(t('records.report.positionsHeading'));
    table(doc, layout, [[t('records.report.position'), t('records.report.time')], ...summary.positions.map((p) => [positionLabel(t, p.code), durationText(t, p.seconds)])], [0.65, 0.35], ['left', 'right']);
  }
  if (report.kind === 'period') {
    layout.heading(t('records.report.dayByDay'));
    table(doc, layout, [[t('records.report.day'), t('records.report.recorded'), t('records.report.heartRateMin'), t('records.report.heartRateAvg'), t('records.report.heartRateMax'),
      t('records.report.breathingRateAvg'), t('records.report.ventilationAvg')], ...report.pages.map((page) => dayRow(context, page))],
      [0.22, 0.16, 0.12, 0.12, 0.12, 0.13, 0.13], ['left', 'right', 'right', 'right', 'right', 'right', 'right']);
  }
}

function dayRow(context: ReportContext, page: ReportPage): string[] {
  const of = (datatype: number) => page.summary.channels.find((s) => s.datatype === datatype);
  const hr = of(19);
  const value = (datatype: number, v: number | null | undefined) => channelValue(context.times, displayOf(datatype), v);
  return [context.times.weekdayDate(page.from + 12 * 3_600_000), durationText(context.t, page.summary.coveredSeconds),
    value(19, hr?.minimum), value(19, hr?.average), value(19, hr?.maximum), value(33, of(33)?.average), value(36, of(36)?.average)];
}

export function gapsSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const gaps = context.report.pages.flatMap((page) => page.segments.flatMap((s) => s.gaps)).filter((gap) => gap.to - gap.from >= NAMED_GAP_MS);
  const { t, times } = context;
  layout.heading(t('records.report.gapsHeading'));
  if (gaps.length === 0) {
    paragraph(doc, layout, t('records.report.noGap'), MUTED);
    return;
  }
  const list = gaps.slice(0, 30).map((gap) => `${times.weekdayDate(gap.from)} ${formatGap(t, times, gap)} (${durationText(t, (gap.to - gap.from) / 1000)})`).join('; ');
  paragraph(doc, layout, gaps.length > 30 ? t('records.report.gapListMore', { list, count: gaps.length - 30 }) : t('records.report.gapList', { list }));
}

export function chartPagesSection(doc: Doc, context: ReportContext, layout: PageLayout) {
  const { times, t } = context;
  for (const page of context.report.pages) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text(pdfText(context.report.kind === 'record'
      ? t('records.report.chartsRecording')
      : t('records.report.chartsDay', { day: times.weekdayDate(page.from + 12 * 3_600_000), year: times.date(page.from + 12 * 3_600_000).slice(-4) })), layout.left, layout.top);
    if (page.segments.length === 0) {
      paragraph(doc, layout, t('records.report.noRecordingDay'), MUTED);
      continue;
    }
    const coverage = page.summary.windowSeconds > 0 ? Math.round((page.summary.coveredSeconds / page.summary.windowSeconds) * 100) : 0;
    paragraph(doc, layout, t('records.report.chartsHint', { from: times.dateTime(page.from), to: times.dateTime(page.to), zone: times.zoneAbbreviation(page.to), percent: coverage }), MUTED, 8);
    const bands = localizedBands(page.bands, t, times);
    let y = doc.y + 4;
    const present = new Set(page.segments.flatMap((s) => [...s.channels.map((c) => c.datatype), ...(s.sleepPosition ? [270] : [])]));
    for (const display of CHANNEL_DISPLAY.filter((d) => present.has(d.datatype))) {
      if (y + PDF_CHART_HEIGHT > layout.bottom) {
        doc.addPage();
        y = layout.top;
      }
      y += drawChannel(doc, { x: layout.left, y, width: layout.width, from: page.from, to: page.to, t, times, bands }, display, page.segments) + 6;
    }
    doc.x = layout.left;
    doc.y = y;
  }
}
