// Charts drawn as vector graphics into the PDF, with the axes of the screen (src/web/charts/axes.ts):
// the same value ticks, the same clinic-time ticks with the zone, nights shaded, flags and tags
// as labelled bands, gaps left empty.
import type PDFDocument from 'pdfkit';
import type { ChartBand } from '../../health/chart-bands.js';
import type { ChartData } from '../../health/chart-data.js';
import type { ChannelDisplay } from '../../health/channel-display.js';
import { stepDecimals, timeTicks, valueAxis } from '../charts/axes.js';
import type { Translator } from '../../i18n/translate.js';
import type { TimeFormat } from '../format.js';
import { channelLabel, channelUnit, positionLabel, severityWord } from '../records/text.js';
import { pdfText } from './pdf-text.js';

type Doc = InstanceType<typeof PDFDocument>;

export const PDF_CHART = { gutterLeft: 46, gutterRight: 6, titleHeight: 13, plotHeight: 62, axisHeight: 22 } as const;
export const PDF_CHART_HEIGHT = PDF_CHART.titleHeight + PDF_CHART.plotHeight + PDF_CHART.axisHeight;

const BAND_COLOUR: Record<string, [string, number]> = {
  night: ['#38488c', 0.12], tag: ['#00806e', 0.18], high: ['#b3261e', 0.22], medium: ['#d67800', 0.22], low: ['#c8aa00', 0.25],
};

export interface ChartFrame { x: number; y: number; width: number; from: number; to: number; t: Translator; times: TimeFormat; bands: ChartBand[] }

/** One channel over the frame's span, from one or more recordings (segments). Returns the height used. */
export function drawChannel(doc: Doc, frame: ChartFrame, display: ChannelDisplay, segments: ChartData[]): number {
  const plot = plotArea(frame);
  const { t } = frame;
  title(doc, frame, display.categorical ? channelLabel(t, display) : `${channelLabel(t, display)} (${channelUnit(t, display)})`);
  if (display.categorical) {
    const y = (code: number) => plot.top + 4 + ((5 - code) / 4) * (plot.height - 8);
    frameAndBands(doc, frame, plot, [1, 2, 3, 4, 5].map((code) => ({ value: code, label: positionLabel(t, code, true), y: y(code) })));
    doc.save().fillColor('#6b4fbb');
    for (const segment of segments) {
      const steps = segment.sleepPosition;
      if (!steps) continue;
      steps.times.forEach((start, i) => {
        const value = steps.values[i];
        if (value === null || value === undefined) return;
        const x0 = clampX(plot, xOf(frame, plot, Math.max(start, segment.summary.from)));
        const x1 = clampX(plot, xOf(frame, plot, Math.min(steps.times[i + 1] ?? segment.summary.to, segment.summary.to)));
        if (x1 > x0) doc.rect(x0, y(value) - 1.5, Math.max(0.5, x1 - x0), 3).fill();
      });
    }
    doc.restore();
  } else {
    const channels = segments.map((s) => ({ data: s, channel: s.channels.find((c) => c.datatype === display.datatype) }));
    const values = channels.flatMap(({ channel }) => (channel ? [...channel.min, ...channel.max] : [])).filter((v): v is number => v !== null).map((v) => v * display.scale);
    if (values.length === 0) {
      frameAndBands(doc, frame, plot, []);
      doc.fontSize(8).fillColor('#4d5868').text(pdfText(t('records.report.noChannelData', { channel: channelLabel(t, display).toLowerCase() })), plot.left + 6, plot.top + plot.height / 2 - 4, { lineBreak: false });
    } else {
      const axis = valueAxis(Math.min(...values), Math.max(...values), 10 ** -display.decimals);
      const decimals = stepDecimals(axis.step);
      const y = (v: number) => plot.top + plot.height - ((v - axis.min) / (axis.max - axis.min)) * plot.height;
      frameAndBands(doc, frame, plot, axis.ticks.map((value) => ({ value, y: y(value), label: frame.times.number(value, Math.min(decimals, 3)) })));
      doc.save().lineWidth(0.4).fillColor('#0b5cad').strokeColor('#0b5cad').fillOpacity(0.45);
      for (const { data, channel } of channels) {
        if (!channel) continue;
        const bucketMs = data.bucketSeconds * 1000;
        for (const run of runsWithData(channel.min, channel.max)) {
          const x = (i: number, edge: 0 | 1) => clampX(plot, xOf(frame, plot, Math.min(data.summary.to, Math.max(data.summary.from, data.times[i]! + edge * bucketMs))));
          const upper = run.flatMap((i) => [[x(i, 0), y(channel.max[i]! * display.scale)], [x(i, 1), y(channel.max[i]! * display.scale)]] as [number, number][]);
          const lower = [...run].reverse().flatMap((i) => [[x(i, 1), y(channel.min[i]! * display.scale)], [x(i, 0), y(channel.min[i]! * display.scale)]] as [number, number][]);
          doc.polygon(...upper, ...lower).fillAndStroke();
        }
      }
      doc.restore();
    }
  }
  timeAxis(doc, frame, plot);
  return PDF_CHART_HEIGHT;
}

interface Plot { left: number; top: number; width: number; height: number }

function plotArea(frame: ChartFrame): Plot {
  return { left: frame.x + PDF_CHART.gutterLeft, top: frame.y + PDF_CHART.titleHeight, width: frame.width - PDF_CHART.gutterLeft - PDF_CHART.gutterRight, height: PDF_CHART.plotHeight };
}

const xOf = (frame: ChartFrame, plot: Plot, t: number) => plot.left + ((t - frame.from) / (frame.to - frame.from)) * plot.width;
const clampX = (plot: Plot, x: number) => Math.min(plot.left + plot.width, Math.max(plot.left, x));

function title(doc: Doc, frame: ChartFrame, text: string) {
  doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#1b2330').text(pdfText(text), frame.x, frame.y + 1, { lineBreak: false });
  doc.font('Helvetica');
}

function frameAndBands(doc: Doc, frame: ChartFrame, plot: Plot, ticks: { value: number; label: string; y: number }[]) {
  for (const band of frame.bands) {
    const x0 = clampX(plot, xOf(frame, plot, band.from));
    const x1 = clampX(plot, xOf(frame, plot, band.to));
    if (x1 <= x0) continue;
    const [colour, opacity] = BAND_COLOUR[band.kind === 'flag' ? band.severity ?? 'medium' : band.kind]!;
    doc.save().fillColor(colour).fillOpacity(opacity).rect(x0, plot.top, x1 - x0, plot.height).fill().restore();
    if (band.kind !== 'night') {
      doc.fontSize(6.5).fillColor('#1b2330').text(pdfText(band.severity ? frame.t('records.report.bandSeverity', { label: band.label, severity: severityWord(frame.t, band.severity, true) }) : band.label), x0 + 2, plot.top + 2, { lineBreak: false, width: Math.max(20, x1 - x0 + 60), ellipsis: true });
    }
  }
  doc.save().lineWidth(0.3).strokeColor('#c5ccd6');
  for (const tick of ticks) doc.moveTo(plot.left, tick.y).lineTo(plot.left + plot.width, tick.y).stroke();
  doc.restore();
  doc.fontSize(7).fillColor('#4d5868');
  for (const tick of ticks) doc.text(pdfText(tick.label), frame.x, tick.y - 3, { width: PDF_CHART.gutterLeft - 4, align: 'right', lineBreak: false });
  doc.save().lineWidth(0.5).strokeColor('#8a94a3').rect(plot.left, plot.top, plot.width, plot.height).stroke().restore();
}

function timeAxis(doc: Doc, frame: ChartFrame, plot: Plot) {
  const bottom = plot.top + plot.height;
  doc.fontSize(6.5).fillColor('#4d5868');
  for (const tick of timeTicks(frame.from, frame.to, frame.times.zone, Math.max(2, Math.floor(plot.width / 55)), frame.times)) {
    const x = xOf(frame, plot, tick.at);
    doc.save().lineWidth(0.3).strokeColor('#c5ccd6').moveTo(x, plot.top).lineTo(x, bottom + 2).stroke().restore();
    const label = tick.zone ? `${tick.time} ${tick.zone}` : tick.time;
    doc.text(pdfText(label), x - 30, bottom + 3, { width: 60, align: 'center', lineBreak: false });
    if (tick.date) doc.text(pdfText(tick.date), x - 30, bottom + 11, { width: 60, align: 'center', lineBreak: false });
  }
}

function runsWithData(min: (number | null)[], max: (number | null)[]): number[][] {
  const runs: number[][] = [];
  max.forEach((value, i) => {
    if (value === null || min[i] === null) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  });
  return runs;
}
