// Charts drawn on the server as SVG: what a browser without JavaScript shows (and what the
// interactive uPlot charts replace), with the same order, axes, night bands and gaps as those.
// Min/max per bucket as a band; gaps stay gaps.
import type { ChannelBuckets, ChartData } from '../../health/chart-data.js';
import type { ChannelDisplay } from '../../health/channel-display.js';
import type { ChartBand } from '../../health/chart-bands.js';
import { stepDecimals, timeTicks, valueAxis } from '../charts/axes.js';
import { CHART } from '../charts/geometry.js';
import type { TimeFormat } from '../format.js';
import { usePage } from '../views/page-context.js';
import { channelLabel, channelUnit, positionLabel } from './text.js';

const WIDTH = 1000;
const HEIGHT = 170;
const PLOT_W = WIDTH - CHART.gutterLeft - CHART.gutterRight;
const PLOT_H = HEIGHT - CHART.top - CHART.bottom;

interface Frame { from: number; to: number; times: TimeFormat }

const xOf = (frame: Frame, t: number) => CHART.gutterLeft + ((t - frame.from) / (frame.to - frame.from)) * PLOT_W;

function Bands(props: { frame: Frame; bands: ChartBand[] }) {
  return (
    <g class="bands">
      {props.bands.map((band) => {
        const x0 = Math.max(CHART.gutterLeft, xOf(props.frame, band.from));
        const x1 = Math.min(WIDTH - CHART.gutterRight, xOf(props.frame, band.to));
        if (x1 <= x0) return null;
        return (
          <g key={`${band.kind}-${band.from}`} class={`band-${band.kind}${band.severity ? ` severity-${band.severity}` : ''}`}>
            <rect x={x0.toFixed(1)} y={CHART.top} width={(x1 - x0).toFixed(1)} height={PLOT_H}><title>{band.label}</title></rect>
            {band.kind !== 'night' && <text x={(x0 + 3).toFixed(1)} y={CHART.top + 12} class="band-label">{band.label}</text>}
          </g>
        );
      })}
    </g>
  );
}

function TimeAxis(props: { frame: Frame }) {
  const { frame } = props;
  const ticks = timeTicks(frame.from, frame.to, frame.times.zone, 8, frame.times);
  const bottom = HEIGHT - CHART.bottom;
  return (
    <g class="axis axis-x">
      {ticks.map((tick) => {
        const x = xOf(frame, tick.at);
        return (
          <g key={tick.at}>
            <line x1={x.toFixed(1)} x2={x.toFixed(1)} y1={CHART.top} y2={bottom} class="grid" />
            <text x={x.toFixed(1)} y={bottom + 14} text-anchor="middle">{tick.zone ? `${tick.time} ${tick.zone}` : tick.time}</text>
            {tick.date && <text x={x.toFixed(1)} y={bottom + 28} text-anchor="middle">{tick.date}</text>}
          </g>
        );
      })}
    </g>
  );
}

function ValueTicks(props: { ticks: { value: number; label: string }[]; y: (v: number) => number }) {
  return (
    <g class="axis axis-y">
      {props.ticks.map(({ value, label }) => (
        <g key={value}>
          <line x1={CHART.gutterLeft} x2={WIDTH - CHART.gutterRight} y1={props.y(value).toFixed(1)} y2={props.y(value).toFixed(1)} class="grid" />
          <text x={CHART.gutterLeft - 6} y={(props.y(value) + 4).toFixed(1)} text-anchor="end">{label}</text>
        </g>
      ))}
    </g>
  );
}

export function ChannelSvg(props: { data: ChartData; channel: ChannelBuckets; display: ChannelDisplay; times: TimeFormat }) {
  const { data, channel, display, times } = props;
  const { t } = usePage();
  const label = channelLabel(t, display);
  const frame: Frame = { from: data.summary.from, to: data.summary.to, times };
  const values = [...channel.min, ...channel.max].filter((v): v is number => v !== null).map((v) => v * display.scale);
  if (values.length === 0 || frame.to <= frame.from) return <p class="empty">{t('records.chart.noData', { channel: label.toLowerCase() })}</p>;
  const axis = valueAxis(Math.min(...values), Math.max(...values), 10 ** -display.decimals);
  const y = (v: number) => CHART.top + PLOT_H - ((v - axis.min) / (axis.max - axis.min)) * PLOT_H;
  const decimals = stepDecimals(axis.step);
  const bucketMs = data.bucketSeconds * 1000;
  // One polygon per run of buckets with data: along the maxima, back along the minima.
  const runs: number[][] = [];
  channel.max.forEach((value, i) => {
    if (value === null || channel.min[i] === null) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  });
  const clampX = (x: number) => Math.min(WIDTH - CHART.gutterRight, Math.max(CHART.gutterLeft, x));
  const point = (i: number, edge: 0 | 1, v: number) => `${clampX(xOf(frame, data.times[i]! + edge * bucketMs)).toFixed(1)},${y(v * display.scale).toFixed(1)}`;
  const points = (run: number[]) => [...run.flatMap((i) => [point(i, 0, channel.max[i]!), point(i, 1, channel.max[i]!)]),
    ...[...run].reverse().flatMap((i) => [point(i, 1, channel.min[i]!), point(i, 0, channel.min[i]!)])].join(' ');
  const low = Math.min(...values).toLocaleString(t.locale, { maximumFractionDigits: display.decimals });
  const high = Math.max(...values).toLocaleString(t.locale, { maximumFractionDigits: display.decimals });
  return (
    <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img"
      aria-label={t('records.chart.aria', { channel: label, from: times.dateTime(frame.from), to: times.dateTime(frame.to), low, high, unit: channelUnit(t, display) })}>
      <Bands frame={frame} bands={data.bands} />
      <ValueTicks y={y} ticks={axis.ticks.map((value) => ({ value, label: times.number(value, Math.min(decimals, 3)) }))} />
      <TimeAxis frame={frame} />
      {runs.map((run) => <polygon points={points(run)} class="series" key={run[0]} />)}
    </svg>
  );
}

export function SleepSvg(props: { data: ChartData; times: TimeFormat }) {
  const { data, times } = props;
  const { t } = usePage();
  const steps = data.sleepPosition;
  const frame: Frame = { from: data.summary.from, to: data.summary.to, times };
  if (!steps || steps.times.length === 0 || frame.to <= frame.from) return <p class="empty">{t('records.chart.noData', { channel: t('records.channel.sleepPosition').toLowerCase() })}</p>;
  // Standing at the top, belly at the bottom, as on the interactive chart.
  const y = (code: number) => CHART.top + 6 + ((5 - code) / 4) * (PLOT_H - 12);
  const clampX = (x: number) => Math.min(WIDTH - CHART.gutterRight, Math.max(CHART.gutterLeft, x));
  return (
    <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('records.chart.sleepAria', { from: times.dateTime(frame.from), to: times.dateTime(frame.to) })}>
      <Bands frame={frame} bands={data.bands} />
      <ValueTicks y={y} ticks={[1, 2, 3, 4, 5].map((code) => ({ value: code, label: positionLabel(t, code, true) }))} />
      <TimeAxis frame={frame} />
      {steps.times.map((start, i) => {
        const value = steps.values[i];
        if (value === null || value === undefined) return null;
        const x0 = clampX(xOf(frame, start));
        const x1 = clampX(xOf(frame, steps.times[i + 1] ?? data.to));
        if (x1 <= x0) return null;
        return <rect key={start} x={x0.toFixed(1)} y={(y(value) - 3).toFixed(1)} width={Math.max(1, x1 - x0).toFixed(1)} height="6" class="series-step" />;
      })}
    </svg>
  );
}
