// Import, export and the lists built on them, on a real database: all or nothing, no duplicates,
// and a round trip that gives back the very same series.
import { expect, it } from 'vitest';
import type { Viewer } from '../../src/health/access.js';
import { DAY } from '../../src/clock.js';
import { exportCsvFor, recordingToCsv } from '../../src/health/csv-export.js';
import { parseHexoskinCsv } from '../../src/health/csv-parser.js';
import { CsvImportError, importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import { worklistFor } from '../../src/health/worklist.js';
import { sweepTimeRules } from '../../src/health/derived-data.js';
import { findRecordFor, listRecordsFor } from '../../src/health/records.js';
import { readRecording } from '../../src/health/series.js';
import type { HealthRecord } from '../../src/db/schema.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { healthRowCounts, hexo, plausible, readAll, recordingOf, sameSeries, streamOf } from '../support/health.js';
import { TEST_START, type TestApp } from '../support/test-app.js';

const admin: Viewer = { id: 'not-a-user', role: 'admin' };
const START = TEST_START - 2 * DAY;
const ALL = [33, 36, 270, 49, 19, 53];

async function patient(t: TestApp, name = 'Rosa Ruiz') {
  return createPatient(t.ctx, { name, dateOfBirth: '1966-06-06', sex: 'female', heightCm: 160, weightKg: 58.5 });
}

async function seriesOf(t: TestApp, record: HealthRecord) {
  return readRecording(t.ctx.db, record.id, record.start_timestamp, record.sample_count, ALL);
}

describeOnEachDatabase('importing and exporting records', (database) => {
  const t = freshAppPerTest(database);

  it('an import stores the record with its times, series and summary metrics, and reports ignored columns', async () => {
    const rosa = await patient(t());
    const csv = `time [s/256],heart_rate [bpm],skin_temp [C],breathing_rate [rpm]\n${hexo(START)},60,33,12\n${hexo(START) + 256},,33,13\n${hexo(START) + 512},90,33,14\n`;
    const result = await importCsv(t().ctx, rosa.id, streamOf(csv), { deviceSerial: 'HX-42' });
    expect(result.status).toBe('created');
    expect(result.rowCount).toBe(3);
    expect(result.ignoredColumns).toEqual([{ column: 3, header: 'skin_temp [C]' }]);
    expect(result.record).toMatchObject({ started_at: START, ended_at: START + 3000, sample_count: 3, device_serial: 'HX-42', status: 'complete' });
    const details = (await findRecordFor(t().ctx, admin, result.record.id))!;
    expect(details.channels.map((c) => c.name)).toEqual(['breathing_rate', 'heart_rate']);
    expect(details.metrics.summaries.find((s) => s.datatype === 19)).toEqual({ datatype: 19, sampleCount: 2, average: 75, minimum: 60, maximum: 90 });
    const zones = details.metrics.categoryTimes.filter((c) => c.datatype === 19);
    expect(zones.reduce((sum, z) => sum + z.seconds, 0)).toBe(2);
    expect(result.record.heart_rate_max_bpm).toBe(220 - 60);
  });

  it('a file with an error on its last line leaves nothing behind', async () => {
    const rosa = await patient(t());
    const good = recordingToCsv(recordingOf(START, 7200, plausible));
    const before = await healthRowCounts(t().ctx);
    const error = await importCsv(t().ctx, rosa.id, streamOf(`${good}${hexo(START) + 7200 * 256},1,2,3,oops,5,6\n`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).line).toBe(7202);
    expect(await healthRowCounts(t().ctx)).toEqual(before);
  });

  it('a failure while storing rolls the whole import back', async () => {
    const rosa = await patient(t());
    const before = await healthRowCounts(t().ctx);
    // The importing account does not exist: the database refuses the record (foreign key).
    await expect(importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(recordingOf(START, 4000, plausible))), { createdBy: 'no-such-user' })).rejects.toThrow();
    expect(await healthRowCounts(t().ctx)).toEqual(before);
    await expect(importCsv(t().ctx, 'no-such-patient', streamOf('x'))).rejects.toThrow(/no patient with the id/);
  });

  it('the same recording imported twice is one record, even re-saved with CRLF and columns in another order', async () => {
    const rosa = await patient(t());
    const recording = recordingOf(START, 600, plausible, [19, 33]);
    const first = await importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(recording)));
    const counts = await healthRowCounts(t().ctx);
    const again = await importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(recording)));
    expect(again.status).toBe('duplicate');
    expect(again.record.id).toBe(first.record.id);
    const resaved = recordingToCsv(recording).split('\n').filter(Boolean)
      .map((line) => { const [time, br, hr] = line.split(','); return `${hr},${time},${br}`; }).join('\r\n');
    expect((await importCsv(t().ctx, rosa.id, streamOf(resaved))).record.id).toBe(first.record.id);
    expect(await healthRowCounts(t().ctx)).toEqual(counts);
    // Another patient may have the same file: duplicates are per patient.
    expect((await importCsv(t().ctx, (await patient(t(), 'Other')).id, streamOf(recordingToCsv(recording)))).status).toBe('created');
  });

  it('import → export → import gives identical series, gaps included, for a whole 24-hour record', async () => {
    const rosa = await patient(t());
    const other = await patient(t(), 'Sam Stone');
    const original = recordingOf(START, 86_400, (datatype, i) => (i >= 40_000 && i < 47_200 ? Number.NaN : plausible(datatype, i)));
    const first = await importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(original)));
    const exported = (await exportCsvFor(t().ctx, admin, first.record.id))!;
    expect(exported.fileName).toMatch(/^Rosa_Ruiz-\d{8}-\d{6}\.csv$/);
    const text = await readAll(exported.stream);
    // A readable time follows the HexoTimestamp (UTC here: the clinic's zone); without it the file is the original's.
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^time \[s\/256\],time \[ISO 8601\],breathing_rate/);
    expect(lines[1]!.split(',')[1]).toBe(new Date(START).toISOString().slice(0, 19) + 'Z');
    const withoutIsoColumn = lines.map((line) => line.split(',').filter((_, i) => i !== 1).join(',')).join('\n');
    expect(withoutIsoColumn === recordingToCsv(original)).toBe(true);
    const second = await importCsv(t().ctx, other.id, streamOf(text));
    const [a, b] = [await seriesOf(t(), first.record), await seriesOf(t(), second.record)];
    expect(b.startTimestamp).toBe(original.startTimestamp);
    for (const [datatype, samples] of original.channels) {
      expect(sameSeries(a.channels.get(datatype)!, samples)).toBe(true);
      expect(sameSeries(b.channels.get(datatype)!, samples)).toBe(true);
    }
    // Re-importing its own export into the same patient is recognized as the same recording.
    expect((await importCsv(t().ctx, rosa.id, streamOf(text))).status).toBe('duplicate');
  });

  it('an export of a time window holds exactly the seconds inside it', async () => {
    const rosa = await patient(t());
    const original = recordingOf(START, 7200, plausible);
    const { record } = await importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(original)));
    const exported = (await exportCsvFor(t().ctx, admin, record.id, { from: START + 3_599_500, to: START + 3_610_000 }))!;
    const { recording } = await parseHexoskinCsv(exported.stream);
    expect(recording.startTimestamp).toBe(hexo(START) + 3600 * 256);
    expect(recording.length).toBe(10);
    expect(sameSeries(recording.channels.get(19)!, original.channels.get(19)!.subarray(3600, 3610))).toBe(true);
  });

  it('the worklist shows the last recording, and "no recent data" once none ended in the last 2 days', async () => {
    const rosa = await patient(t());
    await patient(t(), 'Ann Never');
    await importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(recordingOf(START - 5 * DAY, 60, () => 50, [19, 33]))));
    await importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(recordingOf(START, 120, (d, i) => (d === 19 ? 60 + (i % 2) * 10 : 15), [19, 33]))));
    const list = await worklistFor(t().ctx, admin, { sort: 'name' });
    expect(list.entries.map((e) => [e.patient.name, e.lastRecording?.startedAt ?? null])).toEqual([['Ann Never', null], ['Rosa Ruiz', START]]);
    expect(list.entries[1]!.lastRecording).toMatchObject({ startedAt: START, endedAt: START + 120_000 });
    // Rosa's recording of 5 days ago opened "no recent data"; the newer one ended it (kept, to review).
    expect((await worklistFor(t().ctx, admin, { filter: 'no_recent_data' })).entries).toEqual([]);
    t().clock.advance(3 * DAY);
    await sweepTimeRules(t().ctx);
    const stale = await worklistFor(t().ctx, admin, { filter: 'no_recent_data', sort: 'name' });
    expect(stale.entries.map((e) => [e.patient.name, e.chips.find((c) => c.rule === 'no_recent_data')?.count])).toEqual([['Ann Never', 1], ['Rosa Ruiz', 2]]);
  });

  it("a patient's records come newest first, a page at a time", async () => {
    const rosa = await patient(t());
    for (let day = 0; day < 25; day++) {
      await importCsv(t().ctx, rosa.id, streamOf(recordingToCsv(recordingOf(START - day * DAY, 30, () => 70, [19]))));
    }
    const first = (await listRecordsFor(t().ctx, admin, rosa.id, { page: 1, pageSize: 10 }))!;
    expect([first.total, first.pageCount, first.records.length]).toEqual([25, 3, 10]);
    expect(first.records[0]!.startedAt).toBe(START);
    const last = (await listRecordsFor(t().ctx, admin, rosa.id, { page: 3, pageSize: 10 }))!;
    expect(last.records.map((r) => r.startedAt)).toEqual([20, 21, 22, 23, 24].map((day) => START - day * DAY));
    const all = [...first.records, ...(await listRecordsFor(t().ctx, admin, rosa.id, { page: 2, pageSize: 10 }))!.records, ...last.records];
    expect(new Set(all.map((r) => r.id)).size).toBe(25);
    // Paging values straight from a query string: nonsense falls back to sensible defaults.
    const sanitized = (await listRecordsFor(t().ctx, admin, rosa.id, { page: Number.NaN, pageSize: Infinity }))!;
    expect([sanitized.page, sanitized.pageSize, sanitized.records.length]).toEqual([1, 20, 20]);
    expect((await worklistFor(t().ctx, admin, { limit: Number.NaN, offset: -5 })).entries.length).toBe(1);
  });
});
