import type { ChartData } from '../../health/chart-data.js';
import { displayOf } from '../../health/channel-display.js';
import { SLEEP_POSITION } from '../../health/channels.js';
import type { RecordDetails } from '../../health/records.js';
import { formatDuration, type TimeFormat } from '../format.js';
import { IdentityBlock } from '../views/identity.js';
import { Layout, Notice } from '../views/layout.js';
import { ChannelSvg, SleepSvg } from './chart-svg.js';
import { SummaryPanel } from './summary-panel.js';
import { isWhole, shifted, spanAround, SPANS, windowHref, type TimeWindow } from './window.js';
import { RecordFlagsPanel, RecordNavigation, SleepPanel, TagsPanel, type RecordTriage, type TagFormState } from './triage-panels.js';

export interface RecordPageProps {
  details: RecordDetails;
  chart: ChartData;
  times: TimeFormat;
  now: number;
  notice?: string | null;
  triage: RecordTriage;
  tagForm?: TagFormState;
  reviewed?: string | null;
}

export function RecordPage(props: RecordPageProps) {
  const { record, patient } = props.details;
  const { times, chart } = props;
  const whole: TimeWindow = { from: record.started_at, to: record.ended_at };
  const window: TimeWindow = { from: chart.summary.from, to: chart.summary.to };
  const path = `/records/${record.id}`;
  const link = (target: TimeWindow) => windowHref(path, times.zone, whole, target);
  const earlier = shifted(whole, window, -1);
  const later = shifted(whole, window, 1);
  const title = `${patient.name}, ${times.date(record.started_at)}`;
  return (
    <Layout title={title}>
      <link rel="stylesheet" href="/assets/vendor/uPlot.min.css" />
      <p class="breadcrumb"><a href="/">Patients</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> ›</p>
      <IdentityBlock patient={patient} now={props.now} />
      <h1>Recording of {times.dateTime(record.started_at)} {times.zoneAbbreviation(record.started_at)}</h1>
      <RecordNavigation triage={props.triage} times={times} />
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.reviewed && <Notice kind="success">{props.reviewed}</Notice>}
      <p class="hint">
        {formatDuration(record.sample_count)}, until {times.dateTime(record.ended_at)} {times.zoneAbbreviation(record.ended_at)}. Times in {times.zone}.
        {record.device_serial && <> Device {record.device_serial}.</>}
      </p>
      <ul class="record-actions no-print">
        <li><a href={`${path}/export.csv`} download>Download the whole recording (CSV)</a></li>
        <li><a id="export-window" href={windowHref(`${path}/export.csv`, times.zone, { from: 0, to: 0 }, window)} download>Export this window (CSV)</a></li>
        <li><a id="report-window" href={windowHref(`${path}/report.pdf`, times.zone, whole, window)}>Clinical report of this window (PDF)</a></li>
        <li><a href={`${path}/delete`}>Delete this recording…</a></li>
      </ul>

      <nav class="window-nav no-print" aria-label="Time window">
        <span class="window-nav-label">Show</span>
        {SPANS.map((span) => (
          <a class="button-secondary button-small" data-span={span.ms} key={span.label} href={link(spanAround(whole, window, span.ms))}
            aria-current={Math.abs(window.to - window.from - Math.min(span.ms, whole.to - whole.from)) < 1000 ? 'true' : undefined}>{span.label}</a>
        ))}
        <a class="button-secondary button-small" data-span="all" href={path} aria-current={isWhole(whole, window) ? 'true' : undefined}>All</a>
        <span class="window-nav-shift">
          {earlier ? <a data-shift="-1" href={link(earlier)}>← Earlier</a> : <span class="muted">← Earlier</span>}
          {later ? <a data-shift="1" href={link(later)}>Later →</a> : <span class="muted">Later →</span>}
        </span>
      </nav>

      <div class="record-layout">
        <aside class="metrics" aria-label="Summary">
          <SummaryPanel data={chart} times={times} />
        </aside>
        <section id="charts" class="charts" aria-label="Charts" data-record={record.id} data-zone={times.zone}
          data-start={record.started_at} data-end={record.ended_at} data-from={window.from} data-to={window.to}>
          <p class="hint js-only no-print">Hover or tap a chart to read its values. Zoom: drag across a chart (or pinch), the buttons above,
            or + and − on a focused chart; arrow keys move in time.</p>
          {chart.channels.map((channel) => {
            const display = displayOf(channel.datatype);
            return (
              <figure class="chart" key={channel.datatype} data-channel={channel.datatype} data-label={display.label} data-unit={display.unit}
                data-scale={display.scale} data-decimals={display.decimals}>
                <figcaption><span class="chart-title">{display.label} <span class="muted">({display.unit})</span></span>
                  <span class="readout" aria-live="polite" /></figcaption>
                <ChannelSvg data={chart} channel={channel} display={display} times={times} />
              </figure>
            );
          })}
          {chart.sleepPosition && (
            <figure class="chart" data-channel={SLEEP_POSITION} data-label="Sleep position" data-unit="" data-scale="1" data-decimals="0">
              <figcaption><span class="chart-title">Sleep position</span> <span class="readout" aria-live="polite" /></figcaption>
              <SleepSvg data={chart} times={times} />
            </figure>
          )}
        </section>
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
