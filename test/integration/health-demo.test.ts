// The demo data: eight patients with 24-hour records shared among the clinicians given.
import { expect, it } from 'vitest';
import { DAY } from '../../src/clock.js';
import { createDemoData, DemoDataError } from '../../src/health/demo/demo-data.js';
import { listPatientsFor } from '../../src/health/patients.js';
import { findRecordFor, listRecordsFor } from '../../src/health/records.js';
import { readRecording } from '../../src/health/series.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { sameSeries, userIdOf } from '../support/health.js';
import { addAccount } from '../support/sign-in.js';
import { TEST_START } from '../support/test-app.js';

describeOnEachDatabase('demo data', (database) => {
  const t = freshAppPerTest(database);

  it('creates eight patients with recent 24-hour records, split between two care teams sharing one patient', async () => {
    const mulder = { id: await userIdOf(t().ctx, (await addAccount(t(), 'clinician', 'Fox Mulder')).email), role: 'clinician' as const };
    const scully = { id: await userIdOf(t().ctx, (await addAccount(t(), 'clinician', 'Dana Scully')).email), role: 'clinician' as const };
    const demo = await createDemoData(t().ctx, { clinicianIds: [mulder.id, scully.id] });
    expect(demo.patients.length).toBe(8);
    expect(demo.recordCount).toBe(17);

    const everyone = await listPatientsFor(t().ctx, { id: 'admin', role: 'admin' });
    expect(everyone.total).toBe(8);
    expect(everyone.entries.filter((e) => e.noRecentRecord).map((e) => e.patient.external_id)).toEqual(['DEMO-002', 'DEMO-007']);
    for (const entry of everyone.entries) {
      expect(entry.latestRecord!.durationSeconds).toBe(86_400);
      expect(entry.latestRecord!.endedAt).toBeLessThan(TEST_START);
      expect(entry.latestRecord!.averageHeartRate).toBeGreaterThan(50);
    }
    const mulderIds = (await listPatientsFor(t().ctx, mulder)).entries.map((e) => e.patient.external_id).sort();
    const scullyIds = (await listPatientsFor(t().ctx, scully)).entries.map((e) => e.patient.external_id).sort();
    expect(mulderIds).toEqual(['DEMO-001', 'DEMO-002', 'DEMO-003', 'DEMO-004']);
    expect(scullyIds).toEqual(['DEMO-004', 'DEMO-005', 'DEMO-006', 'DEMO-007', 'DEMO-008']);

    const newest = (await listRecordsFor(t().ctx, mulder, demo.patients[0]!.id))!.records[0]!;
    const details = (await findRecordFor(t().ctx, mulder, newest.id))!;
    expect(details.channels.length).toBe(6);
    expect(details.metrics.categoryTimes.filter((c) => c.datatype === 270 && c.category <= 4).some((c) => c.seconds > 3600)).toBe(true);
  });

  it('gives the same series for the same seed on every run; only the dates follow the clock', async () => {
    const first = await createDemoData(t().ctx, { clinicianIds: [], seed: 5 });
    await expect(createDemoData(t().ctx, { clinicianIds: [] })).rejects.toThrow(DemoDataError);
    const firstRecord = await t().ctx.db.selectFrom('records').selectAll().where('patient_id', '=', first.patients[7]!.id).executeTakeFirstOrThrow();
    const firstSeries = await readRecording(t().ctx.db, firstRecord.id, firstRecord.start_timestamp, firstRecord.sample_count, [19, 270]);

    await t().ctx.db.deleteFrom('patients').execute();
    t().clock.advance(3 * DAY);
    const second = await createDemoData(t().ctx, { clinicianIds: [], seed: 5 });
    const secondRecord = await t().ctx.db.selectFrom('records').selectAll().where('patient_id', '=', second.patients[7]!.id).executeTakeFirstOrThrow();
    const secondSeries = await readRecording(t().ctx.db, secondRecord.id, secondRecord.start_timestamp, secondRecord.sample_count, [19, 270]);
    expect(secondRecord.started_at - firstRecord.started_at).toBe(3 * DAY);
    expect(secondRecord.content_hash).not.toBe(firstRecord.content_hash); // another start time
    for (const datatype of [19, 270]) expect(sameSeries(secondSeries.channels.get(datatype)!, firstSeries.channels.get(datatype)!)).toBe(true);
  });
});
