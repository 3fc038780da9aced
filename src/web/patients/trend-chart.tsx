// One daily metric over 7, 30 or 90 days, drawn on the server: the patient's baseline band (14-day
// interquartile range, median dashed) behind the daily values; each point links to that day's
// recording. The values are also in a table below it (the way in for keyboards and screen readers).
import type { Trend, TrendPoint } from '../../health/trends.js';
import type { MetricDefinition } from '../../health/rules/daily-metrics.js';
import { dayLabel } from '../../health/rules/evaluate.js';

const HEIGHT = 100;

function formatValue(metric: MetricDefinition, value: number): string {
  return `${value.toFixed(metric.decimals)}${metric.unit ? ` ${metric.unit}` : ''}`;
}

export function TrendChart(props: { trend: Trend; days: string[]; id: string }) {
  const { trend, days } = props;
  const { metric, points } = trend;
  const latest = points[points.length - 1];
  const values = points.flatMap((p) => [p.value, ...(p.baseline ? [p.baseline.q1, p.baseline.q3] : [])]);
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const pad = (high - low) * 0.1 || Math.max(1, Math.abs(high) * 0.1);
  const [lo, hi] = [Math.max(0, low - pad), high + pad];
  const x = (day: string) => days.indexOf(day) + 0.5;
  const y = (v: number) => (HEIGHT - ((v - lo) / (hi - lo)) * HEIGHT).toFixed(2);
  const withBaseline = points.filter((p) => p.baseline);
  return (
    <figure class="trend" aria-labelledby={`${props.id}-caption`}>
      <figcaption id={`${props.id}-caption`}>
        <strong>{metric.label}</strong>{' '}
        {latest ? <span>{formatValue(metric, latest.value)} on {dayLabel(latest.day)}</span> : <span class="muted">no data in this period</span>}
        {latest?.baseline && <span class="muted"> · baseline {formatValue(metric, latest.baseline.median)} (IQR {latest.baseline.q1.toFixed(metric.decimals)}–{latest.baseline.q3.toFixed(metric.decimals)})</span>}
      </figcaption>
      {points.length > 0 && (
        <div class="trend-plot">
          <span class="trend-axis trend-axis-high" aria-hidden="true">{hi.toFixed(metric.decimals)}</span>
          <span class="trend-axis trend-axis-low" aria-hidden="true">{lo.toFixed(metric.decimals)}</span>
          <svg class="trend-svg" viewBox={`0 0 ${days.length} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
            {runs(withBaseline, days).map((run) => (
              <g key={run[0]!.day}>
                <polygon class="baseline-band" points={[...run.map((p) => `${x(p.day)},${y(p.baseline!.q3)}`), ...[...run].reverse().map((p) => `${x(p.day)},${y(p.baseline!.q1)}`)].join(' ')} />
                <polyline class="baseline-median" points={run.map((p) => `${x(p.day)},${y(p.baseline!.median)}`).join(' ')} />
              </g>
            ))}
            {runs(points, days).map((run) => <polyline class="trend-line" key={run[0]!.day} points={run.map((p) => `${x(p.day)},${y(p.value)}`).join(' ')} />)}
            {points.map((p) => {
              const dot = <line class="trend-point" x1={x(p.day)} y1={y(p.value)} x2={x(p.day)} y2={y(p.value)} />;
              return p.recordId ? <a href={`/records/${p.recordId}`} tabIndex={-1} key={p.day}>{dot}</a> : <g key={p.day}>{dot}</g>;
            })}
          </svg>
          <span class="trend-days" aria-hidden="true"><span>{dayLabel(days[0]!)}</span><span>{dayLabel(days[days.length - 1]!)}</span></span>
        </div>
      )}
      {points.length > 0 && (
        <details class="trend-table">
          <summary>Values by day<span class="visually-hidden">: {metric.label}</span></summary>
          <table class="data-table compact">
            <thead><tr><th scope="col">Day</th><th scope="col">{metric.label}</th><th scope="col">Baseline median (IQR)</th></tr></thead>
            <tbody>
              {[...points].reverse().map((p) => (
                <tr key={p.day}>
                  <th scope="row">{p.recordId ? <a href={`/records/${p.recordId}`}>{dayLabel(p.day)}</a> : dayLabel(p.day)}</th>
                  <td>{formatValue(metric, p.value)}</td>
                  <td>{p.baseline ? `${p.baseline.median.toFixed(metric.decimals)} (${p.baseline.q1.toFixed(metric.decimals)}–${p.baseline.q3.toFixed(metric.decimals)})` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}

/** Points of consecutive days, so that a missing day breaks the line instead of bridging it. */
function runs(points: TrendPoint[], days: string[]): TrendPoint[][] {
  const result: TrendPoint[][] = [];
  for (const point of points) {
    const last = result[result.length - 1];
    const previous = last?.[last.length - 1];
    if (previous && days.indexOf(point.day) === days.indexOf(previous.day) + 1) last!.push(point);
    else result.push([point]);
  }
  return result;
}
