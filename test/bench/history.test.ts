// The table of the last five full runs in bench/RESULTS.md (bench/history.ts).
import { expect, it } from 'vitest';
import { HISTORY_END, HISTORY_START, withHistory } from '../../bench/history.js';

const row = (run: string, database: string) => `| ${run} | abc1234 | ${database} | 1 | 2 (3 %) | 4 | 1.10 | 5 | 6 | 7 | 8 | 9 |`;

it('adds a run on top, made with its heading the first time, and keeps the last five runs with all their databases', () => {
  let file = '# Benchmark results\n\nWritten by people.\n';
  for (let i = 1; i <= 7; i++) file = withHistory(file, [row(`run ${i}`, 'SQLite'), row(`run ${i}`, 'PostgreSQL')]);
  expect(file).toContain('Written by people.');
  expect(file.match(/## The last 5 full runs/g)).toHaveLength(1);
  const table = file.slice(file.indexOf(HISTORY_START), file.indexOf(HISTORY_END));
  const runs = table.split('\n').filter((line) => line.startsWith('| run ') && !line.startsWith('| run |')).map((line) => line.split('|')[1]!.trim());
  expect(runs).toEqual(['run 7', 'run 7', 'run 6', 'run 6', 'run 5', 'run 5', 'run 4', 'run 4', 'run 3', 'run 3']);
  expect(table).toContain('| run | commit | database |');
});
