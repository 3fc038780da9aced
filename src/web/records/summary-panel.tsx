// The summary beside the charts, for the window they show; the page renders it, and the chart
// data sends it again (as HTML) when the window changes, so the browser never computes it.
import type { ChartData } from '../../health/chart-data.js';
import { CHANNEL_DISPLAY, displayOf } from '../../health/channel-display.js';
import type { Translator } from '../../i18n/translate.js';
import type { TimeFormat } from '../format.js';
import { channelLabel, channelUnit, channelValue, durationText, positionLabel, unitMeanings } from './text.js';

export function formatGap(t: Translator, times: TimeFormat, gap: { from: number; to: number }): string {
  return t('records.summary.gap', { from: times.time(gap.from), to: times.time(gap.to) });
}

/** Gaps a summary names: a minute or longer (shorter ones show as breaks in the lines). */
export const NAMED_GAP_MS = 60_000;
const GAPS_LISTED = 8;

/** Rendered outside a page too (the chart data's summaryHtml), so it takes its translator as a prop. */
export function SummaryPanel(props: { data: ChartData; times: TimeFormat; t: Translator }) {
  const { summary, gaps } = props.data;
  const { times, t } = props;
  const numeric = summary.channels.filter((s) => !displayOf(s.datatype).categorical);
  const coverage = summary.windowSeconds > 0 ? summary.coveredSeconds / summary.windowSeconds : 0;
  const named = gaps.filter((gap) => gap.to - gap.from >= NAMED_GAP_MS);
  const units = CHANNEL_DISPLAY.filter((d) => d.unitMeaningKey && numeric.some((s) => s.datatype === d.datatype));
  return (
    <div id="window-summary">
      <h2>{t('records.summary.heading')}</h2>
      <p class="window-span">
        {times.dateTime(summary.from)} {times.zoneAbbreviation(summary.from)} – {times.dateTime(summary.to)} {times.zoneAbbreviation(summary.to)}
        {' '}({durationText(t, summary.windowSeconds)})
      </p>
      <p>{t.rich('records.summary.coverage', {
        percent: Math.round(coverage * 100), duration: durationText(t, summary.coveredSeconds),
        strong: (chunks) => <strong>{chunks}</strong>, muted: (chunks) => <span class="muted">{chunks}</span>,
      })}</p>
      <table class="data-table compact">
        <thead><tr><th scope="col">{t('records.summary.channel')}</th><th scope="col">{t('records.summary.min')}</th><th scope="col">{t('records.summary.avg')}</th><th scope="col">{t('records.summary.max')}</th></tr></thead>
        <tbody>
          {numeric.map((s) => {
            const display = displayOf(s.datatype);
            return (
              <tr key={s.datatype}>
                <th scope="row">{channelLabel(t, display)} <span class="muted">{channelUnit(t, display)}</span></th>
                <td>{channelValue(times, display, s.minimum)}</td><td>{channelValue(times, display, s.average)}</td><td>{channelValue(times, display, s.maximum)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {units.length > 0 && <p class="hint units">{unitMeanings(t, units)}</p>}
      {summary.zones.length > 0 && (
        <>
          <h3>{t('records.summary.zonesHeading')}</h3>
          <p class="hint">{t('records.summary.zonesHint', { max: summary.heartRateMaxBpm })}</p>
          <table class="data-table compact">
            <tbody>
              {summary.zones.map((zone) => (
                <tr key={zone.zone}>
                  <th scope="row">{zone.zone === 0 ? t('records.summary.belowZone1') : t('records.summary.zone', { zone: zone.zone })} <span class="muted nowrap">{zone.upperBpm
                    ? t('records.summary.zoneRange', { lower: Math.round(zone.lowerBpm), upper: Math.round(zone.upperBpm) })
                    : t('records.summary.zoneOpen', { lower: Math.round(zone.lowerBpm) })}</span></th>
                  <td>{durationText(t, zone.seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {summary.positions.length > 0 && (
        <>
          <h3>{t('records.channel.sleepPosition')}</h3>
          <table class="data-table compact">
            <tbody>
              {summary.positions.map((position) => (
                <tr key={position.code}><th scope="row">{positionLabel(t, position.code)}</th><td>{durationText(t, position.seconds)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>{t('records.summary.gapsHeading')}</h3>
      {named.length === 0 ? <p class="hint">{t('records.summary.noGap')}</p> : (
        <ul class="gaps">
          {named.slice(0, GAPS_LISTED).map((gap) => <li key={gap.from}>{formatGap(t, times, gap)} <span class="muted">({durationText(t, (gap.to - gap.from) / 1000)})</span></li>)}
          {named.length > GAPS_LISTED && <li class="muted">{t('records.summary.moreGaps', { count: named.length - GAPS_LISTED })}</li>}
        </ul>
      )}
      <p class="hint legend"><span class="swatch swatch-night" aria-hidden="true" /> {t('records.summary.legend')}</p>
    </div>
  );
}
