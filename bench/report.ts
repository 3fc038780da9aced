// Turns results into the Markdown tables printed and written to bench/RESULTS.md.
import type { HealthRow } from './health.js';
import { machineLine, type Machine } from './machine.js';
import type { SignInResult } from './sign-in/sign-in-bench.js';

import { median, percentile } from './stats.js';

/** Issue #17's targets; the code step and the page have one per database. */
export const TARGETS = {
  hashBoundShare: 0.85,
  verificationsPerSecond: { SQLite: 2000, PostgreSQL: 800 } as Record<string, number>,
  bareFastifyShare: { SQLite: 0.15, PostgreSQL: 0.08 } as Record<string, number>,
  stormP99Ms: 50,
  metricsScrapeMs: 20,
  memoryGrowth: 1.5,
};

const number = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percent = (ratio: number) => `${number(ratio * 100)} %`;
const mark = (met: boolean | null) => (met === null ? '—' : met ? '**met**' : '**not met**');
const latency = (result: { p50: number; p99: number }) => `p50 ${number(result.p50, 1)} ms, p99 ${number(result.p99, 1)} ms`;

export function signInTable(result: SignInResult): string {
  const hashShare = result.logins.perSecond / result.hashBoundPerSecond;
  const bareShare = result.page.perSecond / result.barePage.perSecond;
  const verifyTarget = TARGETS.verificationsPerSecond[result.database] ?? null;
  const shareTarget = TARGETS.bareFastifyShare[result.database] ?? 0.15;
  const scrapeMedian = median(result.metricsScrape.samples);
  const memory = result.memoryAfterGc;
  const growth = (memory.settled ?? memory.end) / memory.idle;
  const rows = [
    ['1. password step: successful `POST /login`/s',
      `${number(result.logins.perSecond, 1)}/s (${number(result.logins.perSecond / result.cores, 1)}/s per core; Keycloak sizes 15)`,
      `hash-bound ${number(result.hashBoundPerSecond, 1)}/s = ${result.cores} cores ÷ ${number(result.argon2MedianMs, 1)} ms per Argon2id verification; `
        + `${result.cores} verifications at a time in one process: ${number(result.parallelHashingPerSecond, 1)}/s (${percent(result.logins.perSecond / result.parallelHashingPerSecond)} of it)`,
      percent(hashShare), `≥ ${percent(TARGETS.hashBoundShare)}`, mark(hashShare >= TARGETS.hashBoundShare)],
    ['2. code step: successful `POST /mfa/verify`/s',
      `${number(result.verifications.perSecond)}/s, ${latency(result.verifications)} (${number(result.verifications.completed)} sign-ins)`,
      '', '', verifyTarget ? `≥ ${number(verifyTarget)}/s` : '', mark(verifyTarget ? result.verifications.perSecond >= verifyTarget : null)],
    [`3. authenticated \`GET /\` (${number(result.page.bytes / 1024, 1)} KiB page)`,
      `${number(result.page.perSecond)}/s, ${latency(result.page)}`,
      `bare Fastify, same bytes: ${number(result.barePage.perSecond)}/s, ${latency(result.barePage)}`,
      percent(bareShare), `≥ ${percent(shareTarget)}`, mark(bareShare >= shareTarget)],
    [`4. \`GET /\` at ${number(result.storm.page.completed / result.storm.page.seconds)}/s during a login storm`,
      latency(result.storm.page), `storm: ${number(result.storm.logins.perSecond, 1)} logins/s`,
      '', `p99 < ${TARGETS.stormP99Ms} ms`, mark(result.storm.page.p99 < TARGETS.stormP99Ms)],
    ['5. server memory (RSS)', result.memory.map((m) => `${m.label} ${number(m.rssMiB)} MiB`).join(' → '), '', '', '', '—'],
    ['5b. server memory after a forced full GC (`--expose-gc`)',
      `right after every measure: ${number(memory.end)} MiB (${number(memory.end / memory.idle, 2)}×)`
        + (memory.settled === null ? '' : `; then ${memory.settleSeconds} s idle: ${number(memory.settled)} MiB`),
      `idle: ${number(memory.idle)} MiB`, `${number(growth, 2)}×`, `≤ ${number(TARGETS.memoryGrowth, 1)}×`, mark(growth <= TARGETS.memoryGrowth)],
    [`6. \`GET /metrics\` scrape (${number(result.metricsScrape.bytes / 1024, 1)} KiB), one at a time after the load`,
      `median ${number(scrapeMedian, 1)} ms, p90 ${number(percentile(result.metricsScrape.samples, 0.9), 1)} ms (${result.metricsScrape.samples.length} scrapes)`,
      '', '', `< ${TARGETS.metricsScrapeMs} ms`, mark(scrapeMedian < TARGETS.metricsScrapeMs)],
  ];
  const failures = [result.logins, result.verifications, result.page, result.storm.page, result.storm.logins]
    .map((run) => run.errors + Object.entries(run.statusCodes).filter(([status]) => status !== '200' && status !== '303').reduce((sum, [, count]) => sum + count, 0))
    .reduce((sum, count) => sum + count, 0);
  return [
    `### Sign-in, ${result.database}`,
    '',
    '| measure | result | baseline (same run) | ratio | target | |',
    '|---|---|---|---:|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    `Requests that failed or answered another status than expected: ${failures}.`,
  ].join('\n');
}

export function healthTable(rows: HealthRow[]): string {
  return [
    '### Health data (in process)',
    '',
    '| database | measure | runs | median ms | p90 ms | target | |',
    '|---|---|---:|---:|---:|---|---|',
    ...rows.map((row) => `| ${row.database} | ${row.measure} | ${row.runs} | ${number(row.median, 1)} | ${number(row.p90, 1)} | ${row.target} | ${mark(row.met)} |`),
  ].join('\n');
}

export function resultsSection(machine: Machine, databases: string[], tables: string[]): string {
  return [
    `Run of ${machineLine(machine)}; databases: ${databases.join(', ')}.`,
    '',
    ...tables.flatMap((table) => [table, '']),
  ].join('\n');
}

export const GENERATED_START = '<!-- npm run bench: start -->';
export const GENERATED_END = '<!-- npm run bench: end -->';

/** Replaces the generated part of the file and keeps what people wrote around it. */
export function withGeneratedSection(existing: string | null, section: string): string {
  const generated = `${GENERATED_START}\n${section.trimEnd()}\n${GENERATED_END}`;
  const start = existing?.indexOf(GENERATED_START) ?? -1;
  const end = existing?.indexOf(GENERATED_END) ?? -1;
  if (existing === null || start < 0 || end < start) return `# Benchmark results\n\n${generated}\n`;
  return existing.slice(0, start) + generated + existing.slice(end + GENERATED_END.length);
}
