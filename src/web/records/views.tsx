import type { ChartData } from '../../health/chart-data.js';
import { CHANNELS, HEART_RATE, SLEEP_POSITION, SLEEP_POSITIONS, channelOfDatatype } from '../../health/channels.js';
import type { RecordDetails } from '../../health/records.js';
import { heartRateZones } from '../../health/summaries.js';
import { formatDuration, formatMeasure, type TimeFormat } from '../format.js';
import { Layout, Notice } from '../views/layout.js';
import { ChannelSvg, SleepSvg } from './chart-svg.js';
import { RecordFlagsPanel, RecordNavigation, SleepPanel, TagsPanel, type RecordTriage, type TagFormState } from './triage-panels.js';

/** Decimals worth showing per channel: whole beats and steps, tenths of breaths, hundredths of g. */
const DECIMALS: Record<number, number> = { 19: 0, 33: 1, 36: 0, 49: 2, 53: 0 };

export interface RecordPageProps {
  details: RecordDetails;
  overview: ChartData;
  times: TimeFormat;
  notice?: string | null;
  triage: RecordTriage;
  tagForm?: TagFormState;
  reviewed?: string | null;
}

export function RecordPage(props: RecordPageProps) {
  const { record, patient, metrics } = props.details;
  const { times, overview } = props;
  const summaries = new Map(metrics.summaries.map((s) => [s.datatype, s]));
  const zoneSeconds = metrics.categoryTimes.filter((t) => t.datatype === HEART_RATE);
  const positionSeconds = metrics.categoryTimes.filter((t) => t.datatype === SLEEP_POSITION);
  const zones = record.heart_rate_max_bpm ? heartRateZones(record.heart_rate_max_bpm) : [];
  const title = `${patient.name}, ${times.date(record.started_at)}`;
  return (
    <Layout title={title}>
      <link rel="stylesheet" href="/assets/vendor/uPlot.min.css" />
      <p class="breadcrumb"><a href="/">Patients</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> ›</p>
      <h1>Recording of {times.dateTime(record.started_at)} {times.zoneAbbreviation(record.started_at)}</h1>
      <RecordNavigation triage={props.triage} times={times} />
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.reviewed && <Notice kind="success">{props.reviewed}</Notice>}
      <p class="hint">
        {formatDuration(record.sample_count)}, until {times.dateTime(record.ended_at)} {times.zoneAbbreviation(record.ended_at)} (times in {times.zone}).
        {record.device_serial && <> Device {record.device_serial}.</>}{' '}
        <a href={`/records/${record.id}/export.csv`} download>Download CSV</a>
      </p>

      <div class="record-layout">
        <section id="charts" class="charts" aria-label="Charts" data-record={record.id} data-from={overview.from} data-to={overview.to}
          data-zone={times.zone} data-start={record.started_at} data-end={record.ended_at}>
          <p class="hint js-only">Drag across a chart to zoom in; finer detail loads for the chosen time. <button type="button" class="button-link" id="reset-zoom">Show the whole recording</button></p>
          {overview.channels.map((channel) => {
            const info = channelOfDatatype(channel.datatype)!;
            return (
              <figure class="chart" key={channel.datatype} data-channel={channel.datatype}>
                <figcaption>{info.label} <span class="muted">({info.unit})</span></figcaption>
                <ChannelSvg data={overview} channel={channel} label={info.label} />
              </figure>
            );
          })}
          {overview.sleepPosition && (
            <figure class="chart" data-channel={SLEEP_POSITION}>
              <figcaption>Sleep position <span class="muted">({SLEEP_POSITIONS.map((p) => `${p.code} ${p.name}`).join(', ')})</span></figcaption>
              <SleepSvg data={overview} />
            </figure>
          )}
          <p class="hint chart-axis"><span>{times.dateTime(overview.from)}</span><span>{times.dateTime(overview.to)}</span></p>
        </section>

        <aside class="metrics" aria-label="Summary">
          <h2>Summary</h2>
          <table class="data-table compact">
            <thead><tr><th scope="col">Channel</th><th scope="col">Avg</th><th scope="col">Min</th><th scope="col">Max</th></tr></thead>
            <tbody>
              {CHANNELS.filter((c) => !c.categorical && summaries.has(c.datatype)).map((channel) => {
                const s = summaries.get(channel.datatype)!;
                const digits = DECIMALS[channel.datatype] ?? 1;
                return (
                  <tr key={channel.datatype}>
                    <th scope="row">{channel.label} <span class="muted">{channel.unit}</span></th>
                    <td>{formatMeasure(s.average, '', digits)}</td><td>{formatMeasure(s.minimum, '', digits)}</td><td>{formatMeasure(s.maximum, '', digits)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {zones.length > 0 && zoneSeconds.length > 0 && (
            <>
              <h3>Heart-rate zones</h3>
              <p class="hint">Of an age-predicted maximum of {record.heart_rate_max_bpm} bpm.</p>
              <table class="data-table compact">
                <tbody>
                  {zones.map((zone) => (
                    <tr key={zone.zone}>
                      <th scope="row">{zone.zone === 0 ? 'Below zone 1' : `Zone ${zone.zone}`} <span class="muted">{zone.upperBpm ? `${Math.round(zone.lowerBpm)}–${Math.round(zone.upperBpm)}` : `${Math.round(zone.lowerBpm)}+`} bpm</span></th>
                      <td>{formatDuration(zoneSeconds.find((t) => t.category === zone.zone)?.seconds ?? 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {positionSeconds.length > 0 && (
            <>
              <h3>Sleep position</h3>
              <table class="data-table compact">
                <tbody>
                  {SLEEP_POSITIONS.map((position) => (
                    <tr key={position.code}><th scope="row">{position.label}</th><td>{formatDuration(positionSeconds.find((t) => t.category === position.code)?.seconds ?? 0)}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </aside>
      </div>
      <RecordFlagsPanel record={record} triage={props.triage} times={times} />
      <TagsPanel record={record} triage={props.triage} times={times} form={props.tagForm} />
      <SleepPanel triage={props.triage} times={times} />
      <script src="/assets/vendor/uPlot.iife.min.js" defer />
      <script src="/assets/record-charts.js" defer />
      <script src="/assets/record-tags.js" defer />
    </Layout>
  );
}
