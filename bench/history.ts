// The last five full runs in RESULTS.md, one row per run and database, so that a regression shows
// at a glance. Kept between its own markers; each full `npm run bench` adds its rows on top.
import { execFileSync } from 'node:child_process';
import type { HealthRow } from './health.js';
import type { SignInResult } from './sign-in/sign-in-bench.js';
import { median } from './stats.js';

export const HISTORY_START = '<!-- npm run bench: history start -->';
export const HISTORY_END = '<!-- npm run bench: history end -->';
const RUNS_KEPT = 5;

const HEADER = [
  '| run | commit | database | code step /s | `GET /` /s (of bare Fastify) | storm p99 ms | RSS end ÷ idle after GC | worklist page ms | trend ms | chart 24 h ms | PDF report ms | `/metrics` ms |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];

/** The commit measured: short hash, "+changes" when the worktree differs from it. */
export function currentCommit(repository: string): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repository, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repository, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${hash}+changes` : hash;
  } catch {
    return 'unknown';
  }
}

const fixed = (value: number | undefined, digits = 1) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

export function historyRows(run: string, commit: string, signIns: SignInResult[], health: HealthRow[]): string[] {
  return signIns.map((result) => {
    const healthMedian = (prefix: string) => health.find((row) => row.database === result.database && row.measure.startsWith(prefix))?.median;
    const share = result.page.perSecond / result.barePage.perSecond;
    return `| ${[
      run, commit, result.database, fixed(result.verifications.perSecond, 0),
      `${fixed(result.page.perSecond, 0)} (${fixed(share * 100, 0)} %)`, fixed(result.storm.page.p99),
      fixed((result.memoryAfterGc.settled ?? result.memoryAfterGc.end) / result.memoryAfterGc.idle, 2),
      fixed(healthMedian('worklist page (50 of')), fixed(healthMedian('trend 90 days')), fixed(healthMedian('chart 24 h')),
      fixed(healthMedian('clinical report'), 0), fixed(median(result.metricsScrape.samples)),
    ].join(' | ')} |`;
  });
}

/** The file with `rows` on top of its history table (the table made if missing), RUNS_KEPT runs kept. */
export function withHistory(existing: string, rows: string[]): string {
  const start = existing.indexOf(HISTORY_START);
  const end = existing.indexOf(HISTORY_END);
  const previous = start >= 0 && end > start
    ? existing.slice(start + HISTORY_START.length, end).split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| run |'))
    : [];
  const runsOf = (lines: string[]) => [...new Set(lines.map((line) => line.split('|')[1]!.trim()))];
  const keptRuns = new Set(runsOf([...rows, ...previous]).slice(0, RUNS_KEPT));
  const kept = [...rows, ...previous].filter((line) => keptRuns.has(line.split('|')[1]!.trim()));
  const table = [HISTORY_START, ...HEADER, ...kept, HISTORY_END].join('\n');
  if (start >= 0 && end > start) return existing.slice(0, start) + table + existing.slice(end + HISTORY_END.length);
  return `${existing.trimEnd()}\n\n## The last ${RUNS_KEPT} full runs\n\n${table}\n`;
}
