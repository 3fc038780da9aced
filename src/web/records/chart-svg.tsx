// Charts drawn on the server as SVG: what a browser without JavaScript shows, and what the
// interactive uPlot charts replace. Min/max per bucket as a band; gaps stay gaps.
import type { ChannelBuckets, ChartData } from '../../health/chart-data.js';
import { SLEEP_POSITIONS } from '../../health/channels.js';

const WIDTH = 1000;
const HEIGHT = 110;

export function ChannelSvg(props: { data: ChartData; channel: ChannelBuckets; label: string }) {
  const { data, channel } = props;
  const values = [...channel.min, ...channel.max].filter((v): v is number => v !== null);
  if (values.length === 0) return <p class="empty">No samples in this window.</p>;
  const low = Math.min(...values);
  const high = Math.max(...values);
  const y = (v: number) => (high === low ? HEIGHT / 2 : HEIGHT - 4 - ((v - low) / (high - low)) * (HEIGHT - 8));
  const x = (i: number) => (i / Math.max(1, data.times.length - 1)) * WIDTH;
  // One polygon per run of buckets with data: up along the maxima, back along the minima.
  const runs: number[][] = [];
  channel.max.forEach((value, i) => {
    if (value === null || channel.min[i] === null) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  });
  const points = (run: number[]) => [...run.map((i) => `${x(i).toFixed(1)},${y(channel.max[i]!).toFixed(1)}`),
    ...[...run].reverse().map((i) => `${x(i).toFixed(1)},${y(channel.min[i]!).toFixed(1)}`)].join(' ');
  return (
    <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img"
      aria-label={`${props.label}: from ${low} to ${high}`}>
      <Bands data={data} />
      {runs.map((run) => <polygon points={points(run)} class="band" key={run[0]} />)}
    </svg>
  );
}

export function SleepSvg(props: { data: ChartData }) {
  const steps = props.data.sleepPosition;
  if (!steps || steps.times.length === 0) return <p class="empty">No sleep position in this window.</p>;
  const span = props.data.to - props.data.from;
  const x = (t: number) => ((t - props.data.from) / span) * WIDTH;
  // Standing at the top, belly at the bottom, as on the interactive chart.
  const y = (code: number) => 8 + ((SLEEP_POSITIONS.length - code) / (SLEEP_POSITIONS.length - 1)) * (HEIGHT - 16);
  return (
    <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Sleep position over time">
      <Bands data={props.data} />
      {steps.times.map((start, i) => {
        const value = steps.values[i];
        if (value === null || value === undefined) return null;
        const end = steps.times[i + 1] ?? props.data.to;
        return <rect key={start} x={x(start).toFixed(1)} y={(y(value) - 3).toFixed(1)} width={Math.max(1, x(end) - x(start)).toFixed(1)} height="6" class={`position-${value}`} />;
      })}
    </svg>
  );
}

/** Flags and tagged events behind the data: full-height shaded ranges (the page lists them in words). */
function Bands(props: { data: ChartData }) {
  const { from, to, bands } = props.data;
  const x = (t: number) => ((Math.min(to, Math.max(from, t)) - from) / (to - from)) * WIDTH;
  return (
    <>
      {bands.map((band) => (
        <rect key={`${band.kind}-${band.from}`} class={`chart-band chart-band-${band.kind}${band.severity ? ` chart-band-${band.severity}` : ''}`}
          x={x(band.from).toFixed(1)} y="0" width={Math.max(2, x(band.to) - x(band.from)).toFixed(1)} height={HEIGHT}>
          <title>{band.label}</title>
        </rect>
      ))}
    </>
  );
}
