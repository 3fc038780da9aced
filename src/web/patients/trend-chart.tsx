// One daily metric over 7, 30 or 90 days, drawn on the server: the patient's baseline band (14-day
// interquartile range, median dashed) behind the daily values; each point links to that day's
// recording. The values are also in a table below it (the way in for keyboards and screen readers).
import type { Trend, TrendPoint } from '../../health/trends.js';
import type { MetricDefinition } from '../../health/rules/daily-metrics.js';
import type { Translator } from '../../i18n/translate.js';
import type { TimeFormat } from '../format.js';
import { usePage } from '../views/page-context.js';

const HEIGHT = 100;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tue 24 Nov", "mar. 24 nov.": a clinic day (YYYY-MM-DD) in the page's language. */
export function dayText(day: string, locale: string): string {
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
    dayFormats.set(locale, format);
  }
  return format.format(Date.parse(`${day}T12:00:00Z`)).replace(',', '');
}

/** A daily metric's name in the page's language, by its id. */
export function metricLabel(metric: MetricDefinition, t: Translator): string {
  return t('patients.trends.metric', { id: metric.id });
}

function formatValue(metric: MetricDefinition, value: number, t: Translator, times: TimeFormat): string {
  return metric.unit ? times.measure(value, t('patients.trends.unit', { unit: metric.unit }), metric.decimals) : times.number(value, metric.decimals);
}

export function TrendChart(props: { trend: Trend; days: string[]; id: string }) {
  const { trend, days } = props;
  const { metric, points } = trend;
  const { t, times } = usePage();
  const label = metricLabel(metric, t);
  const dayLabel = (day: string) => dayText(day, t.locale);
  const plain = (value: number) => times.number(value, metric.decimals);
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
        <strong>{label}</strong>{' '}
        {latest
          ? <span>{t('patients.trends.latest', { value: formatValue(metric, latest.value, t, times), day: dayLabel(latest.day) })}</span>
          : <span class="muted">{t('patients.trends.noData')}</span>}
        {latest?.baseline && <span class="muted"> · {t('patients.trends.baseline', {
          median: formatValue(metric, latest.baseline.median, t, times), q1: plain(latest.baseline.q1), q3: plain(latest.baseline.q3),
        })}</span>}
      </figcaption>
      {points.length > 0 && (
        <div class="trend-plot">
          <span class="trend-axis trend-axis-high" aria-hidden="true">{plain(hi)}</span>
          <span class="trend-axis trend-axis-low" aria-hidden="true">{plain(lo)}</span>
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
          <summary>{t('patients.trends.valuesByDay')}<span class="visually-hidden">{t('patients.trends.colon')}{label}</span></summary>
          <table class="data-table compact">
            <thead><tr><th scope="col">{t('patients.trends.day')}</th><th scope="col">{label}</th><th scope="col">{t('patients.trends.baselineColumn')}</th></tr></thead>
            <tbody>
              {[...points].reverse().map((p) => (
                <tr key={p.day}>
                  <th scope="row">{p.recordId ? <a href={`/records/${p.recordId}`}>{dayLabel(p.day)}</a> : dayLabel(p.day)}</th>
                  <td>{formatValue(metric, p.value, t, times)}</td>
                  <td>{p.baseline ? `${plain(p.baseline.median)} (${plain(p.baseline.q1)}–${plain(p.baseline.q3)})` : '—'}</td>
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
