// The summary beside the charts, for the window they show; the page renders it, and the chart
// data sends it again (as HTML) when the window changes, so the browser never computes it.
import type { ChartData } from '../../health/chart-data.js';
import { CHANNEL_DISPLAY, displayOf, formatValue } from '../../health/channel-display.js';
import { formatDuration, type TimeFormat } from '../format.js';

export function formatGap(times: TimeFormat, gap: { from: number; to: number }): string {
  return `no data ${times.time(gap.from)}–${times.time(gap.to)}`;
}

/** Gaps a summary names: a minute or longer (shorter ones show as breaks in the lines). */
export const NAMED_GAP_MS = 60_000;
const GAPS_LISTED = 8;

export function SummaryPanel(props: { data: ChartData; times: TimeFormat }) {
  const { summary, gaps } = props.data;
  const { times } = props;
  const numeric = summary.channels.filter((s) => !displayOf(s.datatype).categorical);
  const coverage = summary.windowSeconds > 0 ? summary.coveredSeconds / summary.windowSeconds : 0;
  const named = gaps.filter((gap) => gap.to - gap.from >= NAMED_GAP_MS);
  const units = CHANNEL_DISPLAY.filter((d) => d.unitMeaning && numeric.some((s) => s.datatype === d.datatype)).map((d) => d.unitMeaning);
  return (
    <div id="window-summary">
      <h2>Summary of this window</h2>
      <p class="window-span">
        {times.dateTime(summary.from)} {times.zoneAbbreviation(summary.from)} – {times.dateTime(summary.to)} {times.zoneAbbreviation(summary.to)}
        {' '}({formatDuration(summary.windowSeconds)})
      </p>
      <p>Coverage <strong>{Math.round(coverage * 100)} %</strong> <span class="muted">({formatDuration(summary.coveredSeconds)} with data)</span></p>
      <table class="data-table compact">
        <thead><tr><th scope="col">Channel</th><th scope="col">Min</th><th scope="col">Avg</th><th scope="col">Max</th></tr></thead>
        <tbody>
          {numeric.map((s) => {
            const display = displayOf(s.datatype);
            return (
              <tr key={s.datatype}>
                <th scope="row">{display.label} <span class="muted">{display.unit}</span></th>
                <td>{formatValue(display, s.minimum)}</td><td>{formatValue(display, s.average)}</td><td>{formatValue(display, s.maximum)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {units.length > 0 && <p class="hint units">{units.join('; ')}.</p>}
      {summary.zones.length > 0 && (
        <>
          <h3>Heart-rate zones</h3>
          <p class="hint">Of an age-predicted maximum of {summary.heartRateMaxBpm} bpm.</p>
          <table class="data-table compact">
            <tbody>
              {summary.zones.map((zone) => (
                <tr key={zone.zone}>
                  <th scope="row">{zone.zone === 0 ? 'Below zone 1' : `Zone ${zone.zone}`} <span class="muted">{zone.upperBpm ? `${Math.round(zone.lowerBpm)}–${Math.round(zone.upperBpm)}` : `${Math.round(zone.lowerBpm)}+`} bpm</span></th>
                  <td>{formatDuration(zone.seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {summary.positions.length > 0 && (
        <>
          <h3>Sleep position</h3>
          <table class="data-table compact">
            <tbody>
              {summary.positions.map((position) => (
                <tr key={position.code}><th scope="row">{position.label}</th><td>{formatDuration(position.seconds)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>Gaps</h3>
      {named.length === 0 ? <p class="hint">No gap of a minute or more.</p> : (
        <ul class="gaps">
          {named.slice(0, GAPS_LISTED).map((gap) => <li key={gap.from}>{formatGap(times, gap)} <span class="muted">({formatDuration((gap.to - gap.from) / 1000)})</span></li>)}
          {named.length > GAPS_LISTED && <li class="muted">and {named.length - GAPS_LISTED} more</li>}
        </ul>
      )}
      <p class="hint legend"><span class="swatch swatch-night" aria-hidden="true" /> Shaded on the charts: night, 22:00–07:00.</p>
    </div>
  );
}
