// The demo data: a clinic morning. Ten patients with 30 days of recordings, shared between two
// care teams; some trip each clinical rule, older flags are reviewed, most patients are calm.
import { expect, it } from 'vitest';
import { DAY } from '../../src/clock.js';
import { clinicDay } from '../../src/health/clinic-days.js';
import { createDemoData, DemoDataError } from '../../src/health/demo/demo-data.js';
import { flagsOfPeriod } from '../../src/health/flags.js';
import { notesOfPeriod } from '../../src/health/notes.js';
import { readRecording } from '../../src/health/series.js';
import { trendsOf } from '../../src/health/trends.js';
import { worklistFor } from '../../src/health/worklist.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { sameSeries, userIdOf } from '../support/health.js';
import { addAccount } from '../support/sign-in.js';

const ZONE = 'America/Montreal';

describeOnEachDatabase('demo data', (database) => {
  const t = freshAppPerTest(database, { HMS_TIME_ZONE: ZONE });

  it('is a clinic morning: flagged patients first, every rule tripped somewhere, older flags reviewed, most patients calm', { timeout: 300_000 }, async () => {
    const { ctx } = t();
    const scully = { id: await userIdOf(ctx, (await addAccount(t(), 'clinician', 'Dana Scully')).email), role: 'clinician' as const };
    const mulder = { id: await userIdOf(ctx, (await addAccount(t(), 'clinician', 'Fox Mulder')).email), role: 'clinician' as const };
    const demo = await createDemoData(ctx, { clinicianIds: [scully.id, mulder.id] });
    expect(demo.patients.length).toBe(10);
    expect(demo.recordCount).toBe(10 * 30 - 3); // one patient stopped three days ago

    const morning = await worklistFor(ctx, scully);
    const rows = morning.entries.map((e) => [e.patient.external_id, e.chips.map((c) => `${c.severity} ${c.rule}`).sort()]);
    expect(rows.slice(0, 4)).toEqual([
      ['DEMO-005', ['high bradycardia', 'high bradypnea_at_night']],
      ['DEMO-004', ['high tachycardia_at_rest']],
      ['DEMO-006', ['medium resting_hr_rise', 'medium tachypnea_at_rest']],
      ['DEMO-007', ['low low_wear']],
    ]);
    expect(rows.slice(4).sort()).toEqual([['DEMO-008', []], ['DEMO-009', []], ['DEMO-010', []]]);
    const mulders = await worklistFor(ctx, mulder, { sort: 'name' });
    expect(mulders.entries.map((e) => [e.patient.external_id, e.chips.map((c) => c.rule).sort()])).toEqual([
      ['DEMO-001', []], ['DEMO-002', ['low_wear', 'no_recent_data']], ['DEMO-003', []], ['DEMO-004', ['tachycardia_at_rest']],
    ]);

    // The flag says what tripped it; the older episode was reviewed, with the reason.
    const david = demo.patients.find((p) => p.external_id === 'DEMO-004')!;
    const episodes = (await flagsOfPeriod(ctx, david.id, { from: 0, to: Date.now() * 2 })).filter((f) => f.rule === 'tachycardia_at_rest');
    expect(episodes.map((f) => [f.review?.comment ?? null, /^HR 1[23]\d bpm \(max 1[34]\d\) for [5-7] min \d+ s at rest, activity 0\.0\d g$/.test(f.valueText)])).toEqual([
      ['Short run at rest, asymptomatic. Cardiology follow-up already booked.', true], [null, true],
    ]);
    expect((await notesOfPeriod(ctx, david.id))[0]!.text).toContain('palpitations');

    // A month of daily metrics; François's resting HR climbs over the last two weeks.
    const today = clinicDay(ZONE, ctx.clock.now());
    const francois = demo.patients.find((p) => p.external_id === 'DEMO-006')!;
    const resting = (await trendsOf(ctx, francois.id, 30, today)).trends.find((trend) => trend.metric.id === 'resting_hr')!;
    expect(resting.points.length).toBeGreaterThanOrEqual(28);
    const last = resting.points[resting.points.length - 1]!;
    expect(last.value - last.baseline!.median).toBeGreaterThanOrEqual(10);
  });

  it('gives the same series for the same seed on every run; only the dates follow the clock', async () => {
    const { ctx, clock } = t();
    const first = await createDemoData(ctx, { clinicianIds: [], seed: 5, historyDays: 2 });
    await expect(createDemoData(ctx, { clinicianIds: [], historyDays: 2 })).rejects.toThrow(DemoDataError);
    const firstRecord = await ctx.db.selectFrom('records').selectAll().where('patient_id', '=', first.patients[7]!.id).orderBy('started_at').executeTakeFirstOrThrow();
    const firstSeries = await readRecording(ctx.db, firstRecord.id, firstRecord.start_timestamp, firstRecord.sample_count, [19, 270]);

    await ctx.db.deleteFrom('patients').execute();
    clock.advance(3 * DAY);
    const second = await createDemoData(ctx, { clinicianIds: [], seed: 5, historyDays: 2 });
    const secondRecord = await ctx.db.selectFrom('records').selectAll().where('patient_id', '=', second.patients[7]!.id).orderBy('started_at').executeTakeFirstOrThrow();
    const secondSeries = await readRecording(ctx.db, secondRecord.id, secondRecord.start_timestamp, secondRecord.sample_count, [19, 270]);
    expect(secondRecord.started_at - firstRecord.started_at).toBe(3 * DAY);
    for (const datatype of [19, 270]) expect(sameSeries(secondSeries.channels.get(datatype)!, firstSeries.channels.get(datatype)!)).toBe(true);
  });
});
