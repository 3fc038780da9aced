import type { ChartData } from '../../health/chart-data.js';
import { displayOf } from '../../health/channel-display.js';
import { SLEEP_POSITION } from '../../health/channels.js';
import type { RecordDetails } from '../../health/records.js';
import type { Translator } from '../../i18n/translate.js';
import type { TimeFormat } from '../format.js';
import { usePage } from '../views/page-context.js';
import { IdentityBlock } from '../views/identity.js';
import { Layout, Notice } from '../views/layout.js';
import { ChannelSvg, SleepSvg } from './chart-svg.js';
import { SummaryPanel } from './summary-panel.js';
import { channelLabel, channelUnit, durationText, positionLabel } from './text.js';
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
  const { t } = usePage();
  const whole: TimeWindow = { from: record.started_at, to: record.ended_at };
  const window: TimeWindow = { from: chart.summary.from, to: chart.summary.to };
  const path = `/records/${record.id}`;
  const link = (target: TimeWindow) => windowHref(path, times.zone, whole, target);
  const earlier = shifted(whole, window, -1);
  const later = shifted(whole, window, 1);
  const title = t('records.page.title', { patient: patient.name, date: times.date(record.started_at) });
  return (
    <Layout title={title}>
      <link rel="stylesheet" href="/assets/vendor/uPlot.min.css" />
      <p class="breadcrumb"><a href="/">{t('layout.nav.patients')}</a> › <a href={`/patients/${patient.id}`}>{patient.name}</a> ›</p>
      <IdentityBlock patient={patient} now={props.now} />
      <h1>{t('records.page.heading', { when: `${times.dateTime(record.started_at)} ${times.zoneAbbreviation(record.started_at)}` })}</h1>
      <RecordNavigation triage={props.triage} times={times} />
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.reviewed && <Notice kind="success">{props.reviewed}</Notice>}
      <p class="hint">
        {t('records.page.hint', { duration: durationText(t, record.sample_count), end: `${times.dateTime(record.ended_at)} ${times.zoneAbbreviation(record.ended_at)}`, zone: times.zone })}
        {record.device_serial && <> {t('records.page.device', { serial: record.device_serial })}</>}
      </p>
      <ul class="record-actions no-print">
        <li><a href={`${path}/export.csv`} download>{t('records.page.downloadAll')}</a></li>
        <li><a id="export-window" href={windowHref(`${path}/export.csv`, times.zone, { from: 0, to: 0 }, window)} download>{t('records.page.exportWindow')}</a></li>
        <li><a id="report-window" href={windowHref(`${path}/report.pdf`, times.zone, whole, window)}>{t('records.page.reportWindow')}</a></li>
        <li><a href={`${path}/delete`}>{t('records.page.delete')}</a></li>
      </ul>

      <nav class="window-nav no-print" aria-label={t('records.page.windowNav')}>
        <span class="window-nav-label">{t('records.page.show')}</span>
        {SPANS.map((span) => (
          <a class="button-secondary button-small" data-span={span.ms} key={span.label} href={link(spanAround(whole, window, span.ms))}
            aria-current={Math.abs(window.to - window.from - Math.min(span.ms, whole.to - whole.from)) < 1000 ? 'true' : undefined}>{t('records.page.spanHours', { hours: span.hours })}</a>
        ))}
        <a class="button-secondary button-small" data-span="all" href={path} aria-current={isWhole(whole, window) ? 'true' : undefined}>{t('records.page.all')}</a>
        <span class="window-nav-shift">
          {earlier ? <a data-shift="-1" href={link(earlier)}>{t('records.page.earlier')}</a> : <span class="muted">{t('records.page.earlier')}</span>}
          {later ? <a data-shift="1" href={link(later)}>{t('records.page.later')}</a> : <span class="muted">{t('records.page.later')}</span>}
        </span>
      </nav>

      <div class="record-layout">
        <aside class="metrics" aria-label={t('records.page.summaryLabel')}>
          <SummaryPanel data={chart} times={times} t={t} />
        </aside>
        <section id="charts" class="charts" aria-label={t('records.page.chartsLabel')} data-record={record.id} data-zone={times.zone}
          data-locale={t.locale} data-text={scriptText(t)}
          data-start={record.started_at} data-end={record.ended_at} data-from={window.from} data-to={window.to}>
          <p class="hint js-only no-print">{t('records.page.chartsHint')}</p>
          {chart.channels.map((channel) => {
            const display = displayOf(channel.datatype);
            return (
              <figure class="chart" key={channel.datatype} data-channel={channel.datatype} data-label={channelLabel(t, display)} data-unit={channelUnit(t, display)}
                data-scale={display.scale} data-decimals={display.decimals}>
                <figcaption><span class="chart-title">{t.rich('records.page.chartTitle', { channel: channelLabel(t, display), unit: channelUnit(t, display), muted: (chunks) => <span class="muted">{chunks}</span> })}</span>
                  <span class="readout" aria-live="polite" /></figcaption>
                <ChannelSvg data={chart} channel={channel} display={display} times={times} />
              </figure>
            );
          })}
          {chart.sleepPosition && (
            <figure class="chart" data-channel={SLEEP_POSITION} data-label={t('records.channel.sleepPosition')} data-unit="" data-scale="1" data-decimals="0">
              <figcaption><span class="chart-title">{t('records.channel.sleepPosition')}</span> <span class="readout" aria-live="polite" /></figcaption>
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

/**
 * What the chart script writes, in the page's language (client scripts have no catalog): the
 * short sleep positions, and the messages with %from%, %to%, %status%, %channel% to fill in.
 */
function scriptText(t: Translator): string {
  return JSON.stringify({
    positions: [0, 1, 2, 3, 4, 5].map((code) => positionLabel(t, code, true)),
    noData: t('records.script.noData'),
    gap: t('records.summary.gap', { from: '%from%', to: '%to%' }),
    loadFailed: t('records.script.loadFailed', { status: '%status%' }),
    reload: t('records.script.reload'),
    chartLabel: t('records.script.chartLabel', { channel: '%channel%' }),
  });
}
